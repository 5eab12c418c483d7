"""Import of the registers counties keep in Excel (登记造册): read, check, plan, write, roll back.

The pipeline, in the order it runs:

1. ``check_upload`` / ``read_register``: the file is an .xlsx (a zip with a workbook in
   it, of a sane unpacked size); python-calamine reads it (dates come back as dates, and
   it is ~10x faster than openpyxl). The header row is found by scoring the first rows
   against the accepted column names (members.register_columns); rows above it are titles.
2. ``check_rows``: every row that holds a person is cleaned cell by cell into the values
   of Member's input fields, each problem tied to its cell. Blank lines, totals rows and
   the signature lines under the table hold no person and are not counted. Villages are
   resolved by name within the importing user's jurisdiction (one query).
3. ``plan_rows``: existing files are matched by ID number (the business key, one query
   per 2,000 rows) and compared field by field with values of the same types (date with
   date, Decimal with Decimal), so a row that changes nothing is ``unchanged`` and is
   not written at all, not even as a history row.
4. ``write_rows``: inside one transaction, new files are inserted with ``bulk_create``
   (file numbers taken per county from ``services.next_file_numbers``), changed files
   with ``INSERT … ON CONFLICT DO UPDATE`` on the ID number, and every one of them gets a
   history row in bulk, with the importing user and a reason naming the batch.

Why not django-import-export's ``Resource.import_data`` (see members.resources): its
per-row instance loading, diffing and savepoints ran at ~430 rows/s here, and its
``skip_unchanged`` never fires for openpyxl's datetimes against the model's dates, so a
re-import would rewrite every file and its history. This pipeline does the same checks
in bulk, with a fixed number of queries per 1,000 rows.
"""

import csv
import dataclasses
import hashlib
import io
import itertools
import logging
import operator
import re
import time
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import DatabaseError, connection, transaction
from django.db.models import Max, Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from organization.choices import RegionLevel
from organization.models import Region

from . import idnumbers, register_columns, services
from .choices import Education, Gender, Health, LabourCapacity, PovertyCause
from .models import ImportBatch, ImportBatchStatus, Member, TrackDecision
from .register_columns import column_key, normalize_text
from .services import _apply_route, _place, next_file_numbers  # module-private helpers, reused as they are

logger = logging.getLogger(__name__)

CREATED, UPDATED, UNCHANGED, REJECTED = "created", "updated", "unchanged", "rejected"
ACTION_LABELS = {
    CREATED: gettext_lazy("新建"),
    UPDATED: gettext_lazy("更新"),
    UNCHANGED: gettext_lazy("无变化"),
    REJECTED: gettext_lazy("拒绝"),
}

# Limits on what an upload may be (ASVS 5.2): the zip is checked before anything unpacks it.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 10_000
MAX_ROWS = 1_048_576

# Rows per INSERT and per lookup: big enough that 100k rows take ~100 statements, small
# enough for PostgreSQL's 65,535 parameters per statement (27 columns × 1,000).
BATCH_SIZE = 1000
LOOKUP_CHUNK = 5000

# Stored by the ~/XLSX readers as 1899-12-30 + n days (the 1900 leap-year bug included).
EXCEL_EPOCH = date(1899, 12, 30)

ID_LOST_DIGITS = "身份证号被存成了数字，后几位已丢失，请把该列设为文本后重新填写"

ProgressCallback = Callable[[str, int, int], None]


class RegisterFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in one sentence."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class CellError(Exception):
    """A cell's value cannot be read; the message says what to write instead."""


# --- 1. reading the file -----------------------------------------------------------------


def _open_binary(source):
    if isinstance(source, str | Path):
        return open(source, "rb")  # noqa: SIM115 - closed by the caller
    source.seek(0)
    return source


def check_upload(source) -> None:
    """Refuse anything that is not a sane .xlsx before a parser sees it (one clear message)."""
    handle = _open_binary(source)
    try:
        head = handle.read(8)
        if not head:
            raise RegisterFileError(_("文件是空的（0 字节），请选择要导入的 Excel 台账。"))
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise RegisterFileError(_("这是旧版 Excel（.xls）文件。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。"))
        if not head.startswith(b"PK"):
            raise RegisterFileError(_("这不是 Excel 工作簿（.xlsx）文件，请上传 Excel 台账。"))
        handle.seek(0)
        try:
            with zipfile.ZipFile(handle) as archive:
                entries = archive.infolist()
        except zipfile.BadZipFile:
            raise RegisterFileError(_("文件已损坏或不是 Excel 工作簿（.xlsx），请重新导出后上传。")) from None
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise RegisterFileError(_("这不是 Excel 工作簿（.xlsx）文件，请上传 Excel 台账。"))
        if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
            raise RegisterFileError(_("工作簿解压后超过 200 MB，请拆分成几个文件分别导入。"))
    finally:
        if isinstance(source, str | Path):
            handle.close()
        else:
            handle.seek(0)


@dataclasses.dataclass
class RegisterSheet:
    """The table found in a workbook: where its header is and which column holds what.

    Column indexes are relative to the sheet's first used column (``col_offset``, 0 for
    column A); row numbers are as Excel shows them.
    """

    name: str
    header_row: int
    col_offset: int
    columns: dict[str, int]
    headers: list[str]
    top_rows: list[list]
    merged: list[tuple[tuple[int, int], tuple[int, int]]]
    rows: Iterable[tuple[int, list]]  # (row number, cells) below the header, read once
    row_count: int = 0  # rows below the header, blank ones included

    def header_of(self, column: int | None) -> str:
        if column is None or column >= len(self.headers):
            return ""
        return self.headers[column]


def _header_keys(row) -> dict[int, str]:
    keys = {}
    for index, cell in enumerate(row):
        if isinstance(cell, str) and cell:
            key = column_key(cell)
            if key is not None:
                keys[index] = key
    return keys


def _find_header(top: list[list]) -> tuple[int, dict[int, str]] | None:
    """The row (index into ``top``) whose cells name the most known columns, with those names.

    A two-row header (a group title merged over sub-columns, or 序号 merged down over
    two rows) is read as one: a neighbouring row's names fill the best row's gaps.
    """
    scored = [(len(set(keys.values())), index, keys) for index, keys in enumerate(map(_header_keys, top))]
    best = max(scored, key=lambda item: (item[0], -item[1]), default=None)
    if best is None or best[0] < 2:
        return None
    _score, index, keys = best
    keys = dict(keys)
    below = scored[index + 1][2] if index + 1 < len(scored) else {}
    new_below = {col: key for col, key in below.items() if col not in keys and key not in keys.values()}
    if new_below and not any(_looks_like_id(cell) for cell in top[index + 1] if not _is_blank(cell)):
        # Sub-headers under merged group titles (基本情况 over 姓名、性别 …): the lower row ends the header.
        keys.update(new_below)
        index += 1
    above = scored[index - 1][2] if index > 0 else {}
    for col, key in above.items():
        if col not in keys and key not in keys.values():
            keys[col] = key
    return index, keys


