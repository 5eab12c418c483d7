"""The register the import benchmarks build: a county's columns, and one person's row."""

from datetime import date, timedelta

EDUCATION = ["小学", "初中", "高中", "中专", "文盲"]
HEALTH = ["健康", "长期慢性病", "患有大病", "残疾"]
LABOUR = ["普通劳动力", "有劳动能力", "技能劳动力", "弱劳动力或半劳动力"]
CAUSES = ["因病、缺技术", "缺资金", "缺技术，缺项目", "因残", "缺劳力、交通条件落后"]
BEFORE_PLACE = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "公民身份号码",
    "联系电话",
    "所在党支部",
    "入党时间",
    "文化程度",
    "健康状况",
    "劳动能力",
    "家庭人口",
]
AFTER_PLACE = ["致贫原因", "人均纯收入", "建档日期", "有无生活来源", "备注"]


def header(*, with_county: bool) -> list[str]:
    """20 columns as a county keeps them; a city's compilation adds 县区 (21)."""
    place = ["县区", "乡镇（街道）", "村（社区）"] if with_county else ["乡镇（街道）", "村（社区）"]
    return [*BEFORE_PLACE, *place, *AFTER_PLACE]


def person_row(n: int, *, born: date, id_number: str, phone: str, place: tuple[str, ...]) -> list:
    """Row ``n`` (0-based): ``place`` is (township, village), or (county, township, village)."""
    village = place[-1]
    return [
        n + 1,
        f"党员{n:06d}",
        "男",
        "汉族",
        f"{born:%Y.%m}",
        id_number,
        phone,
        f"{village}党支部",
        date(born.year + 25, born.month, 1),
        EDUCATION[n % len(EDUCATION)],
        HEALTH[n % len(HEALTH)],
        LABOUR[n % len(LABOUR)],
        1 + n % 6,
        *place,
        CAUSES[n % len(CAUSES)],
        2000 + n % 3000,
        date(2016, 1, 1) + timedelta(days=n % 900),
        "有",
        None,
    ]
