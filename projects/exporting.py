"""The project list as an Excel workbook, scoped like the page and formula-escaped
(members.exporting.escape_formula: a cell starting with = + - @ is kept as text)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from members.exporting import escape_formula

COLUMNS = (
    (_lazy("序号"), "seq"),
    (_lazy("项目名称"), "title"),
    (_lazy("贫困党员"), "member"),
    (_lazy("档案编号"), "file_number"),
    (_lazy("县区"), "county"),
    (_lazy("乡镇（街道）"), "township"),
    (_lazy("村（社区）"), "village"),
    (_lazy("发展方向"), "direction"),
    (_lazy("项目预算（元）"), "budget"),
    (_lazy("预期年收入（元）"), "expected_income"),
    (_lazy("状态"), "status"),
    (_lazy("提出日期"), "proposed_on"),
    (_lazy("审批日期"), "decided_on"),
    (_lazy("开工日期"), "started_on"),
    (_lazy("结项日期"), "closed_on"),
    (_lazy("实际年收入（元）"), "income_earned"),
    (_lazy("带动就业（人）"), "jobs_created"),
    (_lazy("失败原因"), "failure_reason"),
)
MONEY_KEYS = {"budget", "expected_income", "income_earned"}
DATE_KEYS = {"proposed_on", "decided_on", "started_on", "closed_on"}


def _title(user) -> str:
    region = getattr(user, "region", None)
    return _("%(region)s致富项目清单") % {"region": region.name if region else _("全市")}


def write_projects(queryset, *, user, destination) -> int:
    """Write the (already scoped) projects to ``destination``; return the row count."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("致富项目"))
    sheet.append([WriteOnlyCell(sheet, value=escape_formula(_title(user)))])
    line = _("导出日期：%(day)s    导出人：%(user)s") % {"day": f"{timezone.localdate():%Y年%m月%d日}", "user": user}
    sheet.append([escape_formula(line)])
    header = []
    for label, _key in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(label))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    projects = queryset.select_related("member__village", "member__township", "member__county").order_by(
        "member__county__code", "-proposed_on", "id"
    )
    count = 0
    for count, project in enumerate(projects.iterator(chunk_size=2000), 1):
        member = project.member
        values = {
            "seq": count,
            "title": project.title,
            "member": member.name,
            "file_number": member.file_number,
            "county": member.county.name,
            "township": member.township.name,
            "village": member.village.name,
            "direction": str(project.get_direction_display()),
            "budget": project.budget,
            "expected_income": project.expected_income,
            "status": str(project.get_status_display()),
            "proposed_on": project.proposed_on,
            "decided_on": project.decided_on,
            "started_on": project.started_on,
            "closed_on": project.closed_on,
            "income_earned": project.income_earned,
            "jobs_created": project.jobs_created,
            "failure_reason": project.failure_reason,
        }
        row = []
        for _label, key in COLUMNS:
            value = values[key]
            if key in MONEY_KEYS and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "0.00"
                value = cell
            elif key in DATE_KEYS and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                value = cell
            elif isinstance(value, str):
                value = escape_formula(value)
            row.append(value)
        sheet.append(row)
    workbook.save(destination)
    return count


def export_filename(user, day: date | None = None) -> str:
    day = day or timezone.localdate()
    return f"{_title(user)}-{day:%Y%m%d}.xlsx"
