"""Training records for the demo city 河洛市: batches of 2025-2026 with rosters,
curriculum, sessions, attendance and costs; the expert service team and its services;
practice bases and observation visits.

Deterministic (a fixed seed) and idempotent: batches are found again by their region,
start date and period number, experts and bases by name; services and visits are made
only the first time. Runs after the members (``load_demo``), taking demonstration-track
members that no batch holds yet.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.choices import Track
from members.models import Member
from organization.choices import RegionLevel, Role
from organization.models import Region, User

from . import services
from .choices import (
    SEAT_STATUSES,
    AttendanceStatus,
    BatchStatus,
    BudgetCategory,
    Department,
    EnrolmentStatus,
    Grade,
    ServiceKind,
    TopicDirection,
)
from .models import BaseVisit, Enrolment, Expert, ExpertService, PracticeBase, TrainingBatch

SEED = 20261204
CITY_CODE = "419900000000"
QINGSHAN_CODE = "419921000000"

# (region code, period, title, start, days, capacity, status)
BATCHES = [
    (CITY_CODE, 1, "贫困党员实用技术培训班", date(2025, 4, 7), 7, 40, BatchStatus.FINISHED),
    (CITY_CODE, 2, "贫困党员致富带头人培训班", date(2025, 10, 13), 7, 40, BatchStatus.FINISHED),
    (QINGSHAN_CODE, 1, "青山县贫困党员养殖技术专题班", date(2026, 3, 16), 5, 25, BatchStatus.FINISHED),
    (CITY_CODE, 3, "贫困党员电商与农产品销售培训班", date(2026, 5, 11), 7, 40, BatchStatus.FINISHED),
    (CITY_CODE, 4, "贫困党员设施农业培训班", date(2026, 11, 23), 12, 40, BatchStatus.RUNNING),
    (CITY_CODE, 5, "贫困党员创业就业培训班", date(2026, 12, 14), 7, 45, BatchStatus.ENROLLING),
]
TOPICS = [
    ("党的政策与脱困示范行动解读", TopicDirection.POLICY, Department.PARTY_SCHOOL),
    ("设施蔬菜栽培技术", TopicDirection.AGRICULTURE, Department.AGRICULTURE),
    ("肉牛标准化养殖与疫病防治", TopicDirection.AGRICULTURE, Department.ANIMAL_HUSBANDRY),
    ("林果修剪与病虫害防治", TopicDirection.AGRICULTURE, Department.FORESTRY),
    ("农产品初加工与小作坊管理", TopicDirection.INDUSTRY, Department.SCIENCE),
    ("农村电商与网店经营", TopicDirection.COMMERCE, Department.SCIENCE),
    ("创业政策与就业技能", TopicDirection.COMMERCE, Department.LABOUR),
]
EXPERTS = [
    ("周国华", Department.PARTY_SCHOOL, "市委党校", "教授", "党的建设与政策理论"),
    ("孙立新", Department.AGRICULTURE, "市农业农村局农技推广站", "高级农艺师", "设施蔬菜、食用菌栽培"),
    ("李春生", Department.ANIMAL_HUSBANDRY, "市畜牧兽医站", "高级兽医师", "肉牛、生猪养殖与疫病防治"),
    ("王秀兰", Department.FORESTRY, "市林业科学研究所", "林业工程师", "林果栽培、修剪与病虫害防治"),
    ("赵明亮", Department.SCIENCE, "市科学技术局", "高级工程师", "农产品加工与农村电商"),
    ("陈红霞", Department.LABOUR, "市人力资源和社会保障局", "职业指导师", "就业创业政策与技能培训"),
    ("刘永华", Department.AGRICULTURE, "青山县农技中心", "农艺师", "茶叶、中药材种植"),
]
BASES = [
    ("河洛市现代农业科技示范园", "science_park", "419921", date(2025, 3, 18), "设施蔬菜、水肥一体化、智能温室管理"),
    ("青山县丰源肉牛养殖合作社", "agribusiness", "419921", date(2025, 3, 18), "肉牛标准化养殖、青贮饲料制作"),
    ("白河县绿源茶业有限公司", "agribusiness", "419922", date(2025, 9, 26), "茶园管理、茶叶加工与品牌销售"),
    ("柳林县林果科技示范园", "science_park", "419923", date(2026, 4, 20), "苹果、核桃矮化密植与修剪"),
]
COSTS = [
    (BudgetCategory.BOARD, "学员食宿费", 260),
    (BudgetCategory.LECTURE, "专家讲课费", 0),
    (BudgetCategory.MATERIALS, "教材资料费", 35),
    (BudgetCategory.TRANSPORT, "观摩学习交通费", 40),
]


def _write(message: str, stdout) -> None:
    if stdout is not None:
        stdout.write(message)


def _ensure_experts(accounts: dict) -> list[Expert]:
    city = Region.objects.get(code=CITY_CODE)
    qingshan = Region.objects.filter(code=QINGSHAN_CODE).first() or city
    known = {expert.name: expert for expert in Expert.objects.filter(name__in=[row[0] for row in EXPERTS])}
    experts = []
    for index, (name, department, unit, title, specialty) in enumerate(EXPERTS):
        expert = known.get(name)
        if expert is None:
            expert = services.expert_create(
                actor=None,
                name=name,
                department=department,
                unit=unit,
                title=title,
                specialty=specialty,
                phone=f"1390379{index:04d}",
                region=qingshan if unit.startswith("青山县") else city,
                # The demo expert account is the agronomist.
                account=accounts.get("expert") if index == 1 else None,
            )
        experts.append(expert)
    return experts


def _ensure_bases() -> list[PracticeBase]:
    known = {base.name: base for base in PracticeBase.objects.filter(name__in=[row[0] for row in BASES])}
    bases = []
    for name, kind, county_prefix, plaque_date, learnable in BASES:
        base = known.get(name)
        if base is None:
            region = (
                Region.objects.filter(level=RegionLevel.VILLAGE, code__startswith=county_prefix, is_urban=False)
                .order_by("code")
                .first()
            )
            if region is None:
                continue
            base = services.practice_base_create(
                actor=None,
                name=name,
                kind=kind,
                region=region,
                address=f"{region.full_name.split('/', 1)[-1]}",
                plaque_date=plaque_date,
                learnable=learnable,
                contact="基地负责人",
                phone="0379-6" + f"{len(bases) + 1:06d}"[-7:],
            )
        bases.append(base)
    return bases


def _advance(batch: TrainingBatch, to: str) -> TrainingBatch:
    order = [BatchStatus.PLANNED, BatchStatus.ENROLLING, BatchStatus.RUNNING, BatchStatus.FINISHED]
    while order.index(batch.status) < order.index(to):
        batch = services.batch_advance(actor=None, batch=batch, to_status=order[order.index(batch.status) + 1])
    return batch


def _recommender(member: Member, accounts: dict):
    """Who recommended: the demo work team for its village, else the county's demo clerk."""
    team = accounts.get("work_team")
    if team is not None and team.region_id == member.village_id:
        return team
    county = {"青山县": "county_staff", "白河县": "county_staff2"}.get(member.county.name)
    return accounts.get(county) or accounts.get("city_staff")