def read_register(source) -> RegisterSheet:
    """Find the register table in the workbook (the visible sheet with the best header)."""
    check_upload(source)
    handle = _open_binary(source)
    try:
        workbook = CalamineWorkbook.from_filelike(handle)
        candidates = []
        for index, meta in enumerate(workbook.sheets_metadata):
            if meta.typ != SheetTypeEnum.WorkSheet or meta.visible != SheetVisibleEnum.Visible:
                continue
            sheet = workbook.get_sheet_by_index(index)
            if sheet.start is None:
                continue
            rows = sheet.iter_rows()
            top = [row for _, row in zip(range(register_columns.HEADER_SEARCH_ROWS), rows, strict=False)]
            found = _find_header(top)
            candidates.append((found, sheet, top, rows))
            if found is not None and len(set(found[1].values()) & set(register_columns.REQUIRED_COLUMNS)) == 3:
                break
    except (CalamineError, ValueError, OSError) as error:
        logger.info("unreadable workbook: %s", error)
        raise RegisterFileError(
            _("无法读取这个工作簿，文件可能已损坏。请用 Excel 打开后另存为 .xlsx 再上传。")
        ) from None
    finally:
        if isinstance(source, str | Path):
            handle.close()
    if not candidates:
        raise RegisterFileError(_("工作簿是空的，没有找到任何数据。"))
    usable = [c for c in candidates if c[0] is not None]
    if not usable:
        raise RegisterFileError(
            _("没有找到表头：前 %(n)d 行中没有“姓名”“公民身份号码”“村（社区）”等列名。%(help)s")
            % {"n": register_columns.HEADER_SEARCH_ROWS, "help": register_columns.COLUMN_HELP}
        )
    # The sheet that has the required columns, else the best-scoring one (to name what is missing).
    (header_index, keys), sheet, top, rest = max(
        usable, key=lambda c: (len(set(c[0][1].values()) & set(register_columns.REQUIRED_COLUMNS)), len(c[0][1]))
    )
    columns: dict[str, int] = {}
    for col in sorted(keys):
        columns.setdefault(keys[col], col)
    missing = [key for key in register_columns.REQUIRED_COLUMNS if key not in columns]
    if missing:
        names = "、".join(f"“{register_columns.COLUMN_NAMES[key][0]}”" for key in missing)
        raise RegisterFileError(
            _("缺少必需的列：%(names)s。%(help)s") % {"names": names, "help": register_columns.COLUMN_HELP}
        )
    width = max((len(row) for row in top), default=0)
    header_cells = top[header_index]
    headers = [""] * width
    for col in range(width):
        cell = header_cells[col] if col < len(header_cells) else ""
        headers[col] = normalize_text(cell) if cell != "" else ""
    for col, key in keys.items():
        if not headers[col]:
            headers[col] = register_columns.COLUMN_NAMES[key][0]
    height = (sheet.end[0] + 1) if sheet.end else len(top)
    if height > MAX_ROWS:
        raise RegisterFileError(_("工作表超过 1,048,576 行，请拆分后导入。"))
    first = len(top)
    # Streamed: the cells of 100k rows held as Python lists would cost ~150 MB more.
    rows = itertools.chain(
        ((number + 1, row) for number, row in enumerate(top) if number > header_index),
        ((first + offset + 1, row) for offset, row in enumerate(rest)),
    )
    return RegisterSheet(
        name=sheet.name,
        header_row=header_index + 1,
        col_offset=sheet.start[1],
        columns=columns,
        headers=headers,
        top_rows=top[: header_index + 1],
        merged=sheet.merged_cell_ranges or [],
        rows=rows,
        row_count=max(height - header_index - 1, 0),
    )


# --- 2. cleaning cells -------------------------------------------------------------------

_ESCAPED = frozenset("=+-@\t\r\n")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_DATE_PARTS = re.compile(r"^(\d{4})[.\-/年](\d{1,2})(?:(?:[.\-/月](\d{1,2})日?)|月)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$", re.IGNORECASE)


def _text(value) -> str:
    """A cell as text: numbers without ".0", half-width forms, no surrounding spaces."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def clean_id_number(value) -> str:
    """The 18-digit number; a number cell is accepted only where Excel cannot have lost digits."""
    if isinstance(value, bool):
        raise CellError(_("请填写身份证号码。"))
    if isinstance(value, int | float):
        # Excel keeps 15 significant digits: an 18-digit number typed into a number cell
        # comes back with its last digits as zeros, and an X cannot be a number at all.
        # Read it as Excel shows it: 15 significant digits, whatever the file's XML held.
        digits = str(int(Decimal(f"{float(value):.15g}")))
        if len(digits) == 15:
            return _validated_id(digits)
        if len(digits) == 18:
            try:
                return idnumbers.validate(digits)
            except ValidationError:
                raise CellError(_(ID_LOST_DIGITS)) from None
        if len(digits) > 15:
            raise CellError(_(ID_LOST_DIGITS))
        return _validated_id(digits)
    text = normalize_text(value)
    if _SCIENTIFIC.match(text):
        raise CellError(_(ID_LOST_DIGITS))
    return _validated_id(text)


def _validated_id(text: str) -> str:
    try:
        return idnumbers.validate(text)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None


def clean_name(value) -> str:
    # Registers pad two-character names for alignment: "张  三" is 张三.
    name = normalize_text(value)
    if len(name) > 32:
        raise CellError(_("姓名不能超过 32 个字。"))
    return name


def clean_choice(value, index: dict[str, str], choices) -> str:
    text = normalize_text(value)
    if text in index:
        return index[text]
    allowed = "、".join(str(label) for code, label in choices.choices if code)
    raise CellError(_("无法识别“%(value)s”，可填：%(allowed)s。") % {"value": text, "allowed": allowed})


def clean_gender(value) -> str:
    return clean_choice(value, register_columns.GENDER_VALUES, Gender)


def parse_date(value) -> tuple[date, bool]:
    """(date, has_day) from the spellings registers use; ``has_day`` is False for 1965.03."""
    if isinstance(value, datetime):
        return value.date(), True
    if isinstance(value, date):
        return value, True
    if isinstance(value, bool):
        raise CellError(_("无法识别的日期。"))
    if isinstance(value, int | float):
        return _date_from_number(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    text = "".join(text.split(" ")[:1]) if re.match(r"^\d{4}-\d{2}-\d{2} \d", text) else "".join(text.split())
    try:
        if match := _DATE_PARTS.match(text):
            year, month, day = match.groups()
            return _make_date(int(year), int(month), int(day) if day else None)
        if match := _DATE_COMPACT.match(text):
            year, month, day = match.groups()
            return _make_date(int(year), int(month), int(day) if day else None)
        if _NUMBER.match(text):
            return _date_from_number(float(text))
    except ValueError:
        pass
    raise CellError(_("无法识别的日期“%(value)s”，请写成 1965-03-12 或 1965.03。") % {"value": text})


def _make_date(year: int, month: int, day: int | None) -> tuple[date, bool]:
    if not 1900 <= year <= 2100:
        raise ValueError(year)
    return date(year, month, day or 1), day is not None


def _date_from_number(number: float) -> tuple[date, bool]:
    whole = int(number)
    try:
        if number == whole and 19000101 <= whole <= 21001231:  # 19650312
            return _make_date(whole // 10000, whole // 100 % 100, whole % 100)
        if number == whole and 190001 <= whole <= 210012:  # 196503
            return _make_date(whole // 100, whole % 100, None)
        if number == whole and 1900 <= whole <= 2100:
            raise CellError(_("日期只写了年份“%(year)s”，请至少写到月份，如 %(year)s.07。") % {"year": whole})
        if number != whole and 1900 <= whole <= 2100:  # 1965.03, stored as a number
            month = round((number - whole) * 100)
            if month == 10:
                # 1965.10 and 1965.1 are the same number: October or January cannot be told apart.
                raise CellError(
                    _("日期“%(value)s”存成了数字，分不清是 1 月还是 10 月，请写成 %(year)s-01 或 %(year)s-10。")
                    % {"value": repr(number), "year": whole}
                )
            return _make_date(whole, month, None)
        if 1 <= number < 73051:  # an Excel serial date (1900-01-01 … 2099-12-31)
            day = EXCEL_EPOCH + timedelta(days=whole)
            return day, True
    except ValueError:
        pass
    raise CellError(_("无法识别的日期“%(value)s”，请写成 1965-03-12 或 1965.03。") % {"value": _text(number)})


def clean_past_date(value) -> date:
    day, _has_day = parse_date(value)
    if day > _today():
        raise CellError(_("日期 %(day)s 晚于今天。") % {"day": day.isoformat()})
    return day


def _today() -> date:
    # Asked once per second at most: timezone.localdate() per cell costs more than the parsing.
    now = time.monotonic()
    if now - _TODAY[0] > 1:
        _TODAY[:] = [now, timezone.localdate()]
    return _TODAY[1]


_TODAY: list = [-10.0, None]


def clean_int(value, low: int, high: int) -> int:
    text = _text(value).removesuffix("人").removesuffix("口")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s”不是整数。") % {"value": text}) from None
    if number != number.to_integral_value():
        raise CellError(_("“%(value)s”不是整数。") % {"value": text})
    if not low <= number <= high:
        raise CellError(
            _("应在 %(low)d 到 %(high)d 之间（现为 %(value)s）。") % {"low": low, "high": high, "value": text}
        )
    return int(number)


_MONEY_NOISE = str.maketrans("", "", ",，元¥￥ ")


def clean_money(value) -> Decimal:
    if isinstance(value, int | float) and not isinstance(value, bool):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = unicodedata.normalize("NFKC", str(value)).translate(_MONEY_NOISE).strip()
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError(_("“%(value)s”不是金额，请只填数字（元）。") % {"value": str(value).strip()}) from None
    if not amount.is_finite() or amount < 0:
        raise CellError(_("金额不能为负数。"))
    if amount >= Decimal("1e12"):
        raise CellError(_("金额过大，请核对单位是否为元。"))
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def clean_phone(value) -> str:
    text = _text(value)
    if not re.fullmatch(r"[0-9\-+ ]{7,20}", text):
        raise CellError(_("联系电话“%(value)s”格式不正确，只能填数字、空格、+ 和 -。") % {"value": text})
    return text


def clean_causes(value) -> list[str]:
    codes, unknown = set(), []
    for part in register_columns.POVERTY_CAUSE_SEPARATORS.split(unicodedata.normalize("NFKC", str(value))):
        if not part:
            continue
        word = part.removesuffix("致贫")
        code = register_columns.POVERTY_CAUSE_VALUES.get(word) or register_columns.POVERTY_CAUSE_VALUES.get(part)
        if code is None:
            unknown.append(part)
        else:
            codes.add(code)
    if unknown:
        allowed = "、".join(str(label) for label in PovertyCause.labels)
        raise CellError(
            _("无法识别的致贫原因：%(unknown)s。可填：%(allowed)s，多个用顿号分隔。")
            % {"unknown": "、".join(unknown), "allowed": allowed}
        )
    return [code for code in _CAUSE_ORDER if code in codes]  # the choices' own order


_CAUSE_ORDER = tuple(PovertyCause.values)  # .values is rebuilt on every access


def clean_living_source(value) -> bool:
    text = normalize_text(value)
    if text in register_columns.LIVING_SOURCE_VALUES:
        return register_columns.LIVING_SOURCE_VALUES[text]
    raise CellError(_("请填“有”或“无”（现为“%(value)s”）。") % {"value": text})


def clean_ethnicity(value) -> str:
    text = normalize_text(value)
    if text and not text.endswith("族") and len(text) <= 3:
        text += "族"  # 汉 → 汉族, 蒙古 → 蒙古族
    if len(text) > 16:
        raise CellError(_("民族不能超过 16 个字。"))
    return text


def _clean_text(max_length: int, label: str):
    def clean(value) -> str:
        text = " ".join(_plain(value).split())
        if len(text) > max_length:
            raise CellError(_("%(label)s不能超过 %(n)d 个字。") % {"label": label, "n": max_length})
        return text

    return clean


def _plain(value) -> str:
    """Free text as the county wrote it (full-width punctuation kept), numbers without ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def clean_notes(value) -> str:
    return _plain(value)


