"""``manage.py fill_city --members 100000``: a realistic city of the given size, for benchmarks.

Builds the demo city's region tree and accounts (idempotent), then adds members and, in
plausible proportions, their training, projects, fund records, helpers and visits in
bulk (see ``_city.CityFiller``). Refuses under production settings, like load_demo.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from organization.demo import build_demo_city

from ._city import CityFiller


class Command(BaseCommand):
    help = "生成指定规模的模拟城市数据（党员及其培训、项目、基金、帮扶、走访），用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=1000, help="新增党员人数（默认 1000）")
        parser.add_argument("--seed", type=int, default=None, help="随机种子（默认取人数）")
        parser.add_argument("--force", action="store_true", help="在禁止演示数据的环境（生产设置）中仍然运行。")

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED and not options["force"]:
            # Thousands of invented people must never land in a real register.
            raise CommandError("当前设置禁止加载演示数据，fill_city 不会运行。确需运行请加 --force。")
        if options["members"] < 1:
            raise CommandError("--members 必须是正整数。")
        started = time.perf_counter()
        build_demo_city()
        counts = CityFiller(options["members"], seed=options["seed"]).fill()
        seconds = time.perf_counter() - started
        self.stdout.write(f"已生成 (made) in {seconds:.1f} s:")
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count:,}")
