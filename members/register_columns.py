"""The one place that says how county registers (登记造册) name their columns and values.

Registers arrive in many shapes: the same column is 姓名 in one county and 党员姓名 in
the next, 劳动能力 is written 有劳动能力 where the national form says 普通劳动力. The
import (members.importing) reads header cells and values through the tables below, and
the export (members.exporting) writes the standard names, each of which the import
accepts, so an exported register can be sent back unchanged.

Add a spelling here, nowhere else. Names are compared after ``normalize_header``
(no spaces, no "*", half-width brackets), so list each spelling once in its plain form.
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

from .choices import Education, Gender, Health, LabourCapacity, PovertyCause

# --- columns ---------------------------------------------------------------------------
# key → accepted header names. Keys are Member input fields, or, for columns that are
# only checked or ignored, a name of their own (gender, birth_date, township, ...).
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "顺序号"),
    "file_number": ("档案编号", "档案号", "建档编号"),
    "name": ("姓名", "党员姓名", "贫困党员姓名", "名字"),
    "id_number": (
        "公民身份号码",
        "身份证号",
        "身份证号码",
        "公民身份证号码",
        "公民身份证号",
        "身份证",
        "居民身份证号码",
    ),
    "gender": ("性别",),
    "birth_date": ("出生年月", "出生日期", "出生年月日", "出生时间"),
    "ethnicity": ("民族",),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "party_branch": ("所在党支部", "党支部", "所在支部", "所属党支部", "所在党组织", "党组织", "所在党组织名称"),
    "joined_party_on": ("入党时间", "入党日期", "入党年月"),
    "education": ("文化程度", "学历"),
    "health": ("健康状况", "身体状况", "身体健康状况"),
    "labour_capacity": ("劳动能力", "劳动力状况", "劳动能力状况", "劳动力"),
    "has_living_source": ("有无生活来源", "生活来源", "是否有生活来源"),
    "household_size": ("家庭人口", "家庭人口数", "家庭人数", "家庭成员数", "户人口数", "家庭人口(人)"),
    "county": ("县区", "县(区)", "所在县区", "县(市、区)", "县市区"),
    "township": ("乡镇(街道)", "乡镇", "所在乡镇", "乡(镇)", "乡镇街道", "所在乡镇(街道)", "街道"),
    "village": ("村(社区)", "所在村", "所在村(社区)", "村", "村名", "村社区", "村/社区", "行政村", "所在村(居)"),
    "urban": ("城乡", "城市/农村", "城乡类别", "城乡属性"),
    "poverty_causes": ("致贫原因", "主要致贫原因", "贫困原因"),
    "income_per_head": ("人均纯收入", "人均收入", "家庭人均纯收入", "年人均纯收入", "人均可支配收入"),
    "registered_on": ("建档日期", "建档时间", "登记日期"),
    "notes": ("备注",),
    "track": ("帮扶类别", "分流结果"),
    "status": ("脱贫状态", "贫困状态"),
}

# Without these a row cannot be a person's file; a register that lacks one is refused whole.
REQUIRED_COLUMNS = ("name", "id_number", "village")

# Columns the import reads but never writes: derived from the ID number or the village,
# or kept by a workflow (routing, status checks). 性别 and 出生年月 are checked against the ID.
CHECKED_COLUMNS = frozenset({"gender", "birth_date"})
IGNORED_COLUMNS = frozenset({"seq", "file_number", "urban", "track", "status"})

# How many rows from the top may hold titles, notes and merged cells above the header.
HEADER_SEARCH_ROWS = 15

_STRIP = re.compile(r"[\s*＊※]+")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")


def normalize_text(value) -> str:
    """Half-width forms (NFKC turns ０ into 0 and （ into (), no spaces of any width."""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def normalize_header(value) -> str:
    return _STRIP.sub("", unicodedata.normalize("NFKC", str(value)))


_HEADER_INDEX = {normalize_header(name): key for key, names in COLUMN_NAMES.items() for name in names}


def column_key(header) -> str | None:
    """The column a header cell names, or None; "人均纯收入（元）" and "*姓名" are found too."""
    if header is None or header == "":
        return None
    text = normalize_header(header)
    if text in _HEADER_INDEX:
        return _HEADER_INDEX[text]
    # A unit or remark in brackets at the end: 人均纯收入(元), 身份证号码(18位).
    stripped = _TRAILING_NOTE.sub("", text)
    return _HEADER_INDEX.get(stripped) if stripped != text else None


# --- rows that hold no person ----------------------------------------------------------
# A totals row starts with one of these; a signature line under the table holds one of
# the labels (optionally followed by a colon and the name or number).
TOTAL_MARKERS = ("合计", "总计", "小计", "共计")
SIGNATURE_MARKERS = (
    "填表人",
    "填报人",
    "审核人",
    "负责人",
    "单位负责人",
    "制表",
    "制表人",
    "填表日期",
    "填报日期",
    "填报单位",
    "联系电话",
    "盖章",
    "(盖章)",
)
_SIGNATURE = re.compile(r"^(?:" + "|".join(re.escape(m) for m in SIGNATURE_MARKERS) + r")(?:[:：].*)?$")


def is_total_cell(text: str) -> bool:
    return text.startswith(TOTAL_MARKERS)


def is_signature_cell(text: str) -> bool:
    return bool(_SIGNATURE.match(text))


# --- values ----------------------------------------------------------------------------


def _choice_index(choices, synonyms: dict[str, str]) -> dict[str, str]:
    """label → code for each choice, plus the loose spellings registers use."""
    index = {normalize_text(label): code for code, label in choices.choices if code}
    index.update({normalize_text(word): code for word, code in synonyms.items()})
    return index


GENDER_VALUES = _choice_index(Gender, {"男性": Gender.MALE, "女性": Gender.FEMALE})

EDUCATION_VALUES = _choice_index(
    Education,
    {
        "文盲": Education.ILLITERATE,
        "半文盲": Education.ILLITERATE,
        "文盲半文盲": Education.ILLITERATE,
        "无": Education.ILLITERATE,
        "小学及以下": Education.PRIMARY,
        "初小": Education.PRIMARY,
        "高小": Education.PRIMARY,
        "初中及以下": Education.JUNIOR,
        "中学": Education.JUNIOR,
        "高中及以上": Education.SENIOR,
        "职高": Education.SENIOR,
        "中专": Education.VOCATIONAL,
        "中技": Education.VOCATIONAL,
        "技校": Education.VOCATIONAL,
        "中等专科": Education.VOCATIONAL,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "大学专科": Education.COLLEGE,
        "高职": Education.COLLEGE,
        "本科": Education.BACHELOR,
        "大学本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "研究生": Education.BACHELOR,
        "硕士": Education.BACHELOR,
        "博士": Education.BACHELOR,
    },
)

HEALTH_VALUES = _choice_index(
    Health,
    {
        "良好": Health.HEALTHY,
        "一般": Health.HEALTHY,
        "健康良好": Health.HEALTHY,
        "慢性病": Health.CHRONIC,
        "长期慢性病患者": Health.CHRONIC,
        "大病": Health.SERIOUS,
        "重病": Health.SERIOUS,
        "患大病": Health.SERIOUS,
        "重大疾病": Health.SERIOUS,
        "残疾人": Health.DISABLED,
        "肢体残疾": Health.DISABLED,
        "视力残疾": Health.DISABLED,
        "听力残疾": Health.DISABLED,
        "智力残疾": Health.DISABLED,
        "精神残疾": Health.DISABLED,
    },
)

LABOUR_VALUES = _choice_index(
    LabourCapacity,
    {
        "有劳动能力": LabourCapacity.ORDINARY,
        "有劳动力": LabourCapacity.ORDINARY,
        "普通": LabourCapacity.ORDINARY,
        "劳动力": LabourCapacity.ORDINARY,
        "强劳动力": LabourCapacity.ORDINARY,
        "技能": LabourCapacity.SKILLED,
        "技能型劳动力": LabourCapacity.SKILLED,
        "有技能": LabourCapacity.SKILLED,
        "弱劳动力": LabourCapacity.WEAK,
        "半劳动力": LabourCapacity.WEAK,
        "弱劳动能力": LabourCapacity.WEAK,
        "部分丧失劳动能力": LabourCapacity.WEAK,
        "丧失劳动能力": LabourCapacity.LOST,
        "无劳动能力": LabourCapacity.NONE,
        "没有劳动能力": LabourCapacity.NONE,
        "无": LabourCapacity.NONE,
    },
)

POVERTY_CAUSE_VALUES = _choice_index(
    PovertyCause,
    {
        "病": PovertyCause.ILLNESS,
        "疾病": PovertyCause.ILLNESS,
        "残疾": PovertyCause.DISABILITY,
        "上学": PovertyCause.SCHOOLING,
        "就学": PovertyCause.SCHOOLING,
        "灾害": PovertyCause.DISASTER,
        "自然灾害": PovertyCause.DISASTER,
        "缺地": PovertyCause.LAND,
        "缺少土地": PovertyCause.LAND,
        "缺乏技术": PovertyCause.SKILLS,
        "缺少技术": PovertyCause.SKILLS,
        "缺劳动力": PovertyCause.LABOUR,
        "缺乏劳动力": PovertyCause.LABOUR,
        "缺乏资金": PovertyCause.FUNDS,
        "缺少资金": PovertyCause.FUNDS,
        "缺乏项目": PovertyCause.PROJECT,
        "交通落后": PovertyCause.TRANSPORT,
        "交通不便": PovertyCause.TRANSPORT,
        "动力不足": PovertyCause.MOTIVATION,
        "发展动力不足": PovertyCause.MOTIVATION,
    },
)
# 因病、缺技术 / 因病，缺技术 / 因病;缺技术 / 因病 缺技术 …
POVERTY_CAUSE_SEPARATORS = re.compile(r"[、，,;；/\s]+")

LIVING_SOURCE_VALUES = {
    normalize_text(word): value
    for words, value in (
        (("有", "是", "有生活来源", "√", "Y", "yes"), True),
        (("无", "否", "没有", "无生活来源", "×", "N", "no"), False),
    )
    for word in words
}

# --- the standard layout of an exported register (登记造册) ------------------------------
# (header, key): key is a Member attribute or one the exporter computes.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("序号", "seq"),
    ("档案编号", "file_number"),
    ("姓名", "name"),
    ("性别", "gender"),
    ("民族", "ethnicity"),
    ("出生年月", "birth_date"),
    ("公民身份号码", "id_number"),
    ("联系电话", "phone"),
    ("所在党支部", "party_branch"),
    ("入党时间", "joined_party_on"),
    ("文化程度", "education"),
    ("健康状况", "health"),
    ("劳动能力", "labour_capacity"),
    ("家庭人口", "household_size"),
    ("县区", "county"),
    ("乡镇（街道）", "township"),
    ("村（社区）", "village"),
    ("城乡", "urban"),
    ("致贫原因", "poverty_causes"),
    ("人均纯收入", "income_per_head"),
    ("帮扶类别", "track"),
    ("脱贫状态", "status"),
)

# Shown with each refusal so that the county knows what the import accepts.
COLUMN_HELP = _("必需的列：姓名、公民身份号码（或“身份证号”）、村（社区）（或“所在村”）。")