# Member input fields read from a column, each with its cleaner.
FIELD_CLEANERS: dict[str, Callable] = {
    "name": clean_name,
    "id_number": clean_id_number,
    "ethnicity": clean_ethnicity,
    "phone": clean_phone,
    "party_branch": _clean_text(128, "所在党支部"),
    "joined_party_on": clean_past_date,
    "education": lambda v: clean_choice(v, register_columns.EDUCATION_VALUES, Education),
    "health": lambda v: clean_choice(v, register_columns.HEALTH_VALUES, Health),
    "labour_capacity": lambda v: clean_choice(v, register_columns.LABOUR_VALUES, LabourCapacity),
    "has_living_source": clean_living_source,
    "household_size": lambda v: clean_int(v, 1, 30),
    "poverty_causes": clean_causes,
    "income_per_head": clean_money,
    "registered_on": clean_past_date,
    "notes": clean_notes,
}


@dataclasses.dataclass(slots=True, eq=False)
class RegisterRow:
    """One row of the file that holds a person, and what the import does with it."""

    number: int
    values: dict = dataclasses.field(default_factory=dict)
    errors: list[tuple[int | None, str]] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    name: str = ""
    id_number: str = ""
    place: tuple[str, str, str] = ("", "", "")
    action: str = ""
    member: Member | None = None
    changed: tuple[str, ...] = ()
    lapsed: TrackDecision | None = None

    def reject(self, message, column: int | None = None) -> None:
        self.errors.append((column, str(message)))

    def reasons(self, sheet: RegisterSheet) -> list[str]:
        reasons = []
        for column, message in self.errors:
            header = sheet.header_of(column)
            reasons.append(f"{header}：{message}" if header else message)
        return reasons


def _is_blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _looks_like_id(value) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value >= 1e14
    text = normalize_text(value)
    return len(text) >= 15 and text[:14].isdigit()


def _holds_person(cells: list, columns: dict[str, int], person_columns: list[int]) -> bool:
    """Blank lines, totals rows and signature lines hold no person; anything with a name,
    an ID number or at least two filled person columns does (and is counted, so lost never)."""
    id_col, name_col = columns["id_number"], columns["name"]
    id_value = cells[id_col] if id_col < len(cells) else ""
    if not _is_blank(id_value) and _looks_like_id(id_value):
        return True
    filled = [cell for cell in cells if not _is_blank(cell)]
    if not filled:
        return False
    for cell in filled:
        if isinstance(cell, str):
            text = normalize_text(cell)
            if register_columns.is_total_cell(text) or register_columns.is_signature_cell(text):
                return False
    name_value = cells[name_col] if name_col < len(cells) else ""
    if not _is_blank(name_value) or not _is_blank(id_value):
        return True
    return sum(1 for col in person_columns if col < len(cells) and not _is_blank(cells[col])) >= 2


def check_rows(sheet: RegisterSheet, *, user, progress: ProgressCallback | None = None) -> list[RegisterRow]:
    """Clean every person row of the sheet and resolve its village; no other query."""
    columns = sheet.columns
    fields = [(key, col, FIELD_CLEANERS[key]) for key, col in columns.items() if key in FIELD_CLEANERS]
    person_columns = [
        col for key, col in columns.items() if key not in register_columns.IGNORED_COLUMNS and key != "seq"
    ]
    gender_col, birth_col = columns.get("gender"), columns.get("birth_date")
    place_cols = [columns.get("village"), columns.get("township"), columns.get("county")]
    rows: list[RegisterRow] = []
    total = sheet.row_count
    for position, (number, cells) in enumerate(sheet.rows):
        if progress is not None and position % 5000 == 0:
            progress("check", position, total)
        if not _holds_person(cells, columns, person_columns):
            continue
        row = RegisterRow(number=number)
        width = len(cells)
        values = row.values
        for key, col, clean in fields:
            raw = cells[col] if col < width else ""
            if raw == "" or raw is None or (raw.__class__ is str and raw.isspace()):
                continue
            if isinstance(raw, str) and raw[0] == "'" and raw[1:2] in _ESCAPED:
                raw = raw[1:]  # our own export's formula escaping (members.exporting)
            try:
                values[key] = clean(raw)
            except CellError as error:
                row.reject(error.args[0], col)
        row.name = values.get("name", "")
        row.id_number = values.get("id_number", "")
        if not row.name:
            row.reject(_("请填写姓名。"), columns["name"])
        if "id_number" not in values and not any(col == columns["id_number"] for col, _m in row.errors):
            row.reject(_("请填写身份证号码。"), columns["id_number"])
        if row.id_number:
            _check_against_id(row, cells, gender_col, birth_col)
        if joined := values.get("joined_party_on"):
            _check_joined(row, joined, columns["joined_party_on"])
        row.place = place_of(cells, place_cols)
        if not row.place[0]:
            row.reject(_("请填写所在村（社区）。"), columns["village"])
        rows.append(row)
    _resolve_villages(rows, sheet, user=user)
    if progress is not None:
        progress("check", total, total)
    return rows


def _check_against_id(row: RegisterRow, cells: list, gender_col, birth_col) -> None:
    """性别 and 出生年月 are not stored from the file (the ID says them) but must agree with it."""
    number = row.id_number
    if gender_col is not None and gender_col < len(cells) and not _is_blank(cells[gender_col]):
        try:
            gender = clean_gender(cells[gender_col])
        except CellError as error:
            row.reject(error.args[0], gender_col)
        else:
            by_id = idnumbers.gender(number)
            if gender != by_id:
                row.reject(
                    _("“%(given)s”与身份证号码（%(by_id)s）不符，请核对。")
                    % {"given": Gender(gender).label, "by_id": Gender(by_id).label},
                    gender_col,
                )
    if birth_col is not None and birth_col < len(cells) and not _is_blank(cells[birth_col]):
        try:
            born, has_day = parse_date(cells[birth_col])
        except CellError as error:
            row.reject(error.args[0], birth_col)
            return
        by_id = idnumbers.birth_date(number)
        same = born == by_id if has_day else (born.year, born.month) == (by_id.year, by_id.month)
        if not same:
            row.reject(
                _("%(given)s 与身份证号码（%(by_id)s）不符，请核对。")
                % {"given": f"{born:%Y.%m}", "by_id": f"{by_id:%Y.%m.%d}"},
                birth_col,
            )


