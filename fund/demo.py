"""Demo records of the relief fund for 河洛市: funds, receipts from the three sources in
2025-2026, applications at each stage, a called guarantee with partial recovery and an
inspection that found misuse. Written through the services; idempotent (a rerun adds
nothing: receipts are keyed by their reference, applications are made once).
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from members.models import Member
from organization.choices import RegionLevel
from organization.models import Region, User

from . import selectors, services
from .choices import ApplicationKind, Source
from .models import Fund, FundApplication, FundEntry

# (date, source, amount, reference, donor, budget document)
CITY_RECEIPTS = [
    (date(2025, 3, 15), Source.PARTY_DUES, "200000", "市委组织部党费拨付〔2025〕3号", "", ""),
    (date(2025, 4, 20), Source.DONATION, "2000", "七一捐款", "王建国", ""),
    (date(2025, 4, 20), Source.DONATION, "1500", "七一捐款", "李秀英", ""),
    (date(2025, 4, 21), Source.DONATION, "800", "七一捐款", "张志强", ""),
    (date(2025, 6, 30), Source.FISCAL, "500000", "市财政补助", "", "河财预〔2025〕12号"),
    (date(2026, 3, 10), Source.PARTY_DUES, "150000", "市委组织部党费拨付〔2026〕2号", "", ""),
    (date(2026, 5, 20), Source.FISCAL, "300000", "市财政补助", "", "河财预〔2026〕7号"),
    (date(2026, 7, 1), Source.DONATION, "3000", "建党节捐款", "刘红霞", ""),
    (date(2026, 7, 1), Source.DONATION, "3000", "建党节捐款（重复录入）", "刘红霞", ""),
]
COUNTY_RECEIPTS = [
    (date(2025, 5, 8), Source.PARTY_DUES, "50000", "县委组织部党费拨付〔2025〕1号", "", ""),
    (date(2026, 4, 16), Source.FISCAL, "80000", "县财政补助", "", "青财预〔2026〕5号"),
]
DUPLICATE = "建党节捐款（重复录入）"

BANKS = ["河洛农商银行", "中国邮政储蓄银行河洛分行", "河洛农村信用合作联社"]
# The stages the demo shows, in order; members are reused when there are fewer eligible ones.
PLAN = [
    ("support", "disbursed_misuse"),
    ("guarantee", "called"),
    ("support", "disbursed_proper"),
    ("guarantee", "issued"),
    ("guarantee", "released"),
    ("support", "approved"),
    ("support", "reviewed"),
    ("guarantee", "submitted"),
    ("support", "refused"),
    ("support", "draft"),
]


def _receipts(fund, rows, actor) -> int:
    known = set(FundEntry.objects.filter(fund=fund).values_list("reference", "date"))
    created = 0
    for day, source, amount, reference, donor, document in rows:
        if (reference, day) in known:
            continue
        services.receipt_record(
            actor=actor,
            fund=fund,
            date=day,
            amount=Decimal(amount),
            source=source,
            reference=reference,
            donor_name=donor,
            budget_document=document,
        )
        created += 1
    return created


TRAINING_TITLE = "脱困基金扶持对象专题培训班"


def _candidates(work_team) -> list:
    """Poor demonstration members with an approved project, the work team's villages first."""
    from members.choices import Status, Track

    members = list(
        Member.objects.filter(
            income_projects__status__in=["approved", "running"], track=Track.DEMONSTRATION, status=Status.POOR
        )
        .distinct()
        .select_related("county")
        .order_by("file_number")
    )
    if work_team is not None:
        mine = set(Member.objects.visible_to(work_team).values_list("pk", flat=True))
        members.sort(key=lambda member: member.pk not in mine)
    return members


def _train(members, city, today) -> None:
    """A short course for those not yet trained (接受培训后才可申请), through the training services."""
    from training import services as training
    from training.choices import BatchStatus, Grade
    from training.models import TrainingBatch
    from training.selectors import member_has_completed_training

    untrained = [m for m in members if not member_has_completed_training(m)][:6]
    if not untrained or TrainingBatch.objects.filter(title=TRAINING_TITLE).exists():
        return
    start = min(today - timedelta(days=30), date(2025, 7, 7))
    batch = training.batch_create(
        actor=None,
        title=TRAINING_TITLE,
        period_number=90,
        region=city,
        start_date=start,
        end_date=start + timedelta(days=4),
        place="市农村党员干部培训学校",
        capacity=30,
    )
    batch = training.batch_advance(actor=None, batch=batch, to_status=BatchStatus.ENROLLING)
    enrolments = []
    for member in untrained:
        try:
            with transaction.atomic():
                enrolment = training.enrolment_recommend(actor=None, batch=batch, member=member, reason="基金扶持对象")
                enrolments.append(training.enrolment_admit(actor=None, enrolment=enrolment))
        except ValidationError:
            continue  # the training rules refuse this member (already in another course, say)
    batch = training.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    for number, enrolment in enumerate(enrolments, 1):
        training.enrolment_assess(
            actor=None,
            enrolment=enrolment,
            grade=Grade.GOOD,
            score=Decimal("86"),
            certificate_number=f"JJ-{number:04d}",
        )
    training.batch_advance(actor=None, batch=batch, to_status=BatchStatus.FINISHED)


