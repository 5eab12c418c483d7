"""Income projects for the demo city 河洛市, at every stage of the workflow.

Deterministic: the members are taken in file-number order (those of the demo work
team's village first), and each gets the stage at its place in ``STAGES``; dates count
back from today. Idempotent: a member who already has a project is left alone. Some
projects are approved or running, so that the fund's demo can build applications on them.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.choices import Direction, Track
from members.models import Member
from organization.models import User

from . import services
from .choices import ParticipantRole, ProjectStatus
from .models import IncomeProject

PER_COUNTY = 8
# The stage of the n-th member's project; approved and running come first, so that every
# county has some for the fund.
STAGES = [
    ProjectStatus.RUNNING,
    ProjectStatus.APPROVED,
    ProjectStatus.CLOSED,
    ProjectStatus.REVIEWING,
    ProjectStatus.PROPOSED,
    ProjectStatus.RUNNING,
    ProjectStatus.FAILED,
    ProjectStatus.REFUSED,
]
DEFAULT_TITLES = {
    Direction.AGRICULTURE: "肉牛养殖",
    Direction.INDUSTRY: "农产品加工作坊",
    Direction.COMMERCE: "乡村小超市",
}
EXPERTS = [
    ("刘明远", "河洛市农业科学院"),
    ("陈淑华", "河洛市畜牧兽医站"),
    ("孙立新", "河洛市委党校"),
    ("周红梅", "河洛市林业局"),
]
ENTERPRISES = ["河洛市丰源农业发展有限公司", "青山县绿野农牧合作社", "河洛市惠农农机服务公司"]


def _members():
    """Members in the demonstration action with a current plan, chosen deterministically."""
    candidates = (
        Member.objects.filter(track=Track.DEMONSTRATION, plans__is_current=True)
        .select_related("village", "county")
        .prefetch_related("plans")
        .order_by("county__code", "file_number")
    )
    work_team = User.objects.filter(username="work_team").select_related("region").first()
    first = [m for m in candidates if work_team and work_team.region_id == m.village_id][:4]
    chosen, per_county = list(first), {}
    for member in first:
        per_county[member.county_id] = per_county.get(member.county_id, 0) + 1
    for member in candidates:
        if member in chosen or per_county.get(member.county_id, 0) >= PER_COUNTY:
            continue
        chosen.append(member)
        per_county[member.county_id] = per_county.get(member.county_id, 0) + 1
    return chosen


@transaction.atomic
def build_demo_projects(stdout=None) -> dict:
    actor = User.objects.filter(username="city_staff").first()
    today = timezone.localdate()
    busy = set(IncomeProject.objects.values_list("member_id", flat=True))
    created = 0
    for index, member in enumerate(_members()):
        if member.pk in busy:
            continue
        stage = STAGES[index % len(STAGES)]
        _build(member, stage, index, actor, today)
        created += 1
    if stdout is not None:
        stdout.write(f"致富项目 (income projects): 新建 {created}，共 {IncomeProject.objects.count()}")
    return {"created": created, "total": IncomeProject.objects.count()}


def _build(member, stage, index, actor, today):
    plan = next(p for p in member.plans.all() if p.is_current)
    budget = Decimal(8000 + (index * 3700) % 42000)
    day = lambda n: today - timedelta(days=n)  # noqa: E731
    project = services.project_propose(
        actor=actor,
        member=member,
        direction=plan.direction,
        title=plan.project or DEFAULT_TITLES[plan.direction],
        description=f"{member.village.name}{member.name}：{plan.project}。{plan.measures}",
        budget=budget,
        expected_income=(budget * Decimal("0.6")).quantize(Decimal("1")),
        proposed_on=day(320 - index % 20),
    )
    if stage == ProjectStatus.PROPOSED:
        return project
    expert_name, expert_unit = EXPERTS[index % len(EXPERTS)]
    participants = [
        {"role": ParticipantRole.WORK_TEAM, "name": f"{member.village.name}驻村工作队队长", "unit": ""},
        {"role": ParticipantRole.EXPERT, "name": expert_name, "unit": expert_unit},
    ]
    if stage == ProjectStatus.REFUSED:
        services.review_record(
            actor=actor,
            project=project,
            conclusion="not_feasible",
            opinion="当地市场已饱和，且缺少稳定水源，项目风险较大。",
            participants=participants,
            reviewed_on=day(290),
        )
        return services.project_refuse(
            actor=actor, project=project, reason="论证结论为不可行，建议调整发展方向后重新申报。", decided_on=day(285)
        )
    services.review_record(
        actor=actor,
        project=project,
        conclusion="feasible" if index % 3 else "with_changes",
        opinion="技术成熟、销路稳定，本人有劳动能力和经营意愿。"
        if index % 3
        else "建议首期规模减半，第二年视效益扩大。",
        participants=participants,
        reviewed_on=day(290),
    )
    if stage == ProjectStatus.REVIEWING:
        return project
    project = services.project_approve(actor=actor, project=project, note="同意实施。", decided_on=day(280))
    services.support_record(
        actor=actor,
        project=project,
        kind="technology",
        giver_name=expert_name,
        giver_kind="expert",
        value=Decimal(1500),
        given_on=day(275),
        description="实地技术指导",
    )
    if stage == ProjectStatus.APPROVED:
        return project
    project = services.project_start(actor=actor, project=project, started_on=day(270))
    services.support_record(
        actor=actor,
        project=project,
        kind="equipment",
        giver_name=ENTERPRISES[index % len(ENTERPRISES)],
        giver_kind="enterprise",
        value=Decimal(3000 + (index * 500) % 5000),
        given_on=day(260),
        description="捐赠生产设备",
    )
    services.progress_record(
        actor=actor, project=project, text="设备到位，已投产。", income_to_date=Decimal(1200), reported_on=day(180)
    )
    if stage == ProjectStatus.RUNNING:
        # Every other running project is reported on lately; the rest are overdue (90 days).
        if index % 2 == 0:
            services.progress_record(
                actor=actor,
                project=project,
                text="运行正常，第一批产品已售出。",
                income_to_date=Decimal(4800),
                reported_on=day(30),
            )
        return project
    if stage == ProjectStatus.FAILED:
        return services.project_close(
            actor=actor,
            project=project,
            outcome="failed",
            failure_reason="遭遇洪涝灾害，投入损失，本人无力继续经营。",
            closed_on=day(40),
        )
    return services.project_close(
        actor=actor,
        project=project,
        outcome="closed",
        income_earned=(budget * Decimal("0.7")).quantize(Decimal("1")),
        jobs_created=index % 4,
        note="项目运行良好，已实现稳定增收。",
        closed_on=day(20),
    )
