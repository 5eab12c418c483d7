"""Refresh the villages' snapshot the dashboards sum (what beat runs every few minutes)."""

from django.core.management.base import BaseCommand, CommandError

from reports.services import tallies_refresh


class Command(BaseCommand):
    help = "刷新看板使用的村级统计快照（beat 每隔几分钟运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years", help="年度，可重复；默认行动各年度")

    def handle(self, *args, years=None, **options):
        if years and any(not 2000 <= year <= 2100 for year in years):
            raise CommandError("年度须在 2000 到 2100 之间。")
        written = tallies_refresh(years=years)
        self.stdout.write(f"已写入 {written} 行村级统计快照。")