def _check_joined(row: RegisterRow, joined: date, column: int) -> None:
    if not row.id_number:
        return
    born = idnumbers.birth_date(row.id_number)
    if (joined.year, joined.month) < (born.year + 18, born.month):
        row.reject(_("%(day)s 早于年满18周岁，请核对。") % {"day": f"{joined:%Y.%m}"}, column)


def villages_by_name(user, names: set[str] | None = None) -> dict[str, list[Region]]:
    """The villages the user may import into, by name (only those ``names`` if given); one query."""
    visible = Region.objects.visible_to(user).filter(level=RegionLevel.VILLAGE).select_related("parent__parent")
    if names is not None:
        visible = visible.filter(name__in=names)
    by_name: dict[str, list[Region]] = defaultdict(list)
    for village in visible:
        by_name[village.name].append(village)
    return by_name


def village_candidates(place: tuple[str, str, str], by_name: dict[str, list[Region]]) -> list[Region]:
    """The villages a row's 村、乡镇、县区 may mean; exactly one is a resolved place."""
    village_name, township_name, county_name = place
    candidates = by_name.get(village_name, [])
    if township_name:
        candidates = [v for v in candidates if _same_place(v.parent.name, township_name)]
    if county_name:
        candidates = [v for v in candidates if _same_place(v.parent.parent.name, county_name)]
    return candidates


def place_of(cells: list, place_cols: list) -> tuple[str, str, str]:
    """The row's (村, 乡镇, 县区) as written, normalized; "" where blank or missing."""
    width = len(cells)
    return tuple(
        normalize_text(cells[col]) if col is not None and col < width and not _is_blank(cells[col]) else ""
        for col in place_cols
    )


def id_of(cells: list, col: int) -> str:
    """The row's ID number as check_rows reads it, or "" where the cell is blank or bad."""
    raw = cells[col] if col < len(cells) else ""
    if raw == "" or raw is None or (raw.__class__ is str and raw.isspace()):
        return ""
    if isinstance(raw, str) and raw[0] == "'" and raw[1:2] in _ESCAPED:
        raw = raw[1:]
    try:
        return clean_id_number(raw)
    except CellError:
        return ""


def _resolve_villages(rows: list[RegisterRow], sheet: RegisterSheet, *, user) -> None:
    """Village names to villages, within the user's jurisdiction; one query (two if some are not found)."""
    names = {row.place[0] for row in rows if row.place[0]}
    if not names:
        return
    by_name = villages_by_name(user, names)
    missing = names - set(by_name)
    elsewhere = set()
    if missing:
        # Said apart from "unknown", so that a county knows the row belongs to another one.
        elsewhere = set(
            Region.objects.filter(level=RegionLevel.VILLAGE, name__in=missing).values_list("name", flat=True)
        )
    columns = sheet.columns
    village_col = columns["village"]
    for row in rows:
        village_name, township_name, county_name = row.place
        if not village_name:
            continue
        candidates = village_candidates(row.place, by_name)
        if len(candidates) == 1:
            row.values["village"] = candidates[0]
        elif len(candidates) > 1:
            row.reject(
                _("您的管辖范围内有 %(n)d 个名为“%(name)s”的村（社区），请填写“乡镇（街道）”列加以区分。")
                % {"n": len(candidates), "name": village_name},
                village_col,
            )
        elif village_name in elsewhere:
            row.reject(
                _("“%(name)s”不在您的管辖范围内，只能导入本辖区的村（社区）。") % {"name": village_name},
                village_col,
            )
        elif by_name.get(village_name):
            where = township_name or county_name
            row.reject(
                _("“%(where)s”下没有名为“%(name)s”的村（社区），请核对乡镇、县区名称。")
                % {"where": where, "name": village_name},
                columns.get("township", village_col) if township_name else columns.get("county", village_col),
            )
        else:
            row.reject(_("找不到名为“%(name)s”的村（社区），请核对名称。") % {"name": village_name}, village_col)


def _same_place(stored: str, given: str) -> bool:
    """乡镇 names are written with or without their suffix: 青石镇 / 青石."""
    stored, given = normalize_text(stored), normalize_text(given)
    if stored == given:
        return True
    suffixes = ("镇", "乡", "街道", "街道办事处", "办事处", "县", "区", "市")
    return any(stored == given + s or given == stored + s for s in suffixes)


# --- 3. planning: created, updated, unchanged or rejected --------------------------------

# What a change of these input fields makes services recompute.
_ROUTE_FIELDS = frozenset({"labour_capacity", "has_living_source"})
_DERIVED_FIELDS = ("township", "county", "is_urban", "computed_track", "track", "track_override_reason")


def _same_value(field: str, member: Member, new) -> bool:
    if field == "village":
        return member.village_id == new.pk
    current = getattr(member, field)
    if field == "poverty_causes":
        return set(current or []) == set(new)
    if field == "income_per_head":
        return current is not None and Decimal(current) == new
    return current == new


def _visible(member: Member, user) -> bool:
    if user.is_superuser:
        return True
    return user.region is not None and member.village.path.startswith(user.region.path)


def _existing_members(ids: list[str]) -> dict[str, Member]:
    found = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start : start + LOOKUP_CHUNK]
        for member in Member.objects.filter(id_number__in=chunk).select_related("village"):
            found[member.id_number] = member
    return found


def plan_rows(
    rows: list[RegisterRow], *, user, today: date | None = None, elsewhere: frozenset[int] = frozenset()
) -> None:
    """Decide each row's action; updates are applied to the loaded members, nothing is saved.

    The same ID number twice: a later row identical to the first is ``unchanged`` (the
    file already says it, once), a different one is rejected, pointing at the first row.
    ``elsewhere``: numbers of rows whose ID number first appears in another part of the
    file (members.import_parts); they are left without an action, for the merge to settle.
    """
    today = today or timezone.localdate()
    first_seen: dict[str, RegisterRow] = {}
    repeats: list[tuple[RegisterRow, RegisterRow]] = []
    for row in rows:
        row.action = ""
        if elsewhere and row.number in elsewhere:
            continue
        if row.id_number:
            first = first_seen.setdefault(row.id_number, row)
            if first is not row:
                repeats.append((row, first))
                continue
        if row.errors:
            row.action = REJECTED
    candidates = [
        row
        for row in rows
        if not row.action and first_seen.get(row.id_number) is row and not (elsewhere and row.number in elsewhere)
    ]
    existing = _existing_members([row.id_number for row in candidates])
    needs_route = []
    defaults = _member_defaults()
    for row in candidates:
        member = existing.get(row.id_number)
        if member is None:
            _plan_create(row, today, defaults)
        elif not _visible(member, user):
            row.reject(_("该身份证号码已在您管辖范围以外建档，不能在此导入；如需迁入，请联系上级组织部门。"))
            row.action = REJECTED
        else:
            changed = [field for field, value in row.values.items() if not _same_value(field, member, value)]
            if not changed:
                row.action = UNCHANGED
                continue
            row.action, row.member, row.changed = UPDATED, member, tuple(changed)
            if _ROUTE_FIELDS.intersection(changed):
                needs_route.append(row.member)
    # A person's track decision stands only while the rule's result is unchanged; load the
    # standing ones for the members whose routing inputs change, in one query per chunk.
    for start in range(0, len(needs_route), LOOKUP_CHUNK):
        prefetch_related_objects(
            needs_route[start : start + LOOKUP_CHUNK],
            Prefetch(
                "track_decisions",
                queryset=TrackDecision.objects.filter(lapsed_at__isnull=True),
                to_attr="standing_decisions",
            ),
        )
    for row in candidates:
        if row.action == UPDATED:
            _apply_update(row, today)
    _flag_possible_duplicates([row for row in candidates if row.action == CREATED], user=user)
    for row, first in repeats:
        settle_repeat(row, first, same_values=_comparable(first.values) == _comparable(row.values))
    for row in rows:
        if row.action != REJECTED:
            row.values = {}  # now in row.member (or unchanged): ~1 KB a row less to hold while writing


def settle_repeat(row: RegisterRow, first: RegisterRow, *, same_values: bool) -> None:
    """A later row with the ID number of ``first`` (planned already): unchanged or rejected."""
    # first.errors may have grown while planning; its cell errors come first.
    identical = same_values and row.errors == first.errors[: len(row.errors)]
    if identical and first.action != REJECTED:
        row.action = UNCHANGED
        row.notes.append(_("与第 %(row)d 行重复，按第 %(row)d 行处理。") % {"row": first.number})
    elif identical:
        row.reject(_("与第 %(row)d 行重复，而第 %(row)d 行未能导入。") % {"row": first.number})
        row.action = REJECTED
    else:
        row.reject(
            _("与第 %(row)d 行是同一身份证号码但内容不同；同一人只能出现一次，请核对后只保留一行。")
            % {"row": first.number}
        )
        row.action = REJECTED


