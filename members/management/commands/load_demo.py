"""``manage.py load_demo``: build the demo city 河洛市 with its members, and print its demo accounts.

It lives in the highest app that has demo data, since it calls each app's builder.
"""

import unicodedata

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from members.demo import build_demo_members
from organization.demo import build_demo_city
from organization.hooks import hooks


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "创建演示数据：虚构的河洛市及其区划、党组织和每个角色的演示账号（可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="在禁止演示数据的环境（生产设置）中仍然运行。演示账号的密码是公开的。",
        )

    def handle(self, *args, **options):
        """Build the city, then print what it holds and the accounts to log in with."""
        if not settings.DEMO_DATA_ALLOWED and not options["force"]:
            # The demo accounts have public passwords, and a rerun resets them.
            raise CommandError("当前设置禁止加载演示数据（演示账号密码公开）。确需加载请加 --force。")
        self.stdout.write("正在创建演示城市河洛市 (building demo city) …")
        result = build_demo_city(stdout=self.stdout)
        build_demo_members(stdout=self.stdout)
        for build in hooks("demo_builder"):
            build(stdout=self.stdout)
        counts, created = result["counts"], result["created"]

        self.stdout.write("")
        self.stdout.write(
            f"市 (city): {counts['city']}　县区 (counties): {counts['county']}　"
            f"乡镇/街道 (townships): {counts['township']}　村/社区 (villages): {counts['village']}"
            f"（社区 {counts['urban_village']}，村 {counts['rural_village']}）"
        )
        self.stdout.write(
            f"党组织 (party organizations): {counts['party_organization']}　账号 (accounts): {counts['account']}"
        )
        self.stdout.write(
            f"本次新建 (created this run): 区划 {created['region']}，党组织 {created['party_organization']}，"
            f"账号 {created['account']}"
        )

        headers = ("用户名 (username)", "密码 (password)", "角色 (role)", "管辖范围 (jurisdiction)")
        rows = [
            (account["username"], account["password"], account["role_label"], account["region_full_name"])
            for account in result["accounts"]
        ]
        widths = [max(_width(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("演示账号 (demo accounts)"))
        for row in [headers, *rows]:
            self.stdout.write("  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        # Everyone who reads the README knows these passwords.
        self.stdout.write(self.style.WARNING("演示账号密码公开，仅用于演示和测试，请勿在生产环境中使用。"))
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 (demo data ready)."))
