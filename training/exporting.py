"""A batch's roster (学员花名册) as an Excel workbook, scoped and masked like the register.

Every text cell goes through members.exporting.escape_formula, so a name or a reason
starting with ``=`` is shown, never run.
"""

from io import BytesIO
from urllib.parse import quote

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from members import idnumbers
from members.exporting import escape_formula


def roster_columns():
    return [
        (_("序号"), 6),
        (_("姓名"), 10),
        (_("性别"), 6),
        (_("身份证号码"), 22),
        (_("联系电话"), 14),
        (_("乡镇（街道）"), 14),
        (_("推荐村（社区）"), 14),
        (_("推荐人"), 12),
        (_("推荐日期"), 12),
        (_("推荐理由"), 24),
        (_("状态"), 10),
        (_("考核成绩"), 10),
        (_("考核等次"), 10),
        (_("结业证书编号"), 16),
    ]


def roster_rows(roster):
    for seq, enrolment in enumerate(roster, start=1):
        member = enrolment.member
        yield [
            seq,
            member.name,
            member.get_gender_display(),
            idnumbers.mask(member.id_number),
            member.phone,
            member.township.name,
            enrolment.recommending_village.name,
            str(enrolment.recommended_by or ""),
            enrolment.recommended_on,
            enrolment.reason,
            enrolment.get_status_display(),
            enrolment.score,
            enrolment.get_grade_display(),
            enrolment.certificate_number,
        ]


def roster_workbook(batch, roster) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("学员花名册")
    columns = roster_columns()
    title = _("%(batch)s学员花名册（%(start)s 至 %(end)s，%(place)s）") % {
        "batch": batch,
        "start": batch.start_date,
        "end": batch.end_date,
        "place": batch.place,
    }
    sheet.append([escape_formula(str(title))])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([str(label) for label, _width in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in roster_rows(roster):
        sheet.append([escape_formula(value) for value in row])
    for index, (_label, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=3, min_col=9, max_col=9):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_filename(batch) -> str:
    return quote(f"{batch.title}-第{batch.period_number}期-学员花名册.xlsx")