def _comparable(values: dict) -> dict:
    return {k: (v.pk if isinstance(v, Region) else sorted(v) if isinstance(v, list) else v) for k, v in values.items()}


def values_key(values: dict) -> str:
    """The row's values as one string, equal for two rows exactly when _comparable says so
    (cleaned values are str, int, bool, date, Decimal quantized to 0.01, lists, villages)."""
    return repr(sorted(_comparable(values).items()))


def _plan_create(row: RegisterRow, today: date, defaults: list) -> None:
    if "labour_capacity" not in row.values:
        row.reject(_("新建档案必须填写劳动能力（普通劳动力、技能劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力）。"))
        row.action = REJECTED
        return
    member = _new_member(row.values, defaults)
    # services._identify, without validating a second time what clean_id_number validated.
    member.birth_date = idnumbers.birth_date(member.id_number)
    member.gender = idnumbers.gender(member.id_number)
    _place(member)
    _apply_route(member, today)  # no query for a new file: it has no decisions yet
    row.member, row.action = member, CREATED


_MEMBER_FIELDS = Member._meta.concrete_fields
_MEMBER_INDEX = {field.name: index for index, field in enumerate(_MEMBER_FIELDS)}
_VILLAGE = Member._meta.get_field("village")


def _member_defaults() -> list:
    """The model's defaults in field order, taken once per import (date.today included)."""
    return [field.get_default() for field in _MEMBER_FIELDS]


def _new_member(values: dict, defaults: list) -> Member:
    """Member(**values), through the positional fast path of Model.__init__ (the keyword path
    costs more than everything else done to a row); defaults as the model gives them."""
    args = defaults.copy()
    for name, value in values.items():
        args[_MEMBER_INDEX[name]] = value
    village = values["village"]
    args[_MEMBER_INDEX["village"]] = village.pk
    if "poverty_causes" not in values:
        args[_MEMBER_INDEX["poverty_causes"]] = []  # a list default must not be shared
    member = Member(*args)
    _VILLAGE.set_cached_value(member, village)
    return member


def _flag_possible_duplicates(rows: list[RegisterRow], *, user) -> None:
    """services.member_create refuses a new file with the same name and birth date in the same
    township until a person confirms it is someone else; an import cannot ask, so it rejects
    the row and says where the other file is (or another row of the file)."""
    if not rows:
        return
    seen: dict[tuple, RegisterRow] = {}
    for row in rows:
        member = row.member
        key = (member.name, member.birth_date, member.township_id)
        first = seen.setdefault(key, row)
        if first is not row:
            _reject_duplicate(
                row, _("与第 %(row)d 行同名、同出生日期、同乡镇，但身份证号码不同。") % {"row": first.number}
            )
    rows = [row for row in rows if row.action == CREATED]
    existing: dict[tuple, list[Member]] = defaultdict(list)
    keys = set(seen)
    names = sorted({name for name, _born, _township in keys})
    for start in range(0, len(names), LOOKUP_CHUNK):
        # By name alone (indexed): a long second IN list of dates costs PostgreSQL more to plan.
        chunk = Member.objects.filter(name__in=names[start : start + LOOKUP_CHUNK])
        for other in chunk.only(
            "id", "name", "birth_date", "township_id", "file_number", "village__name", "village__path"
        ).select_related("village"):
            key = (other.name, other.birth_date, other.township_id)
            if key in keys:
                existing[key].append(other)
    for row in rows:
        if row.action != CREATED:
            continue
        member = row.member
        others = existing.get((member.name, member.birth_date, member.township_id))
        if others:
            shown = [o for o in others if _visible(o, user)]
            where = "、".join(f"{o.name}（{o.file_number}，{o.village.name}）" for o in shown[:3]) or _(
                "不在您管辖范围内"
            )
            _reject_duplicate(row, _("同一乡镇已有同名、同出生日期的档案：%(names)s。") % {"names": where})


def _reject_duplicate(row: RegisterRow, message: str) -> None:
    row.reject(message + _("请核对是否为同一人；确属不同的人，请在档案页面逐个新建。"))
    row.action, row.member = REJECTED, None


def _derived(member: Member) -> dict:
    attnames = {"township": "township_id", "county": "county_id"}
    return {field: getattr(member, attnames.get(field, field)) for field in _DERIVED_FIELDS}


def _apply_update(row: RegisterRow, today: date) -> None:
    """Set the changed input fields and recompute what services would, as services do."""
    member = row.member
    before = _derived(member)
    for field in row.changed:
        setattr(member, field, row.values[field])
    if "village" in row.changed:
        _place(member)
    if _ROUTE_FIELDS.intersection(row.changed):
        standing = member.standing_decisions[0] if member.standing_decisions else None
        row.lapsed = services.resolve_track(member, standing, today)
    after = _derived(member)
    row.changed += tuple(field for field in _DERIVED_FIELDS if before[field] != after[field])


# --- 4. writing --------------------------------------------------------------------------


@dataclasses.dataclass
class ImportResult:
    sheet: RegisterSheet
    rows: list[RegisterRow]
    history_from: int | None = None
    history_to: int | None = None

    @property
    def lapsed_decisions(self) -> list[int]:
        return [row.lapsed.pk for row in self.rows if row.action == UPDATED and row.lapsed is not None]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATED, UPDATED, UNCHANGED, REJECTED), 0)
        for row in self.rows:
            counts[row.action] += 1
        return {"total": len(self.rows), **counts}

    def errors(self) -> list[dict]:
        return [{"row": row.number, "reasons": row.reasons(self.sheet)} for row in self.rows if row.action == REJECTED]

    def as_json(self) -> dict:
        return {**self.counts, "errors": self.errors()}


class ConcurrentChange(Exception):
    """A file the import is about to update changed after it was read."""


def _report(progress: ProgressCallback | None, phase: str, done: int, total: int) -> None:
    if progress is not None:
        progress(phase, done, total)


def write_rows(rows: list[RegisterRow], *, user, reason: str, progress: ProgressCallback | None = None):
    """Insert and update the planned rows with their history; call inside a transaction.

    Returns the (first, last) history ids written, or (None, None).
    """
    now = timezone.now()
    creates = [row.member for row in rows if row.action == CREATED]
    updates = [row for row in rows if row.action == UPDATED]
    _lock_unchanged_since_read([row.member for row in updates])
    by_county: dict[int, list[Member]] = defaultdict(list)
    for member in creates:
        by_county[member.county_id].append(member)
    for members in sorted(by_county.values(), key=lambda ms: ms[0].county.code):  # one lock order for all imports
        for member, number in zip(members, next_file_numbers(members[0].county, len(members)), strict=True):
            member.file_number = number
    lapsed = [row.lapsed.pk for row in updates if row.lapsed is not None]
    if lapsed:
        TrackDecision.objects.filter(pk__in=lapsed).update(lapsed_at=now, updated_at=now)
    total = len(creates) + len(updates)
    done = 0
    history_ids: list[int] = []
    copier = _Copier() if _postgres() else None
    try:
        if copier is not None:
            # Ids from the sequences up front, in two queries, so that COPY can take the rows.
            for member, pk in zip(creates, _next_ids(Member._meta.db_table, "id", len(creates)), strict=True):
                member.pk = pk
            free_ids = iter(_next_ids(Member.history.model._meta.db_table, "history_id", total))
        for start in range(0, len(creates), BATCH_SIZE):
            chunk = creates[start : start + BATCH_SIZE]
            ids = [next(free_ids) for _ in chunk] if copier is not None else None
            _insert_members(chunk, now, copier)
            history_ids += _insert_history(chunk, "+", user=user, reason=reason, when=now, ids=ids, copier=copier)
            done += len(chunk)
            _report(progress, "write", done, total)
        if updates:
            fields = sorted({field for row in updates for field in row.changed} | {"updated_at"})
            members = [row.member for row in updates]
            for member in members:
                member.updated_at = now
            for start in range(0, len(members), BATCH_SIZE):
                chunk = members[start : start + BATCH_SIZE]
                ids = [next(free_ids) for _ in chunk] if copier is not None else None
                history_ids += _insert_history(chunk, "~", user=user, reason=reason, when=now, ids=ids, copier=copier)
                done += len(chunk)
                _report(progress, "write", done, total)
            _update_members(members, fields, copier)
    finally:
        if copier is not None:
            copier.close()
    if not history_ids:
        return None, None
    return min(history_ids), max(history_ids)