def _build_batch(rng, spec, experts, accounts, pool: list[Member], bases, share: int) -> bool:
    code, period, title, start, days, capacity, status = spec
    region = Region.objects.filter(code=code).first()
    if region is None:
        return False
    if TrainingBatch.objects.filter(region=region, start_date=start, period_number=period).exists():
        return False
    end = start + timedelta(days=days - 1)
    batch = services.batch_create(
        actor=None,
        title=title,
        period_number=period,
        region=region,
        organizer="市农村党员干部培训学校" if region.level == RegionLevel.CITY else f"{region.name}委党校",
        start_date=start,
        end_date=end,
        place="市农村党员干部培训学校" if region.level == RegionLevel.CITY else f"{region.name}委党校",
        capacity=capacity,
    )
    by_department = {expert.department: expert for expert in experts}
    topics = [
        services.topic_save(
            actor=None, batch=batch, title=name, direction=direction, hours=Decimal(4), expert=by_department.get(dept)
        )
        for name, direction, dept in rng.sample(TOPICS, 5)
    ]
    batch = _advance(batch, BatchStatus.ENROLLING)
    # Trainees: members of the batch's region not yet on any batch.
    eligible = [m for m in pool if m.village.path.startswith(region.path)]
    wanted = min(len(eligible), capacity + 4 if status != BatchStatus.ENROLLING else capacity // 2, share)
    chosen = eligible[:wanted]
    for member in chosen:
        pool.remove(member)
    enrolments = []
    for member in chosen:
        enrolment = services.enrolment_recommend(
            actor=None,
            batch=batch,
            member=member,
            reason=rng.choice(["有发展养殖意愿", "想学设施种植技术", "有电商销售基础", "脱贫规划需要技术支撑", ""]),
            recommended_on=start - timedelta(days=rng.randint(15, 40)),
        )
        Enrolment.objects.filter(pk=enrolment.pk).update(recommended_by=_recommender(member, accounts))
        enrolments.append(enrolment)
    admitted = []
    for enrolment in enrolments:
        if len(admitted) >= capacity or (status == BatchStatus.ENROLLING and rng.random() < 0.5):
            if status != BatchStatus.ENROLLING:
                services.enrolment_decline(actor=None, enrolment=enrolment, note="本期名额已满，转下期培训")
            continue
        admitted.append(
            services.enrolment_admit(actor=None, enrolment=enrolment, admitted_on=start - timedelta(days=7))
        )
    _costs(rng, batch, len(admitted), len(topics))
    if status == BatchStatus.ENROLLING:
        return True
    batch = _advance(batch, BatchStatus.RUNNING)
    sessions = [
        services.session_save(actor=None, batch=batch, held_on=start + timedelta(days=i), topic=topic)
        for i, topic in enumerate(topics)
        if start + timedelta(days=i) <= end
    ]
    today = timezone.localdate()
    for session in sessions:
        if session.held_on > today:
            continue
        marks = {
            e.pk: rng.choices(list(AttendanceStatus.values), weights=[85, 4, 7, 4])[0]
            for e in admitted
            if e.status == EnrolmentStatus.ADMITTED
        }
        services.attendance_record(actor=None, session=session, marks=marks)
    if bases and status == BatchStatus.FINISHED:
        base = rng.choice([b for b in bases if b.plaque_date <= end] or bases)
        if base.plaque_date <= end:
            services.base_visit_record(
                actor=None,
                base=base,
                batch=batch,
                visited_on=end - timedelta(days=1),
                content=f"组织学员到{base.name}观摩学习：{base.learnable}",
                members=[e.member for e in admitted],
            )
    if status != BatchStatus.FINISHED:
        return True
    for number, enrolment in enumerate(admitted, start=1):
        roll = rng.random()
        if roll < 0.04:
            services.enrolment_drop(actor=None, enrolment=enrolment, note="家中有事中途退出")
            continue
        grade = Grade.FAIL if roll < 0.08 else rng.choices([Grade.EXCELLENT, Grade.GOOD, Grade.PASS], [2, 5, 3])[0]
        score = Decimal(rng.randint(45, 59) if grade == Grade.FAIL else rng.randint(62, 98))
        services.enrolment_assess(
            actor=None,
            enrolment=enrolment,
            grade=grade,
            score=score,
            certificate_number=""
            if grade == Grade.FAIL
            else f"HLPX{start:%Y}{region.code[4:6]}{period:02d}{number:03d}",
            completed_on=end,
        )
    _advance(batch, BatchStatus.FINISHED)
    return True


def _costs(rng, batch: TrainingBatch, people: int, topics: int) -> None:
    days = (batch.end_date - batch.start_date).days + 1
    for category, item, per_head in COSTS:
        if category == BudgetCategory.LECTURE:
            amount = Decimal(topics * 4 * 300)
        elif category == BudgetCategory.BOARD:
            amount = Decimal(people * per_head // 2 * days)
        else:
            amount = Decimal(people * per_head)
        if amount <= 0:
            continue
        services.budget_item_add(
            actor=None,
            batch=batch,
            category=category,
            item=item,
            amount=amount + Decimal(rng.randint(0, 99)) / 100,
            spent_on=batch.end_date if category != BudgetCategory.MATERIALS else batch.start_date,
            voucher=f"财预{batch.start_date:%Y}-{rng.randint(100, 999)}",
        )


CONTENTS = ["现场指导", "技术答疑", "集中讲解", "入户回访", "播放教学片"]


def _services(rng, experts, members: list[Member]) -> int:
    if ExpertService.objects.filter(expert__in=experts).exists() or not members:
        return 0
    today = timezone.localdate()
    kinds = list(ServiceKind.values)
    for index in range(36):
        expert = experts[index % len(experts)]
        served_on = today - timedelta(days=rng.randint(3, 420))
        group = rng.sample(members, min(len(members), rng.choice([1, 1, 2, 3, 8])))
        kind = kinds[index % len(kinds)]
        due = served_on + timedelta(days=rng.choice([14, 30, 60])) if kind in ("on_site", "follow_up") else None
        service = services.expert_service_record(
            actor=None,
            expert=expert,
            kind=kind,
            served_on=served_on,
            place=group[0].village.name,
            content=f"{expert.specialty}：{rng.choice(CONTENTS)}",
            members=group,
            follow_up_due=due,
        )
        # Most follow-ups long past were made; the rest show as overdue.
        if due is not None and due < today - timedelta(days=10) and rng.random() < 0.7:
            services.follow_up_complete(
                actor=None, service=service, done_on=due, note="回访时长势良好，已按指导改进管理。"
            )
    return 36


@transaction.atomic
def build_demo_training(stdout=None) -> dict:
    rng = random.Random(SEED)
    accounts = {
        user.username: user
        for user in User.objects.filter(
            username__in=["city_staff", "county_staff", "county_staff2", "work_team", "expert"]
        ).select_related("region")
    }
    if accounts.get("expert") is not None and accounts["expert"].role != Role.EXPERT:
        accounts.pop("expert")
    if not Region.objects.filter(code=CITY_CODE).exists():
        return {"batches": 0, "services": 0}
    experts = _ensure_experts(accounts)
    bases = _ensure_bases()
    taken = Enrolment.objects.values("member_id")
    pool = list(
        Member.objects.filter(track=Track.DEMONSTRATION)
        .exclude(pk__in=taken)
        .select_related("village", "county")
        .order_by("file_number")
    )
    rng.shuffle(pool)
    # The demo work team's villagers first, so that its account has trainees to follow.
    team = accounts.get("work_team")
    if team is not None:
        pool.sort(key=lambda member: member.village_id != team.region_id)
    # Each batch takes its share of the members no batch holds yet.
    share = max(4, len(pool) // len(BATCHES))
    batches = sum(_build_batch(rng, spec, experts, accounts, pool, bases, share) for spec in BATCHES)
    demo_members = list(
        Member.objects.filter(track=Track.DEMONSTRATION).select_related("village").order_by("file_number")[:300]
    )
    created_services = _services(rng, experts, demo_members)
    visits = 0
    if bases and not BaseVisit.objects.filter(batch__isnull=True).exists() and demo_members:
        for base in bases:
            group = rng.sample(demo_members, min(len(demo_members), 6))
            services.base_visit_record(
                actor=None,
                base=base,
                visited_on=max(base.plaque_date, date(2026, 6, 1)) + timedelta(days=rng.randint(1, 60)),
                content=f"驻村工作队组织贫困党员观摩：{base.learnable}",
                members=group,
            )
            visits += 1
    seated = Enrolment.objects.filter(status__in=SEAT_STATUSES).count()
    _write(
        f"培训 (training): 新建培训班 {batches}，共 {TrainingBatch.objects.count()} 期，学员 {seated} 人；"
        f"专家 {len(experts)}，新建专家服务 {created_services}，实践基地 {len(bases)}，新建观摩 {visits}",
        stdout,
    )
    return {"batches": batches, "services": created_services, "visits": visits}
