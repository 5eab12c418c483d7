"""The register (登记造册) as an Excel workbook: the standard layout, scoped and masked.

Written with openpyxl in write-only mode from a server-side iterator, so 100,000 members
take constant memory. Every text cell goes through ``escape_formula``: a value starting
with = + - @, a tab or a carriage return is prefixed with a single quote so that Excel
and the tools that re-save it as CSV never run it as a formula (ASVS 5.0 1.2.10; the
libraries' own escaping strips only a leading "=").
"""

from datetime import date
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from . import idnumbers
from .choices import Education, Gender, Health, LabourCapacity, PovertyCause, Status, Track
from .models import Member, RegisterExport
from .register_columns import EXPORT_COLUMNS

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
ITERATOR_CHUNK = 2000


def escape_formula(value):
    """A string that a spreadsheet will show as text, never evaluate; other values unchanged."""
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    # Control characters are not allowed in the file's XML at all.
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def register_title(user) -> str:
    region = getattr(user, "region", None)
    return _("%(region)s贫困党员登记造册") % {"region": region.name if region else _("全市")}


_LABELS = {
    "gender": dict(Gender.choices),
    "education": dict(Education.choices),
    "health": dict(Health.choices),
    "labour_capacity": dict(LabourCapacity.choices),
    "track": dict(Track.choices),
    "status": dict(Status.choices),
}
_CAUSES = dict(PovertyCause.choices)


def _row(member: Member, seq: int, reveal: bool) -> dict:
    labels = _LABELS
    return {
        "seq": seq,
        "file_number": member.file_number,
        "name": member.name,
        "gender": str(labels["gender"].get(member.gender, "")),
        "ethnicity": member.ethnicity,
        "birth_date": member.birth_date,
        "id_number": member.id_number if reveal else idnumbers.mask(member.id_number),
        "phone": member.phone,
        "party_branch": member.party_branch,
        "joined_party_on": member.joined_party_on,
        "education": str(labels["education"].get(member.education, "")),
        "health": str(labels["health"].get(member.health, "")),
        "labour_capacity": str(labels["labour_capacity"].get(member.labour_capacity, "")),
        "household_size": member.household_size,
        "county": member.county.name,
        "township": member.township.name,
        "village": member.village.name,
        "urban": _("城市") if member.is_urban else _("农村"),
        "poverty_causes": "、".join(str(_CAUSES.get(code, code)) for code in member.poverty_causes),
        "income_per_head": member.income_per_head,
        "track": str(labels["track"].get(member.track, "")),
        "status": str(labels["status"].get(member.status, "")),
    }


# 出生年月 is shown to the month, as registers write it; a date cell keeps it exact for re-import.
NUMBER_FORMATS = {"birth_date": "yyyy.mm", "joined_party_on": "yyyy-mm-dd", "income_per_head": "0.00"}
WIDTHS = {"name": 10, "id_number": 21, "file_number": 14, "party_branch": 24, "poverty_causes": 22, "phone": 14}


def write_register(queryset, *, user, destination, filters: str = "") -> int:
    """Write the register of ``queryset`` (already scoped) to ``destination``; return the row count.

    ID numbers are masked unless the user may see them in full; a full export is logged
    once (RegisterExport), with the filters that chose its rows.
    """
    reveal = user.has_perm("members.reveal_id_number")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("登记造册"))
    width = len(EXPORT_COLUMNS)
    for index, (_header, key) in enumerate(EXPORT_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(key, 11)
    sheet.freeze_panes = "C4"
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)

    def text_cell(value, **style):
        cell = WriteOnlyCell(sheet, value=escape_formula(value))
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    title = text_cell(register_title(user), font=Font(size=16, bold=True), alignment=Alignment(horizontal="center"))
    sheet.append([title])
    sheet.merged_cells.add(f"A1:{get_column_letter(width)}1")
    today = timezone.localdate()
    line = _("导出日期：%(day)s    导出人：%(user)s") % {"day": f"{today:%Y年%m月%d日}", "user": user}
    sheet.append([text_cell(line)])
    sheet.merged_cells.add(f"A2:{get_column_letter(width)}2")
    header_fill = PatternFill("solid", fgColor="F2DCDB")
    sheet.append(
        [
            text_cell(
                header, font=Font(bold=True), fill=header_fill, border=border, alignment=Alignment(wrap_text=True)
            )
            for header, _key in EXPORT_COLUMNS
        ]
    )
    keys = [key for _header, key in EXPORT_COLUMNS]
    # Only the dates and the money need a styled cell; plain values are written several times faster.
    formatted = {index: NUMBER_FORMATS[key] for index, key in enumerate(keys) if key in NUMBER_FORMATS}
    members = queryset.select_related("village", "township", "county").order_by("county__code", "file_number")
    count = 0
    for count, member in enumerate(members.iterator(chunk_size=ITERATOR_CHUNK), 1):
        values = _row(member, count, reveal)
        row = [escape_formula(values[key]) if isinstance(values[key], str) else values[key] for key in keys]
        for index, number_format in formatted.items():
            if row[index] is not None:
                cell = WriteOnlyCell(sheet, value=row[index])
                cell.number_format = number_format
                row[index] = cell
        sheet.append(row)
    workbook.save(destination)
    RegisterExport.objects.create(
        user=user, region=user.region, filters=filters[:500], row_count=count, full_id_numbers=reveal
    )
    return count


def export_filename(user, day: date | None = None) -> str:
    day = day or timezone.localdate()
    return f"{register_title(user)}-{day:%Y%m%d}.xlsx"


def filters_text(query) -> str:
    """The list page's filters as they were given (for the export log)."""
    return urlencode([(key, value) for key in query for value in query.getlist(key) if value])