# PostgreSQL takes rows through COPY, ~10x faster than INSERT statements that Django
# compiles value by value (which is most of bulk_create's time: performance notes, A1/A2).
# Elsewhere (SQLite in development) the ORM's bulk methods do the same job.


def _postgres() -> bool:
    return connection.vendor == "postgresql"


class _Copier:
    """COPY statements on the transaction's connection, one in flight in a helper thread while
    the next buffer is built here: PostgreSQL ingests (on the other core) while Python formats.
    Only one thread uses the connection at a time; ``wait`` before any other statement."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="register-copy")
        self.pending = None

    def send(self, sql: str, buffer) -> None:
        self.wait()
        self.pending = (sql, time.monotonic(), self.pool.submit(self._run, sql, buffer))

    def _run(self, sql: str, buffer) -> None:
        with self.raw.cursor() as cursor:
            cursor.copy_expert(sql, buffer)

    def wait(self) -> None:
        if self.pending is not None:
            sql, started, future = self.pending
            self.pending = None
            future.result()
            _log_query(sql, started)

    def close(self) -> None:
        try:
            self.wait()  # never leave a COPY running while the transaction rolls back
        finally:
            self.pool.shutdown(wait=True)


def _insert_members(members: list[Member], now, copier: "_Copier | None" = None) -> None:
    if copier is None:
        Member.objects.bulk_create(members)
        return
    for member in members:
        member.created_at = member.updated_at = now
        member._state.adding, member._state.db = False, connection.alias
    _copy(Member, list(Member._meta.concrete_fields), members, copier=copier)


def _insert_history(
    members: list[Member], kind: str, *, user, reason: str, when, ids=None, copier: "_Copier | None" = None
) -> list[int]:
    """One history row per member, as simple_history would write it (type +, ~ or -)."""
    history = Member.history.model
    if copier is None:
        records = Member.history.bulk_history_create(
            members, update=kind == "~", default_user=user, default_change_reason=reason, default_date=when
        )
        return _record_ids(records)
    fixed = {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": kind,
        "history_user_id": user.pk if user is not None else None,
    }
    tracked = {field.attname for field in history.tracked_fields}
    fields = [f for f in history._meta.concrete_fields if f.attname in tracked or f.attname in fixed or f.primary_key]
    rows = [
        [
            history_id
            if field.primary_key
            else fixed[field.attname]
            if field.attname in fixed
            else getattr(member, field.attname)
            for field in fields
        ]
        for member, history_id in zip(members, ids, strict=True)
    ]
    _copy(history, fields, rows, values=True, copier=copier)
    return ids


def _record_ids(records) -> list[int]:
    ids = [record.history_id for record in records if record.history_id is not None]
    if len(ids) != len(records):
        raise DatabaseError("the database did not return the ids of the history rows")
    return ids


def _update_members(members: list[Member], fields: list[str], copier: "_Copier | None" = None) -> None:
    if copier is None:
        # INSERT … ON CONFLICT (id_number) DO UPDATE: one statement per chunk, ~40x faster
        # than bulk_update's CASE WHEN (performance notes, A1).
        for start in range(0, len(members), BATCH_SIZE):
            chunk = members[start : start + BATCH_SIZE]
            created_at = [member.created_at for member in chunk]
            Member.objects.bulk_create(chunk, update_conflicts=True, unique_fields=["id_number"], update_fields=fields)
            for member, value in zip(chunk, created_at, strict=True):
                member.created_at = value  # bulk_create stamps it on the instance, not in the row
        return
    table = connection.ops.quote_name(Member._meta.db_table)
    columns = [Member._meta.get_field(name) for name in fields]
    names = ", ".join(connection.ops.quote_name(field.column) for field in columns)
    scratch = "import_member_changes"
    # Table and column names come from the model, never from the file.
    copier.wait()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {scratch} AS SELECT id, {names} FROM {table} WITH NO DATA")  # noqa: S608
        for start in range(0, len(members), BATCH_SIZE):
            _copy(
                Member, [Member._meta.pk, *columns], members[start : start + BATCH_SIZE], table=scratch, copier=copier
            )
        copier.wait()
        assignments = ", ".join(
            f"{name} = changes.{name}" for name in (connection.ops.quote_name(f.column) for f in columns)
        )
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {scratch} AS changes WHERE {table}.id = changes.id")  # noqa: S608
        cursor.execute(f"DROP TABLE {scratch}")


def _next_ids(table: str, column: str, count: int) -> list[int]:
    """``count`` values of the table's id sequence, taken in one query."""
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
        )
        return [row[0] for row in cursor.fetchall()]


def _copy_null(value):
    return "\\N" if value is None else value


def _copy_choice_set(value):
    return f",{','.join(value)}," if value else ""


def _copy(model, fields, objects, *, values: bool = False, table: str | None = None, copier=None) -> None:
    """COPY ``objects`` (instances, or lists of values in ``fields`` order) into the table, as CSV.

    The csv module turns dates, decimals and booleans into text PostgreSQL reads, in C; only
    NULLs (written as \\N) and the choice sets need a hand.
    """
    table = connection.ops.quote_name(table or model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    fixes = [
        (index, _copy_choice_set if field.__class__.__name__ == "ChoiceSetField" else _copy_null)
        for index, field in enumerate(fields)
        if field.null or field.__class__.__name__ == "ChoiceSetField"
    ]
    if values:
        rows = objects
    else:
        get = operator.attrgetter(*(field.attname for field in fields))
        rows = (get(obj) for obj in objects)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        if fixes:
            row = list(row)
            for index, fix in fixes:
                row[index] = fix(row[index])
        writer.writerow(row)
    buffer.seek(0)
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    if copier is not None:
        copier.send(sql, buffer)
        return
    with connection.cursor() as cursor:
        started = time.monotonic()
        cursor.cursor.copy_expert(sql, buffer)
        _log_query(sql, started)


def _log_query(sql: str, started: float) -> None:
    # COPY bypasses Django's cursor wrapper; count it where queries are counted (tests, debug).
    if connection.queries_logged:
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})


def _lock_unchanged_since_read(members: list[Member]) -> None:
    """Lock the files to update and make sure nobody saved them since they were compared."""
    read = {member.pk: member.updated_at for member in members}
    pks = list(read)
    for start in range(0, len(pks), LOOKUP_CHUNK):
        chunk = pks[start : start + LOOKUP_CHUNK]
        for pk, updated_at in Member.objects.select_for_update().filter(pk__in=chunk).values_list("pk", "updated_at"):
            if updated_at != read[pk]:
                raise ConcurrentChange(pk)


