"""Poor party members for the demo city 河洛市: files, plans, income checks and notices.

Deterministic (a fixed seed) and idempotent: a member whose ID number is already on
file is left alone, so running ``load_demo`` twice adds nothing.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from organization.choices import RegionLevel
from organization.models import Region, User

from . import idnumbers, services
from .choices import Direction, Education, Health, LabourCapacity, NoticeState, PovertyCause, Track
from .models import IdNumberReveal, IncomeThreshold, Member, StatusChange

SEED = 20261201
# Birth places (Henan county codes) of the people in the demo.
BIRTH_PLACES = ["411521", "411522", "411523", "411524", "411525", "411526", "411527", "411528", "410323"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"  # noqa: E501
MALE_GIVEN = [
    "建国",
    "建军",
    "国强",
    "志刚",
    "红旗",
    "卫东",
    "德福",
    "长顺",
    "保国",
    "树林",
    "金山",
    "满仓",
    "新民",
    "永华",
    "学文",
    "振兴",
    "来福",
    "春生",
    "铁柱",
    "明亮",
]  # noqa: E501
FEMALE_GIVEN = [
    "秀英",
    "桂兰",
    "玉梅",
    "凤英",
    "春花",
    "淑珍",
    "翠兰",
    "丽娟",
    "红霞",
    "美玲",
    "素芳",
    "金凤",
    "巧云",
    "月娥",
    "海燕",
]  # noqa: E501
PROJECTS = {
    Direction.AGRICULTURE: [
        "肉牛养殖",
        "生猪养殖",
        "蔬菜大棚",
        "茶叶种植",
        "食用菌种植",
        "中药材种植",
        "林果种植",
        "水产养殖",
    ],
    Direction.INDUSTRY: ["农产品加工作坊", "竹编加工", "服装加工点", "建材运输"],
    Direction.COMMERCE: ["农家乐", "电商销售土特产", "农资门市", "乡村小超市", "物流代办点"],
}
MEASURES = [
    "参加贫困党员培训班，学习实用技术；驻村工作队帮助论证项目，申请脱困基金资金扶持。",
    "专家服务团实地指导，联系龙头企业订单收购；申请贷款担保扩大规模。",
    "到培训实践基地观摩学习，联系帮扶企业提供设备和技术支持。",
]
THRESHOLDS = {
    2024: (Decimal("4000"), Decimal("12000")),
    2025: (Decimal("4100"), Decimal("12300")),
    2026: (Decimal("4200"), Decimal("12600")),
}


def _person(rng: random.Random, serial: int):
    female = rng.random() < 0.3
    age = rng.choices([rng.randint(28, 44), rng.randint(45, 59), rng.randint(60, 78)], weights=[3, 5, 2])[0]
    # Birth dates hang on a fixed day, so that the same person gets the same number every year.
    born = date(2026 - age, rng.randint(1, 12), rng.randint(1, 28)) - timedelta(days=rng.randint(0, 200))
    # the 3-digit sequence is odd for men, even for women
    sequence = (serial * 2) % 1000 + (0 if female else 1)
    number = idnumbers.make(rng.choice(BIRTH_PLACES), born, sequence)
    name = rng.choice(SURNAMES) + rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
    return name, number, idnumbers.age_on(number, timezone.localdate())


def _labour(rng: random.Random, age: int) -> tuple[str, bool]:
    if age < 60:
        labour = rng.choices(
            [LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK, LabourCapacity.LOST],
            weights=[60, 20, 12, 8],
        )[0]
        return labour, True
    labour = rng.choices([LabourCapacity.WEAK, LabourCapacity.LOST, LabourCapacity.NONE], weights=[3, 4, 3])[0]
    return labour, rng.random() < 0.35


def _causes(rng: random.Random, health: str) -> list[str]:
    causes = set(rng.sample([PovertyCause.SKILLS, PovertyCause.FUNDS, PovertyCause.PROJECT], rng.randint(1, 2)))
    if health in (Health.CHRONIC, Health.SERIOUS):
        causes.add(PovertyCause.ILLNESS)
    if health == Health.DISABLED:
        causes.add(PovertyCause.DISABILITY)
    if rng.random() < 0.15:
        causes.add(rng.choice([PovertyCause.DISASTER, PovertyCause.SCHOOLING, PovertyCause.TRANSPORT]))
    return sorted(causes)


def _backdate_notice(change: StatusChange, ended_days_ago: int) -> None:
    # The demo city's notices ran in the past; move the dates as if they had.
    today = timezone.localdate()
    StatusChange.objects.filter(pk=change.pk).update(
        notice_starts=today - timedelta(days=ended_days_ago + 7), notice_ends=today - timedelta(days=ended_days_ago)
    )
    change.refresh_from_db()


@transaction.atomic
def build_demo_members(*, per_village: tuple[int, int] = (0, 2), stdout=None) -> dict:
    """Create the demo members; returns how many were created and how many the city holds."""
    rng = random.Random(SEED)
    # The demo's casework is recorded as done by the city staff's demo account.
    actor = User.objects.filter(username="city_staff").first()
    for year, (out_line, well_off) in THRESHOLDS.items():
        if not IncomeThreshold.objects.filter(year=year).exists():
            services.threshold_set(actor=None, year=year, out_of_poverty=out_line, well_off=well_off, notice_days=7)
    known = set(Member.objects.values_list("id_number", flat=True))
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent__parent").order_by("code"))
    created = serial = 0
    for village in villages:
        for _ in range(rng.randint(*per_village)):
            serial += 1
            # Each person draws from their own generator, so a rerun that skips them stays in step.
            person_rng = random.Random(SEED * 100_000 + serial)
            name, number, age = _person(person_rng, serial)
            if number in known:
                continue
            labour, living = _labour(person_rng, age)
            health = person_rng.choices(list(Health.values), weights=[60, 20, 10, 10])[0]
            plan_roll, income_roll, check_roll = (
                person_rng.random(),
                person_rng.randint(1500, 4200),
                person_rng.random(),
            )
            member = services.member_create(
                actor=actor,
                name=name,
                id_number=number,
                phone=f"1{person_rng.choice('3579')}{person_rng.randint(100000000, 999999999)}",
                party_branch=f"{village.name}党支部",
                joined_party_on=date(person_rng.randint(1975, 2012), person_rng.randint(1, 12), 1),
                education=person_rng.choices(list(Education.values), weights=[5, 25, 40, 18, 7, 4, 1])[0],
                health=health,
                labour_capacity=labour,
                has_living_source=living,
                household_size=person_rng.randint(1, 6),
                village=village,
                poverty_causes=_causes(person_rng, health),
                income_per_head=Decimal(income_roll),
                registered_on=date(2024, person_rng.randint(1, 6), person_rng.randint(1, 28)),
            )
            known.add(number)
            created += 1
            _demo_casework(person_rng, actor, member, plan_roll, check_roll)
    _demo_reveals()
    if stdout is not None:
        stdout.write(f"贫困党员档案 (member files): 新建 {created}，共 {Member.objects.count()}")
    return {"created": created, "total": Member.objects.count()}


REVEAL_PURPOSES = ["核对低保申请材料", "办理贷款担保手续", "核实台账导入的重复档案"]


def _demo_reveals() -> None:
    """A few logged reveals by 青山县's staff, so that the reveal log (个人信息查阅记录) is not empty."""
    staff = User.objects.filter(username="county_staff").select_related("region").first()
    if staff is None or IdNumberReveal.objects.exists():
        return
    members = Member.objects.filter(county=staff.region).order_by("file_number")[: len(REVEAL_PURPOSES)]
    for member, purpose in zip(members, REVEAL_PURPOSES, strict=False):
        services.id_number_reveal(actor=staff, member=member, purpose=purpose)


