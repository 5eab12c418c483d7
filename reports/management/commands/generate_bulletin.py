"""python manage.py generate_bulletin --year 2026 [--region 419921000000]

Produces the yearly bulletin in this process (the same job row and files as the page
and the beat task) and prints where its files are.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from organization.choices import RegionLevel
from organization.models import Region
from reports import bulletin, services
from reports.choices import BulletinState
from reports.models import BulletinJob
from reports.tasks import generate_bulletin


class Command(BaseCommand):
    help = "生成年度通报（Word 与 Excel），并输出文件位置。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="通报年度，如 2026")
        parser.add_argument("--region", help="县区的行政区划代码；不填为全市")

    def handle(self, *args, year, region=None, **options):
        if region:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError(f"找不到行政区划代码 {region}。")
        else:
            place = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
            if place is None:
                raise CommandError("尚未建立市级区划。")
        try:
            job = services.bulletin_request(actor=None, year=year, region=place, enqueue=False)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from error
        if job.state == BulletinState.RUNNING:
            raise CommandError(f"{job} 正在生成中（进度 {job.progress}%），请稍后再试。")
        generate_bulletin(job.pk)
        job = BulletinJob.objects.get(pk=job.pk)
        if job.state != BulletinState.DONE:
            raise CommandError(f"{job} 生成失败：{job.message}")
        self.stdout.write(f"{job}已生成：")
        self.stdout.write(f"  Word：{bulletin.media_path(job.docx)}")
        self.stdout.write(f"  Excel：{bulletin.media_path(job.xlsx)}")