def _require_import_permission(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if not (user.has_perm("members.add_member") and user.has_perm("members.change_member")):
        raise PermissionDenied(_("您的角色不能导入台账（需要新建和修改档案的权限）。"))
    if not user.is_superuser and user.region_id is None:
        raise PermissionDenied(_("您的账号没有管辖范围，不能导入台账。"))


def import_register(
    source,
    *,
    user,
    dry_run: bool = False,
    reason: str = "Excel导入",
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Read, check and (unless ``dry_run``) write a register; all or nothing for the rows it accepts.

    Raises RegisterFileError when the file as a whole cannot be read.
    """
    _require_import_permission(user)
    _report(progress, "read", 0, 1)
    sheet = read_register(source)
    rows = check_rows(sheet, user=user, progress=progress)
    if not rows:
        raise RegisterFileError(_("表格中只有表头，没有找到人员数据（空行、合计行和签名行不计）。"))
    result = ImportResult(sheet=sheet, rows=rows)
    if dry_run:
        plan_rows(rows, user=user)
        return result
    for attempt in range(2):
        try:
            with transaction.atomic():
                plan_rows(rows, user=user)
                result.history_from, result.history_to = write_rows(rows, user=user, reason=reason, progress=progress)
            return result
        except ConcurrentChange:
            if attempt:
                raise
            # Somebody saved one of these files between reading and locking: plan again.
            sheet = read_register(source)
            rows = check_rows(sheet, user=user)
            result.sheet, result.rows = sheet, rows
    return result  # pragma: no cover


# --- 5. batches: preview, confirm, run, roll back ----------------------------------------

PROGRESS_CACHE_KEY = "members:import-batch-progress:%s"
PHASE_LABELS = {
    "read": gettext_lazy("正在读取文件"),
    "check": gettext_lazy("正在检查"),
    "write": gettext_lazy("正在写入"),
}


def async_row_threshold() -> int:
    """Above this many person rows the confirmed import runs in Celery."""
    return getattr(settings, "REGISTER_IMPORT_ASYNC_ROWS", 2000)


def async_byte_threshold() -> int:
    """Above this file size the preview, too, runs in Celery (about 4,000 rows of 20 columns)."""
    return getattr(settings, "REGISTER_IMPORT_ASYNC_BYTES", 512 * 1024)


def batch_create(*, user, upload, original_name: str) -> ImportBatch:
    """Keep the uploaded file (MEDIA_ROOT/imports/…) as a new batch waiting for its check."""
    _require_import_permission(user)
    check_upload(upload)
    batch = ImportBatch(created_by=user, region=user.region, original_name=Path(original_name).name[:255])
    batch.file.save("register.xlsx", upload if isinstance(upload, File) else File(upload), save=False)
    batch.save()
    return batch


def _progress_for(batch: ImportBatch, *, cached: bool = False) -> ProgressCallback:
    """Report progress: to the row while outside the import's transaction, to the cache inside it
    (a row updated inside would stay invisible to the page until the commit)."""

    def report(phase: str, done: int, total: int) -> None:
        percent = int(done * 100 / total) if total else 0
        note = f"{PHASE_LABELS.get(phase, phase)} {done:,} / {total:,}" if total > 1 else PHASE_LABELS.get(phase, "")
        if cached or phase == "write":
            cache.set(PROGRESS_CACHE_KEY % batch.pk, {"progress": percent, "note": note, "phase": phase}, 3600)
        else:
            ImportBatch.objects.filter(pk=batch.pk).update(
                progress=percent, progress_note=note[:128], updated_at=timezone.now()
            )

    return report


def progress_of(batch: ImportBatch) -> dict:
    """What the status endpoint shows: the row, or the cache while the write phase runs."""
    data = {
        "id": batch.pk,
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "progress": batch.progress,
        "note": batch.progress_note,
        "finished": batch.is_finished or batch.status == ImportBatchStatus.PREVIEWED,
        "counts": {
            "total": batch.total,
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected": batch.rejected,
        },
    }
    if batch.status == ImportBatchStatus.RUNNING:
        cached = cache.get(PROGRESS_CACHE_KEY % batch.pk)
        if cached:
            data.update(progress=cached["progress"], note=cached["note"])
    return data


def _store_result(batch: ImportBatch, result: ImportResult) -> None:
    counts = result.counts
    for key in ("total", CREATED, UPDATED, UNCHANGED, REJECTED):
        setattr(batch, key, counts[key])
    batch.sheet_name = result.sheet.name[:64]
    batch.header_row = result.sheet.header_row
    sheet = result.sheet
    batch.errors = [
        {
            "row": row.number,
            "reasons": row.reasons(sheet),
            "cells": [[col, message] for col, message in row.errors],
        }
        for row in result.rows
        if row.action == REJECTED
    ]
    batch.rows = [[row.number, row.action, row.name, row.reasons(sheet) + row.notes] for row in result.rows]


def batch_preview(batch: ImportBatch) -> ImportBatch:
    """Check the stored file and record, row by row, what a confirmed import would do."""
    user = batch.created_by
    try:
        with batch.file.open("rb") as handle:
            result = import_register(handle, user=user, dry_run=True, progress=_progress_for(batch))
    except (RegisterFileError, PermissionDenied) as error:
        batch.status, batch.message = ImportBatchStatus.FAILED, _message(error)
        batch.save()
        return batch
    _store_result(batch, result)
    batch.status, batch.progress, batch.progress_note, batch.message = ImportBatchStatus.PREVIEWED, 100, "", ""
    batch.save()
    return batch


def _message(error) -> str:
    if isinstance(error, RegisterFileError):
        return error.message
    return str(error.args[0]) if error.args else _("没有权限。")


def batch_confirm(batch: ImportBatch, *, user) -> ImportBatch:
    """The user has seen the preview and asks for the import: queue it (once)."""
    _require_import_permission(user)
    updated = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatchStatus.PREVIEWED).update(
        status=ImportBatchStatus.QUEUED, confirmed_at=timezone.now(), progress=0, progress_note=""
    )
    batch.refresh_from_db()
    if not updated and batch.status not in (ImportBatchStatus.QUEUED, ImportBatchStatus.RUNNING):
        raise ValidationError(
            _("该批次当前状态为“%(status)s”，不能确认导入。") % {"status": batch.get_status_display()}
        )
    return batch


def _batch_reason(batch: ImportBatch) -> str:
    return _("Excel导入（批次 #%(id)s）") % {"id": batch.pk}


def execute_batch(batch: ImportBatch) -> ImportResult:
    """Import the batch's stored file now and record what it did; raises what import_register raises."""
    batch.change_reason = _batch_reason(batch)
    try:
        with batch.file.open("rb") as handle:
            result = import_register(
                handle, user=batch.created_by, reason=batch.change_reason, progress=_progress_for(batch, cached=True)
            )
    finally:
        cache.delete(PROGRESS_CACHE_KEY % batch.pk)
    record_done(batch, result)
    return result


def record_done(batch: ImportBatch, result: ImportResult) -> None:
    """The batch is imported: what each row became, the history it wrote, done."""
    _store_result(batch, result)
    batch.history_from, batch.history_to = result.history_from, result.history_to
    batch.lapsed_decisions = result.lapsed_decisions
    batch.status, batch.progress, batch.progress_note, batch.message = ImportBatchStatus.DONE, 100, "", ""
    batch.finished_at = timezone.now()
    batch.save()


MAX_ATTEMPTS = 3


def batch_run(batch_id: int, *, split: Callable[[ImportBatch], bool] | None = None) -> ImportBatch | None:
    """Run a confirmed batch; idempotent, safe to redeliver.

    ``split`` (members.tasks): offered the claimed batch first; True when it took the
    batch over (checked per county in subtasks, written in one transaction by the last).

    The run holds the batch row's lock for the whole of its transaction, so a second
    delivery while a worker is alive finds it locked and returns; a worker that dies
    (SIGKILL, OOM, lost server) loses its transaction and its lock together, and the
    redelivered message runs the batch again from the start (all or nothing: nothing of the
    dead run was committed). Each start is counted first, in its own commit; at
    MAX_ATTEMPTS starts the batch is failed instead of run again (a poison file must not
    kill workers forever).
    """
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .select_related("created_by")
            .filter(pk=batch_id, status__in=(ImportBatchStatus.QUEUED, ImportBatchStatus.RUNNING))
            .first()
        )
        if batch is None:
            return ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()  # done, or running
        if batch.attempts >= MAX_ATTEMPTS:
            batch.status, batch.finished_at = ImportBatchStatus.FAILED, timezone.now()
            batch.message = _("导入已开始%(n)s次仍未完成，已停止，没有写入任何数据。请检查文件后重新上传。") % {
                "n": batch.attempts
            }
            batch.save()
            return batch
        batch.attempts += 1
        batch.status = ImportBatchStatus.RUNNING
        batch.save(update_fields=["attempts", "status", "updated_at"])
    try:
        if split is not None and split(batch):
            batch.refresh_from_db()
            return batch
        with transaction.atomic():
            if not ImportBatch.objects.select_for_update(skip_locked=True).filter(
                pk=batch_id, status=ImportBatchStatus.RUNNING
            ):
                return batch  # another delivery took it between the two steps and runs it
            execute_batch(batch)
    except Exception as error:  # noqa: BLE001 - whatever failed, nothing was written; say so on the page
        fail_run(batch, error)
    return batch


def fail_run(batch: ImportBatch, error: Exception) -> None:
    """Record on the batch that its confirmed run failed and wrote nothing (call outside its transaction)."""
    logger.exception("import batch %s failed", batch.pk)
    if isinstance(error, RegisterFileError | PermissionDenied):
        message = _message(error)
    else:
        message = _("导入失败，没有写入任何数据（%(error)s）。请稍后重试，或联系管理员。") % {
            "error": type(error).__name__
        }
    # A fresh statement outside the rolled-back transaction (Django reconnects if the server went away).
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatchStatus.FAILED, message=message, finished_at=timezone.now(), updated_at=timezone.now()
    )
    batch.refresh_from_db()