def _demo_casework(rng: random.Random, actor, member: Member, plan_roll: float, check_roll: float) -> None:
    if member.track == Track.UNDECIDED and plan_roll < 0.5:
        track = Track.DEMONSTRATION if member.age < 60 else Track.RELIEF
        reason = (
            "经村民代表评议，本人有意愿、能从事轻体力生产"
            if track == Track.DEMONSTRATION
            else "有生活来源但不稳定，经评议转救济"
        )
        services.member_decide_track(actor=actor, member=member, track=track, reason=reason)
    if member.track != Track.DEMONSTRATION:
        return
    if plan_roll < 0.75:
        direction = rng.choices(list(PROJECTS), weights=[6, 2, 2])[0]
        services.plan_create(
            actor=actor,
            member=member,
            direction=direction,
            project=rng.choice(PROJECTS[direction]),
            measures=rng.choice(MEASURES),
            income_target=Decimal(rng.choice([4500, 5000, 6000, 8000])),
            target_year=rng.choice([2026, 2027]),
            responsible_person=f"{member.village.name}驻村工作队",
        )
    if check_roll < 0.55:
        # 2025: most rose above the line; the notice ran and was confirmed
        income = Decimal(rng.randint(3600, 9000))
        services.income_check_record(
            actor=actor, member=member, year=2025, income_per_head=income, checked_on=date(2025, 12, 20)
        )
        change = member.status_changes.filter(state=NoticeState.NOTICING).first()
        if change is not None:
            _backdate_notice(change, ended_days_ago=300)
            services.status_change_confirm(actor=actor, status_change=change, note="公示期满无异议")
        if check_roll < 0.2:
            # 2026: a few fell back (返贫) or rose further; those notices are still running
            income = Decimal(rng.choice([rng.randint(2500, 4000), rng.randint(9000, 14000)]))
            services.income_check_record(actor=actor, member=member, year=2026, income_per_head=income)
            change = member.status_changes.filter(state=NoticeState.NOTICING).first()
            if change is not None and check_roll < 0.05:
                services.objection_record(
                    actor=actor, status_change=change, raised_by="村民代表", content="家中仍有医疗欠款，建议复核收入。"
                )
