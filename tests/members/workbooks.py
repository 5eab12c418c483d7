"""Registers as counties really keep them, built with openpyxl for the import tests.

``county_register()`` holds every quirk of the domain's "Excel registers" at once and
says, row by row, what the import must make of it (``EXPECTED``); the other builders
vary one thing each.
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from members import idnumbers

PLACE = "419921"  # 青山县 in tests/conftest.py's tree


def id_with(born: date, *, female: bool = False, ending: str | None = None, skip: int = 0) -> str:
    """A valid ID number born on ``born``; ``ending`` asks for the last characters ("X", "000")."""
    for sequence in range(1000):
        if (sequence % 2 == 0) != female:
            continue
        number = idnumbers.make(PLACE, born, sequence)
        if ending is None or number.endswith(ending):
            if skip == 0:
                return number
            skip -= 1
    raise ValueError(f"no ID born {born} ending {ending}")


def id_ending_000() -> str:
    """An 18-digit ID that Excel can hold as a number intact (15 significant digits)."""
    day = date(1968, 1, 1)
    while True:
        for sequence in range(0, 1000, 100):
            number = idnumbers.make(PLACE, day, sequence)
            if number.endswith("000"):
                return number
        day = date.fromordinal(day.toordinal() + 1)


def id_losing_digits() -> str:
    """An ID whose number form (last 3 digits zeroed) is not itself a valid ID."""
    day = date(1966, 4, 2)
    for sequence in range(1, 1000, 2):
        number = idnumbers.make(PLACE, day, sequence)
        zeroed = number[:15] + "000"
        try:
            idnumbers.validate(zeroed)
        except Exception:  # noqa: BLE001 - any refusal will do
            return number
    raise ValueError("no such ID")


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_file(content: bytes, name: str = "register.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


# --- the register with every quirk ---------------------------------------------------------

HEADER = [
    None,  # 序号 sits in row 3, merged down over rows 3-4
    "党员姓名",
    "身份证号",
    "性别",
    "出生年月",
    "民族",
    "入党时间",
    "所在村",
    "乡镇",
    "文化程度",
    "健康状况",
    "劳动能力",
    "家庭人口",
    "致贫原因",
    "人均纯收入（元）",
    "联系电话",
    "备注",
]
COLUMN = {name: index for index, name in enumerate(HEADER) if name}
COLUMN["序号"] = 0
FIRST_DATA_ROW = 5
FULL_WIDTH_PHONE = "１３８００１３８０００"


@dataclass
class Expected:
    """What the import must make of one row of ``county_register``."""

    row: int
    action: str
    name: str = ""
    id_number: str = ""
    joined: date | None = None
    reason: str = ""  # a part of the rejection reason
    bad_column: str = ""  # the header of the cell marked bad
    extra: dict = field(default_factory=dict)


def _person(name, id_number, *, gender="男", born="", joined="", village="张庄村", township="青石镇", **more):
    values = {
        "党员姓名": name,
        "身份证号": id_number,
        "性别": gender,
        "出生年月": born,
        "民族": "汉",
        "入党时间": joined,
        "所在村": village,
        "乡镇": township,
        "文化程度": "初中",
        "健康状况": "健康",
        "劳动能力": "有劳动能力",
        "家庭人口": 3,
        "致贫原因": "因病、缺技术",
        "人均纯收入（元）": 2800,
        "联系电话": "13800138000",
        "备注": "",
    }
    values.update(more)
    return values


def county_register() -> tuple[bytes, list[Expected]]:
    """青山县's register: titles and merged cells above a two-row header, alternative column
    names, full-width digits and spaces, IDs as numbers (intact and not) and with a small x,
    every date spelling, blank lines, the same person twice, villages outside and unknown, a
    gender that the ID contradicts, a totals row and the signature lines."""
    zhang = id_with(date(1965, 3, 12))
    li_x = id_with(date(1970, 5, 6), female=True, ending="X")
    old15 = id_with(date(1962, 8, 9))
    old15 = old15[:6] + old15[8:17]  # the 15-digit form of a number issued before 1999
    intact = id_ending_000()
    lost = id_losing_digits()
    people = [
        # row 5: full-width space in the name, full-width digits in the phone, 1965.03 as text, 有劳动能力
        (
            _person("张　三", zhang, born="1965.03", joined="1990.07", 联系电话=FULL_WIDTH_PHONE, 人均纯收入="2,800元"),
            Expected(5, "created", "张三", zhang, date(1990, 7, 1)),
        ),
        # row 6: lower-case x, 1970年5月, 女
        (
            _person("李秀英", li_x.lower(), gender="女", born="1970年5月", joined="1995年3月"),
            Expected(6, "created", "李秀英", li_x, date(1995, 3, 1)),
        ),
        # row 7: an old 15-digit ID stored as a number (nothing lost), 19900312
        (
            _person("王老五", int(old15), born=19620809, joined=19900312),
            Expected(7, "created", "王老五", idnumbers.upgrade_15(old15), date(1990, 3, 12)),
        ),
        # row 8: an 18-digit number that Excel holds intact (it ends in 000 and the check digit is 0)
        (
            _person("赵六", int(intact), gender="女", born="", joined="1990-03-12"),
            Expected(8, "created", "赵六", intact, date(1990, 3, 12)),
        ),
        # row 9: an 18-digit ID typed as a number: Excel kept 15 digits
        (
            _person("钱七", int(lost), joined="1990/3/12"),
            Expected(9, "rejected", "钱七", reason="身份证号被存成了数字", bad_column="身份证号"),
        ),
        # row 10: 1990/3/12
        (
            _person("孙八", id_with(date(1966, 1, 2)), joined="1990/3/12"),
            Expected(10, "created", "孙八", joined=date(1990, 3, 12)),
        ),
        # row 11: an Excel serial date (a number in a General cell) and 出生年月 1966.1 as text
        (
            _person("周九", id_with(date(1966, 1, 20)), born="1966.1", joined=33000),
            Expected(11, "created", "周九", joined=date(1990, 5, 7)),
        ),
        # row 12: a real date cell (openpyxl writes a datetime) and a number 1966.02 in 出生年月
        (
            _person("吴十", id_with(date(1966, 2, 3)), born=1966.02, joined=datetime(1991, 6, 1)),
            Expected(12, "created", "吴十", joined=date(1991, 6, 1)),
        ),
        None,  # row 13: blank
        # row 14: a village of 白河县, outside 青山县
        (
            _person("郑一", id_with(date(1967, 3, 4)), village="李家湾村", township="白沙镇"),
            Expected(14, "rejected", "郑一", reason="不在您的管辖范围内", bad_column="所在村"),
        ),
        # row 15: no such village
        (
            _person("冯二", id_with(date(1967, 3, 5)), village="王家村", township=""),
            Expected(15, "rejected", "冯二", reason="找不到名为“王家村”", bad_column="所在村"),
        ),
        # row 16: 女 where the ID says 男
        (
            _person("陈三", id_with(date(1967, 3, 6)), gender="女"),
            Expected(16, "rejected", "陈三", reason="与身份证号码（男）不符", bad_column="性别"),
        ),
        # row 17: row 5 again, identical: counted once, the second time unchanged
        (
            _person("张　三", zhang, born="1965.03", joined="1990.07", 联系电话=FULL_WIDTH_PHONE, 人均纯收入="2,800元"),
            Expected(17, "unchanged", "张三", zhang),
        ),
        # row 18: row 6's person with another income: refused, pointing at row 6
        (
            _person("李秀英", li_x, gender="女", joined="1995年3月", **{"人均纯收入（元）": 3100}),
            Expected(18, "rejected", "李秀英", reason="与第 6 行是同一身份证号码"),
        ),
        # row 19: the urban community, township written without 镇, full-width household size and income
        (
            _person(
                "褚四",
                id_with(date(1975, 9, 9)),
                village="建设路社区",
                township="青石",
                家庭人口="３",
                **{"人均纯收入（元）": "３０００", "劳动能力": "技能劳动力", "致贫原因": "缺资金，缺项目"},
            ),
            Expected(19, "created", "褚四", extra={"is_urban": True, "household_size": 3, "income": "3000.00"}),
        ),
        # row 20: 1965-03-12 spelled out, 弱劳动力
        (
            _person("卫五", id_with(date(1969, 7, 7)), born="1969-07-07", joined="1992-10-01", 劳动能力="半劳动力"),
            Expected(20, "created", "卫五", joined=date(1992, 10, 1)),
        ),
        None,  # row 21: blank
    ]
    workbook = Workbook()
    sheet: Worksheet = workbook.active
    sheet.title = "登记表"
    width = len(HEADER)
    sheet.append(["青山县贫困党员登记造册"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.append(["填报单位：青山县委组织部（盖章）                       填报日期：2024年3月"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    group = [None] * width
    group[0], group[1], group[6], group[11] = "序号", "基本情况", "党员情况", "家庭情况"
    sheet.append(group)
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=6)
    sheet.merge_cells(start_row=3, start_column=7, end_row=3, end_column=11)
    sheet.merge_cells(start_row=3, start_column=12, end_row=3, end_column=width)
    sheet.append(HEADER)
    expected = []
    number = 0
    for entry in people:
        if entry is None:
            sheet.append([])
            continue
        values, expectation = entry
        number += 1
        values = {("人均纯收入（元）" if key == "人均纯收入" else key): value for key, value in values.items()}
        row = [number] + [values.get(name, "") for name in HEADER[1:]]
        sheet.append(row)
        assert sheet.max_row == expectation.row, (sheet.max_row, expectation)
        expected.append(expectation)
    sheet.append(["合计", "共 16 人", None, None, None, None, None, None, None, None, None, None, 48])  # row 22
    sheet.append([])
    signatures = [None] * len(HEADER)
    signatures[0], signatures[5], signatures[10] = "填表人：王五", "审核人：李四", "联系电话：0371-1234567"
    sheet.append(signatures)
    sheet.append(["联系电话：13800000000"])
    # The serial date must be a plain number, not a formatted date: openpyxl writes ints as General.
    return save(workbook), expected


# --- smaller registers, one quirk each -------------------------------------------------------

STANDARD_HEADER = ["序号", "姓名", "公民身份号码", "性别", "村（社区）", "劳动能力", "人均纯收入", "家庭人口"]


def simple_register(
    people: list[dict], *, header: list[str] | None = None, title: str | None = None, extra_rows=()
) -> bytes:
    """A plain register: an optional title, one header row, one row per person (dicts by header)."""
    header = header or STANDARD_HEADER
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(header)
    for index, person in enumerate(people, 1):
        sheet.append([person.get(name, index if name == "序号" else "") for name in header])
    for row in extra_rows:
        sheet.append(row)
    return save(workbook)


def person(name: str, id_number: str, village: str = "张庄村", **more) -> dict:
    values = {
        "姓名": name,
        "公民身份号码": id_number,
        "性别": "女" if int(idnumbers.normalize(id_number)[16]) % 2 == 0 else "男",
        "村（社区）": village,
        "劳动能力": "普通劳动力",
        "人均纯收入": 2800,
        "家庭人口": 3,
    }
    values.update(more)
    return values


def many_people(count: int, *, start: int = 0, village: str = "张庄村", income: int = 2800) -> list[dict]:
    """``count`` distinct, valid people under 60 (born on different days of 1970-1989)."""
    people = []
    for n in range(start, start + count):
        born = date.fromordinal(date(1970, 1, 1).toordinal() + n % 7000)
        number = idnumbers.make(PLACE, born, 1 + 2 * (n // 7000))
        people.append(person(f"党员{n:05d}", number, village, 人均纯收入=income))
    return people


def alternative_names_register(people: list[dict]) -> bytes:
    """The same columns under other names, with a star, a newline and a unit in the header."""
    header = ["编号", "*姓名", "公民身份\n号码", "性 别", "村（社区）", "劳动力状况"]
    header += ["家庭人均纯收入（元）", "家庭人口数"]
    renamed = [
        {new: p[old] for new, old in zip(header, STANDARD_HEADER, strict=True) if old in p and old != "序号"}
        for p in people
    ]
    return simple_register(renamed, header=header, title="白庙乡贫困党员花名册")


def missing_id_column_register() -> bytes:
    return simple_register(
        [{"姓名": "张三", "村（社区）": "张庄村"}], header=["序号", "姓名", "性别", "村（社区）", "劳动能力"]
    )


def header_only_register() -> bytes:
    return simple_register([], title="青山县贫困党员登记造册", extra_rows=[[], ["合计", "0人"], ["填表人：王五"]])


def empty_workbook() -> bytes:
    return save(Workbook())


def not_a_workbook_zip() -> bytes:
    """A zip that is not a workbook (a .docx, say, renamed)."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()