def import_file_as_batch(path, *, user) -> tuple[ImportBatch, ImportResult]:
    """Import a file at once (the management command) and keep it as a batch that can be rolled back.

    A file that cannot be read leaves no batch behind: RegisterFileError is raised.
    """
    with open(path, "rb") as handle:
        batch = batch_create(user=user, upload=File(handle), original_name=str(path))
    batch.status, batch.confirmed_at = ImportBatchStatus.RUNNING, timezone.now()
    batch.save(update_fields=["status", "confirmed_at", "updated_at"])
    try:
        result = execute_batch(batch)
    except RegisterFileError:
        batch.file.delete(save=False)
        batch.delete()
        raise
    except Exception:
        batch.status, batch.finished_at = ImportBatchStatus.FAILED, timezone.now()
        batch.message = _("导入失败，没有写入任何数据。")
        batch.save()
        raise
    return batch, result


def batch_history(batch: ImportBatch):
    """The history rows the batch wrote: one per member it created (+) or updated (~)."""
    history = Member.history.model
    if batch.history_from is None:
        return history.objects.none()
    return history.objects.filter(
        history_id__gte=batch.history_from, history_id__lte=batch.history_to, history_change_reason=batch.change_reason
    )


def rollback_refusal(batch: ImportBatch) -> str | None:
    """Why the batch cannot be rolled back now, or None."""
    if batch.status != ImportBatchStatus.DONE:
        return _("只有已完成的导入批次可以撤销（当前状态：%(status)s）。") % {"status": batch.get_status_display()}
    if batch.history_from is None:
        return _("该批次没有新建或修改任何档案，无需撤销。")
    history = Member.history.model
    touched = batch_history(batch).values("id")
    if history.objects.filter(id__in=touched, history_id__gt=batch.history_to).exists():
        return _("该批次导入的档案此后已被修改或删除，不能整批撤销；请逐个档案处理。")
    created = batch_history(batch).filter(history_type="+").values("id")
    for relation in Member._meta.related_objects:
        if relation.related_model.__name__.startswith("Historical") or relation.many_to_many:
            continue
        lookup = f"{relation.field.name}__in"
        if relation.related_model._base_manager.filter(**{lookup: created}).exists():
            return _("该批次新建的档案此后已有其他记录（%(what)s），不能整批撤销。") % {
                "what": relation.related_model._meta.verbose_name
            }
    return None


@transaction.atomic
def batch_rollback(batch: ImportBatch, *, user) -> ImportBatch:
    """Undo a confirmed import as a whole: delete the files it created, restore those it changed.

    Refused while any of those files has changed since (a later history row).
    """
    _require_import_permission(user)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    history = Member.history.model
    records = list(batch_history(batch).values_list("id", "history_type"))
    member_ids = [member_id for member_id, _type in records]
    members = {}
    for start in range(0, len(member_ids), LOOKUP_CHUNK):
        members.update(Member.objects.select_for_update().in_bulk(member_ids[start : start + LOOKUP_CHUNK]))
    if refusal := rollback_refusal(batch):
        raise ValidationError(refusal)
    now = timezone.now()
    reason = _("撤销导入批次 #%(id)s") % {"id": batch.pk}
    created = [members[pk] for pk, kind in records if kind == "+" and pk in members]
    updated_ids = [pk for pk, kind in records if kind == "~"]
    previous = {}
    for start in range(0, len(updated_ids), LOOKUP_CHUNK):
        chunk = updated_ids[start : start + LOOKUP_CHUNK]
        latest = (
            history.objects.filter(id__in=chunk, history_id__lt=batch.history_from)
            .values("id")
            .annotate(last=Max("history_id"))
            .values_list("last", flat=True)
        )
        previous.update({record.id: record for record in history.objects.filter(history_id__in=list(latest))})
    if len(previous) != len(updated_ids):
        raise ValidationError(_("部分档案缺少导入前的历史记录，无法恢复，不能整批撤销。"))
    restored = []
    fields = [f.attname for f in Member._meta.concrete_fields if f.attname not in ("id", "created_at", "updated_at")]
    for pk in updated_ids:
        member, record = members[pk], previous[pk]
        for field in fields:
            setattr(member, field, getattr(record, field))
        restored.append(member)
    rows = [_history_row(history, member, "-", user, reason, now) for member in created]
    rows += [_history_row(history, member, "~", user, reason, now) for member in restored]
    history.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    for start in range(0, len(restored), BATCH_SIZE):
        chunk = restored[start : start + BATCH_SIZE]
        for member in chunk:
            member.updated_at = now
        Member.objects.bulk_create(
            chunk, update_conflicts=True, unique_fields=["id_number"], update_fields=[*fields, "updated_at"]
        )
    if batch.lapsed_decisions:
        # The decisions the import made lapse stand again, with the tracks restored above.
        TrackDecision.objects.filter(pk__in=batch.lapsed_decisions).update(lapsed_at=None, updated_at=now)
    created_ids = [member.pk for member in created]
    for start in range(0, len(created_ids), BATCH_SIZE):
        # Nothing refers to these files (checked above), so a plain DELETE is safe; Django's
        # delete() would fetch each one to send signals and write history row by row.
        Member.objects.filter(pk__in=created_ids[start : start + BATCH_SIZE])._raw_delete(Member.objects.db)
    batch.status, batch.rolled_back_at, batch.rolled_back_by = ImportBatchStatus.ROLLED_BACK, now, user
    batch.save()
    return batch


def _history_row(history_model, member: Member, kind: str, user, reason: str, when):
    values = {field.attname: getattr(member, field.attname) for field in history_model.tracked_fields}
    return history_model(
        history_date=when, history_user=user, history_change_reason=reason, history_type=kind, **values
    )


def file_digest(source) -> str:
    handle = _open_binary(source)
    try:
        digest = hashlib.sha256()
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
        return digest.hexdigest()
    finally:
        if isinstance(source, str | Path):
            handle.close()
        else:
            handle.seek(0)


# --- 6. the rejected rows, for the county to fix and send again ----------------------------

REJECTED_FILL = "FFC7CE"
EXPLANATION_HEADER = "错误说明"


def write_rejected_rows(batch: ImportBatch, destination) -> int:
    """The batch's workbook with only its rejected rows: titles and header as they were, each
    bad cell filled red with a comment saying what is wrong, and an 错误说明 column.

    The import ignores the 错误说明 column, so the fixed file can be sent back as it is.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .exporting import escape_formula

    errors = {entry["row"]: entry for entry in batch.errors}
    with batch.file.open("rb") as handle:
        sheet = read_register(handle)
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet((sheet.name or "Sheet1")[:31])
    offset = sheet.col_offset
    width = max(len(sheet.headers), 1)
    explanation_col = offset + width  # 0-based, after the last header column
    fill = PatternFill("solid", fgColor=REJECTED_FILL)
    id_col = sheet.columns.get("id_number")
    for col in range(width):
        out.column_dimensions[get_column_letter(offset + col + 1)].width = 21 if col == id_col else 12
    out.column_dimensions[get_column_letter(explanation_col + 1)].width = 60

    def cell(value, **style):
        # The county's own text, kept as it was but never run as a formula.
        c = WriteOnlyCell(out, value=escape_formula(value) if isinstance(value, str) else value)
        for name, setting in style.items():
            setattr(c, name, setting)
        return c

    for index, top in enumerate(sheet.top_rows):
        row = [None] * offset + [cell(value) if value != "" else None for value in top]
        if index == len(sheet.top_rows) - 1:
            row += [None] * (explanation_col - len(row)) + [cell(EXPLANATION_HEADER, font=Font(bold=True))]
        out.append(row)
    for (first_row, first_col), (last_row, last_col) in sheet.merged:
        if last_row < sheet.header_row:  # merges among the titles and the header
            out.merged_cells.add(
                f"{get_column_letter(first_col + 1)}{first_row + 1}:{get_column_letter(last_col + 1)}{last_row + 1}"
            )
    written = 0
    for number, cells in sheet.rows:
        entry = errors.get(number)
        if entry is None:
            continue
        bad = defaultdict(list)
        for col, message in entry.get("cells", []):
            bad[col].append(message)
        row = [None] * offset
        for col in range(max(len(cells), width)):
            value = cells[col] if col < len(cells) else ""
            c = cell(None if value == "" else value)
            if col == id_col:
                c.number_format = "@"  # so that a retyped number stays text
            if col in bad:
                c.fill = fill
                c.comment = Comment("\n".join(bad[col]), "系统")
            row.append(c)
        row += [None] * (explanation_col - len(row))
        row.append(cell(_("原第 %(row)d 行：") % {"row": number} + "；".join(entry["reasons"])))
        out.append(row)
        written += 1
    workbook.save(destination)
    return written