def _eligible_members(work_team) -> list:
    from projects.selectors import member_approved_projects

    return [
        (member, member_approved_projects(member).first())
        for member in _candidates(work_team)
        if not selectors.application_eligibility(member)
    ]


def _application(member, project, kind, index, actor, stage, today):
    if kind == ApplicationKind.GUARANTEE:
        loan = Decimal(20000 + index * 5000)
        fields = {
            "bank": BANKS[index % len(BANKS)],
            "loan_amount": loan,
            "guaranteed_amount": (loan * Decimal("0.8")).quantize(Decimal("1")),
            "term_months": 24,
        }
    else:
        fields = {"amount": Decimal(3000 + index * 500), "purpose": f"{project.title}：购置生产资料"}
    application = services.application_create(actor=None, member=member, project=project, kind=kind, **fields)
    if stage == "draft":
        return application
    application = services.application_submit(actor=None, application=application)
    if stage == "submitted":
        return application
    application = services.application_review(
        actor=None, application=application, opinion="经驻村工作队核实，情况属实。"
    )
    if stage == "reviewed":
        return application
    if stage == "refused":
        return services.application_refuse(
            actor=None, application=application, reason="项目市场风险较大，建议先小规模试养。"
        )
    application = services.application_approve(actor=None, application=application)
    if stage == "approved":
        return application
    paid_on = min(today, date(2025, 9, 1) + timedelta(days=index * 20))
    if kind == ApplicationKind.SUPPORT:
        services.application_disburse(actor=actor, application=application, source=Source.FISCAL, paid_on=paid_on)
        if stage in ("disbursed_proper", "disbursed_misuse"):
            misuse = stage == "disbursed_misuse"
            services.inspection_record(
                actor=None,
                application=application,
                inspected_on=min(today, paid_on + timedelta(days=60)),
                findings="部分扶持资金用于家庭日常开支。" if misuse else "资金用于购买种苗和饲料，票据齐全。",
                conclusion="misuse" if misuse else "proper",
                required_action="一个月内补足生产投入并提供票据。" if misuse else "",
                deadline=today + timedelta(days=30) if misuse else None,
            )
        return application
    guarantee = services.guarantee_issue(
        actor=actor, application=application, source=Source.PARTY_DUES, issued_on=paid_on
    )
    if stage == "released":
        services.guarantee_release(
            actor=actor, guarantee=guarantee, released_on=min(today, paid_on + timedelta(days=300))
        )
    elif stage == "called":
        called_on = min(today, paid_on + timedelta(days=240))
        services.guarantee_call(actor=actor, guarantee=guarantee, amount=Decimal("12000"), paid_on=called_on)
        services.recovery_record(
            actor=actor,
            guarantee=guarantee,
            amount=Decimal("4000"),
            received_on=min(today, called_on + timedelta(days=45)),
            reference="党员分期还款第1期",
        )
    return application


@transaction.atomic
def build_demo_fund(stdout=None) -> dict:
    actor = User.objects.filter(username="city_staff").first()
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if actor is None or city is None:
        return {"created": 0}
    today = timezone.localdate()
    city_fund = Fund.objects.filter(region=city).first() or services.fund_create(actor=None, region=city)
    county_staff = User.objects.filter(username="county_staff").select_related("region").first()
    created = _receipts(city_fund, [r for r in CITY_RECEIPTS if r[0] <= today], actor)
    if county_staff is not None and county_staff.region is not None:
        county_fund = Fund.objects.filter(region=county_staff.region).first() or services.fund_create(
            actor=None, region=county_staff.region
        )
        created += _receipts(county_fund, [r for r in COUNTY_RECEIPTS if r[0] <= today], county_staff)
    duplicate = FundEntry.objects.filter(fund=city_fund, reference=DUPLICATE, reversed_by__isnull=True).first()
    if duplicate is not None:
        services.entry_reverse(actor=actor, entry=duplicate, reason="重复录入，冲正", date=duplicate.date)
    applications = 0
    if not FundApplication.objects.exists():
        work_team = User.objects.filter(username="work_team").first()
        _train(_candidates(work_team), city, today)
        members = _eligible_members(work_team)
        for index, (kind, stage) in enumerate(PLAN if members else []):
            member, project = members[index % len(members)]
            _application(member, project, kind, index, actor, stage, today)
            applications += 1
    if stdout is not None:
        stdout.write(
            f"脱困基金 (relief fund): 新建台账 {created} 笔、申请 {applications} 件，"
            f"共 {FundEntry.objects.count()} 笔、{FundApplication.objects.count()} 件"
        )
    return {"created": created + applications, "entries": FundEntry.objects.count()}
