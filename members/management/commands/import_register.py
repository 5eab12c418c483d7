"""manage.py import_register FILE.xlsx [--user USERNAME] [--dry-run] [--json]"""

import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from members import importing


class Command(BaseCommand):
    help = (
        "Import a county's Excel register (登记造册). Rows are created, updated, unchanged or rejected "
        "with reasons; a real run is kept as an import batch that can be rolled back in the browser. "
        "Exit status 0 when the file was read (even with rejected rows), 1 when it could not be."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument(
            "--user",
            help="the account that imports: its jurisdiction limits the villages, and it is the history's user "
            "(default: the first superuser)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument(
            "--json",
            action="store_true",
            help='print one JSON object: total, created, updated, unchanged, rejected, errors [{"row", "reasons"}]',
        )

    def handle(self, *args, **options):
        as_json = options["json"]
        user = self._user(options["user"])
        try:
            if options["dry_run"]:
                result = importing.import_register(options["file"], user=user, dry_run=True)
                batch = None
            else:
                batch, result = importing.import_file_as_batch(options["file"], user=user)
        except (importing.RegisterFileError, PermissionDenied, OSError) as error:
            message = error.message if isinstance(error, importing.RegisterFileError) else str(error)
            if isinstance(error, FileNotFoundError):
                message = f"找不到文件：{options['file']}"
            if as_json:
                self.stdout.write(json.dumps({"error": message}, ensure_ascii=False))
            else:
                self.stderr.write(message)
            raise SystemExit(1) from None
        if as_json:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
            return
        self._report(result, batch, dry_run=options["dry_run"])

    def _user(self, username):
        users = get_user_model().objects
        if username:
            user = users.filter(username=username).first()
            if user is None:
                raise CommandError(f"没有用户名为 {username} 的账号。")
            return user
        user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if user is None:
            raise CommandError("没有超级用户；请用 --user 指定导入人。")
        # stderr, so that --json output stays one object.
        self.stderr.write(f"未指定 --user，按第一个超级用户 {user.username} 导入（管辖范围：全市）。")
        return user

    def _report(self, result, batch, *, dry_run):
        counts = result.counts
        prefix = "【试运行，未写入】" if dry_run else ""
        self.stdout.write(
            f"{prefix}人员行数 {counts['total']}：新建 {counts['created']}，更新 {counts['updated']}，"
            f"无变化 {counts['unchanged']}，拒绝 {counts['rejected']}。"
        )
        for error in result.errors():
            self.stdout.write(f"  第 {error['row']} 行：" + "；".join(error["reasons"]))
        if batch is not None:
            self.stdout.write(f"已记为导入批次 #{batch.pk}，可在“台账导入记录”中查看或整批撤销。")
