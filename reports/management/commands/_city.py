"""Fill the database with a realistic city of a given size, in bulk (``manage.py fill_city``).

Written for benchmarks: ``bulk_create`` in batches, no services per row, so 100,000
members take minutes. The rows still keep the models' rules: valid GB 11643 ID numbers,
unique file numbers from each county's sequence, the denormalized township/county keys,
the track the routing rules give, a ledger whose sources never go below zero, and each
status with the dates and notes its constraints ask for. Proportions per member are
guesses at a plausible city (see ``fill``); the random generator is seeded by the size,
so the same size gives the same city.
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from assistance.choices import CadreLevel, DifficultyStatus, HelperKind, ReferralStatus, ReliefScheme
from assistance.models import (
    Difficulty,
    Helper,
    HelperAccount,
    LeadingCadre,
    Pairing,
    VisitNote,
    WelfareReferral,
    WorkTeam,
)
from fund import selectors as fund_selectors
from fund import services as fund_services
from fund.choices import Account, ApplicationKind, ApplicationStatus, EntryKind, Source
from fund.models import Fund, FundApplication, FundEntry, Guarantee
from members import idnumbers
from members.choices import (
    Education,
    Health,
    LabourCapacity,
    NoticeState,
    PovertyCause,
    Relation,
    Status,
    Track,
)
from members.models import (
    FileNumberSequence,
    HouseholdMember,
    IncomeCheck,
    IncomeThreshold,
    Member,
    PovertyExitPlan,
    StatusChange,
    TrackDecision,
)
from members.services import route
from organization.choices import RegionLevel, Role
from organization.demo import GIVEN_CHARS, MOBILE_PREFIXES, SURNAMES
from organization.models import PartyOrganization, Region, User
from projects.choices import ProjectStatus, ReviewConclusion
from projects.models import IncomeProject, ProgressReport, ProjectReview
from reports import services as report_services
from reports.models import JurisdictionPlan
from training.choices import BatchStatus, EnrolmentStatus, Grade
from training.models import CurriculumTopic, Enrolment, TrainingBatch, TrainingSession

YEAR = 2025
TODAY = date(2025, 12, 20)
BATCH = 5000
DIRECTIONS = ["agriculture", "industry", "commerce"]
PROJECT_TITLES = {
    "agriculture": ["种植食用菌", "养殖土鸡", "种植花椒", "养殖肉牛", "种植中药材", "大棚蔬菜"],
    "industry": ["农产品粗加工作坊", "手工编织", "小型面粉加工", "豆腐坊"],
    "commerce": ["农村电商网店", "便民小超市", "农资代销点", "农家乐"],
}
BANKS = ["农村信用社", "邮储银行", "农业银行", "村镇银行"]


def _name(rng: random.Random, female: bool) -> str:
    chars = GIVEN_CHARS[1 if female else 0]
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES[:60]) + given


def _phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange(max(1, (end - start).days)))


def _bulk(model, objects, counts: Counter, label: str | None = None):
    """``bulk_create`` in batches; returns the objects with their primary keys (PostgreSQL, SQLite)."""
    objects = list(objects)
    for start in range(0, len(objects), BATCH):
        model.objects.bulk_create(objects[start : start + BATCH])
    counts[label or model._meta.verbose_name] += len(objects)
    return objects


def _bulk_helpers(child_model, parents_and_children, counts: Counter):
    """Multi-table inheritance has no ``bulk_create``: parents in bulk, then the child rows' own columns."""
    parents = _bulk(Helper, [parent for parent, _child in parents_and_children], Counter())
    children = []
    for parent, child in parents_and_children:
        child.helper_ptr_id = parent.pk
        child.pk = parent.pk
        children.append(child)
    fields = child_model._meta.local_concrete_fields
    for start in range(0, len(children), BATCH):
        child_model._base_manager._insert(children[start : start + BATCH], fields=fields, raw=True)
    counts[child_model._meta.verbose_name] += len(children)
    return parents


class CityFiller:
    """One run: plan rows in memory per area and write them in bulk, in dependency order."""

    def __init__(self, members: int, seed: int | None = None):
        self.size = members
        self.rng = random.Random(seed if seed is not None else members)
        self.counts: Counter = Counter()
        self.password = make_password("Bench2026pass!")  # noqa: S106 - a local benchmark account, hashed once

    # --- entry ---------------------------------------------------------------------------

    def fill(self) -> Counter:
        with transaction.atomic():
            self._fill()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # What autovacuum does to a live database: statistics, and a visibility map for
            # index-only counts. A fresh bulk load has neither.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        return self.counts

    def _fill(self) -> None:
        self.city = Region.objects.get(level=RegionLevel.CITY)
        self.villages = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=self.city.path).select_related(
                "parent__parent"
            )
        )
        if not self.villages:
            raise ValueError("没有村/社区：先建区划树（load_demo 或 build_demo_city）。")
        self.counties = list(Region.objects.filter(level=RegionLevel.COUNTY, parent=self.city).order_by("code"))
        self.staff = (
            User.objects.filter(role=Role.CITY_STAFF).order_by("pk").first()
            or User.objects.filter(is_superuser=True).order_by("pk").first()
        )
        self.members()
        self.households_and_plans()
        self.income_and_status()
        self.training()
        self.projects()
        self.fund()
        self.assistance()
        self.reports()

    # --- members -------------------------------------------------------------------------

    def members(self) -> None:
        rng = self.rng
        # Rural villages hold most poor members; a community (社区) fewer.
        weights = [1 if village.is_urban else 4 for village in self.villages]
        taken = set(Member.objects.values_list("id_number", flat=True))
        sequences = {s.county_id: s.last for s in FileNumberSequence.objects.all()}
        organizations = dict(
            PartyOrganization.objects.filter(region__level=RegionLevel.VILLAGE)
            .order_by("-pk")
            .values_list("region_id", "pk")
        )
        causes = list(PovertyCause.values)
        villages = rng.choices(self.villages, weights=weights, k=self.size)
        rows = []
        for village in villages:
            township, county = village.parent, village.parent.parent
            born = _day(rng, date(1946, 1, 1), date(1996, 12, 31))
            female = rng.random() < 0.3
            place = county.code[:6]
            while True:
                sequence = rng.randrange(500) * 2 + (0 if female else 1)
                number = idnumbers.make(place, born, sequence)
                if number not in taken:
                    taken.add(number)
                    break
            age = TODAY.year - born.year - ((TODAY.month, TODAY.day) < (born.month, born.day))
            old = age >= 60
            labour = rng.choices(
                [LabourCapacity.ORDINARY, LabourCapacity.SKILLED, LabourCapacity.WEAK, LabourCapacity.LOST],
                weights=[2, 1, 4, 3] if old else [6, 2, 2, 1],
            )[0]
            living = not (old and rng.random() < 0.45)
            computed = route(age=age, labour_capacity=labour, has_living_source=living)
            track = computed
            if computed == Track.UNDECIDED and rng.random() < 0.8:
                track = rng.choice([Track.DEMONSTRATION, Track.RELIEF])
            if track == Track.DEMONSTRATION:
                status = rng.choices([Status.POOR, Status.OUT, Status.WELL_OFF], weights=[60, 33, 7])[0]
            else:
                status = rng.choices([Status.POOR, Status.OUT], weights=[90, 10])[0]
            income = {
                Status.POOR: rng.randint(1200, 3900),
                Status.OUT: rng.randint(4200, 11000),
                Status.WELL_OFF: rng.randint(12500, 20000),
            }[status]
            sequences[county.pk] = sequences.get(county.pk, 0) + 1
            rows.append(
                Member(
                    file_number=f"{county.code[:6]}-{sequences[county.pk]:05d}",
                    name=_name(rng, female),
                    id_number=number,
                    gender=idnumbers.gender(number),
                    birth_date=born,
                    ethnicity="汉族" if rng.random() < 0.96 else rng.choice(["回族", "蒙古族", "满族"]),
                    phone=_phone(rng) if rng.random() < 0.85 else "",
                    party_branch=f"{village.name}党支部",
                    party_organization_id=organizations.get(village.pk),
                    joined_party_on=date(min(born.year + rng.randint(20, 40), 2020), rng.randint(1, 12), 1),
                    education=rng.choices(
                        [Education.ILLITERATE, Education.PRIMARY, Education.JUNIOR, Education.SENIOR],
                        weights=[1, 4, 4, 1],
                    )[0],
                    health=rng.choices(list(Health.values), weights=[6, 3, 1, 1])[0],
                    labour_capacity=labour,
                    has_living_source=living,
                    household_size=rng.randint(1, 6),
                    village=village,
                    township=township,
                    county=county,
                    is_urban=village.is_urban,
                    poverty_causes=rng.sample(causes, rng.randint(1, 3)),
                    income_per_head=Decimal(income),
                    registered_on=_day(rng, date(2016, 1, 1), date(2024, 12, 31)),
                    computed_track=computed,
                    track=track,
                    status=status,
                )
            )
        self.new_members = _bulk(Member, rows, self.counts, "党员")
        history = Member.history.model
        stamp = timezone.now()
        kept = [f.attname for f in Member._meta.concrete_fields if hasattr(history, f.attname)]
        _bulk(
            history,
            (
                history(
                    **{name: getattr(m, name) for name in kept},
                    history_date=stamp,
                    history_type="+",
                    history_change_reason="批量生成（基准测试）",
                )
                for m in self.new_members
            ),
            self.counts,
            "党员历史记录",
        )
        for county_id, last in sequences.items():
            FileNumberSequence.objects.update_or_create(county_id=county_id, defaults={"last": last})
        decisions = [
            TrackDecision(
                member=m,
                computed_track=m.computed_track,
                track=m.track,
                reason="县委组织部研究决定",
                decided_by=self.staff,
            )
            for m in self.new_members
            if m.computed_track == Track.UNDECIDED and m.track != Track.UNDECIDED
        ]
        if self.staff is not None:
            _bulk(TrackDecision, decisions, self.counts, "分流决定")

    def households_and_plans(self) -> None:
        rng = self.rng
        relations = [Relation.SPOUSE, Relation.CHILD, Relation.PARENT]
        household, plans = [], []
        for member in self.new_members:
            for relation in relations[: min(member.household_size - 1, 2)]:
                household.append(
                    HouseholdMember(
                        member=member,
                        relation=relation,
                        name=_name(rng, relation == Relation.SPOUSE and member.gender == "male"),
                        health=rng.choices(list(Health.values), weights=[8, 2, 1, 1])[0],
                    )
                )
            if member.track == Track.DEMONSTRATION and member.status != Status.WELL_OFF:
                direction = rng.choice(DIRECTIONS)
                plans.append(
                    PovertyExitPlan(
                        member=member,
                        direction=direction,
                        project=rng.choice(PROJECT_TITLES[direction]),
                        measures="参加培训学习技术，申请脱困基金担保贷款，工作队跟踪帮扶。",
                        income_target=Decimal(rng.choice([4500, 5000, 6000, 8000])),
                        target_year=rng.choice([YEAR, YEAR + 1]),
                        responsible_person=_name(rng, False),
                        created_by=self.staff,
                    )
                )
        _bulk(HouseholdMember, household, self.counts, "家庭成员")
        _bulk(PovertyExitPlan, plans, self.counts, "脱困计划")

    def income_and_status(self) -> None:
        rng = self.rng
        for year, low, high in ((YEAR - 1, 3800, 11500), (YEAR, 4000, 12000)):
            IncomeThreshold.objects.get_or_create(
                year=year, defaults={"out_of_poverty": Decimal(low), "well_off": Decimal(high)}
            )
        checks, moved = [], []
        for member in self.new_members:
            if member.status != Status.POOR or rng.random() < 0.3:
                checks.append(
                    IncomeCheck(
                        member=member,
                        year=YEAR,
                        income_per_head=member.income_per_head,
                        checked_on=_day(rng, date(YEAR, 11, 1), date(YEAR, 12, 1)),
                        note="入户核查",
                    )
                )
        _bulk(IncomeCheck, checks, self.counts, "收入核查")
        for check in checks:
            member = check.member
            if member.status != Status.POOR:
                starts = check.checked_on + timedelta(days=1)
                moved.append(
                    StatusChange(
                        member=member,
                        income_check=check,
                        from_status=Status.POOR,
                        to_status=member.status,
                        reason="人均纯收入高于标准",
                        state=NoticeState.CONFIRMED,
                        notice_starts=starts,
                        notice_ends=starts + timedelta(days=7),
                        decided_by=self.staff,
                        decided_at=timezone.now(),
                    )
                )
        _bulk(StatusChange, moved, self.counts, "状态变更")

    # --- training ------------------------------------------------------------------------

    def training(self) -> None:
        rng = self.rng
        able = [m for m in self.new_members if m.track == Track.DEMONSTRATION]
        trainees = rng.sample(able, min(len(able), self.size // 5))
        per_batch = 50
        batches = []
        first = TrainingBatch.objects.count() + 1  # period numbers stay unique over several runs
        for n in range(max(1, (len(trainees) + per_batch - 1) // per_batch)):
            start = _day(rng, date(YEAR - 1, 3, 1), date(YEAR, 12, 31))
            status = (
                BatchStatus.FINISHED
                if start < date(YEAR, 11, 20)
                else rng.choice([BatchStatus.ENROLLING, BatchStatus.RUNNING])
            )
            if start > TODAY:
                status = BatchStatus.PLANNED
            region = rng.choice(self.counties)
            batches.append(
                TrainingBatch(
                    title=f"贫困党员脱困技能培训班（第{first + n}期）",
                    period_number=first + n,
                    region=region,
                    start_date=start,
                    end_date=start + timedelta(days=4),
                    place="市农村党员干部培训学校",
                    capacity=per_batch,
                    status=status,
                    created_by=self.staff,
                )
            )
        _bulk(TrainingBatch, batches, self.counts, "培训班")
        topics, sessions = [], []
        for batch in batches:
            for day, direction in enumerate(["policy", "agriculture", "industry", "commerce"]):
                topic = CurriculumTopic(batch=batch, title=f"{direction}专题", direction=direction)
                topics.append(topic)
                sessions.append(
                    TrainingSession(batch=batch, held_on=batch.start_date + timedelta(days=day), topic=topic)
                )
        _bulk(CurriculumTopic, topics, self.counts, "课程")
        _bulk(TrainingSession, sessions, self.counts, "培训课次")
        enrolments = []
        certificate = Enrolment.objects.exclude(certificate_number="").count()
        for n, member in enumerate(trainees):
            batch = batches[n // per_batch]
            base = {
                "batch": batch,
                "member": member,
                "recommended_by": self.staff,
                "recommending_village_id": member.village_id,
                "recommended_on": batch.start_date - timedelta(days=20),
                "reason": "有发展意愿，缺技术",
            }
            if batch.status == BatchStatus.FINISHED:
                outcome = rng.choices(
                    [EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED, EnrolmentStatus.DROPPED], weights=[90, 5, 5]
                )[0]
                extra = {"status": outcome, "admitted_on": batch.start_date - timedelta(days=7)}
                if outcome == EnrolmentStatus.COMPLETED:
                    certificate += 1
                    score = rng.randint(60, 99)
                    extra.update(
                        completed_on=batch.end_date,
                        score=Decimal(score),
                        grade=Grade.EXCELLENT if score >= 90 else Grade.GOOD if score >= 75 else Grade.PASS,
                        certificate_number=f"PX{YEAR}-{certificate:06d}",
                    )
                elif outcome == EnrolmentStatus.FAILED:
                    extra.update(score=Decimal(rng.randint(30, 59)), grade=Grade.FAIL, completed_on=batch.end_date)
                else:
                    extra.update(closing_note="家中有事，中途退学")
            elif batch.status == BatchStatus.RUNNING:
                extra = {"status": EnrolmentStatus.ADMITTED, "admitted_on": batch.start_date - timedelta(days=7)}
            else:
                extra = {"status": EnrolmentStatus.RECOMMENDED}
            enrolments.append(Enrolment(**base, **extra))
        _bulk(Enrolment, enrolments, self.counts, "培训报名")

    # --- projects ------------------------------------------------------------------------

    def projects(self) -> None:
        rng = self.rng
        able = [m for m in self.new_members if m.track == Track.DEMONSTRATION]
        owners = rng.sample(able, min(len(able), self.size // 10))
        projects = []
        for member in owners:
            direction = rng.choice(DIRECTIONS)
            status = rng.choices(list(ProjectStatus.values), weights=[10, 10, 15, 5, 35, 20, 5])[
                0
            ]  # proposed, reviewing, approved, refused, running, closed, failed
            proposed = _day(rng, date(YEAR - 1, 1, 1), date(YEAR, 10, 1))
            decided = (
                proposed + timedelta(days=rng.randint(10, 40)) if status not in ("proposed", "reviewing") else None
            )
            started = decided + timedelta(days=15) if status in ("running", "closed", "failed") else None
            closed = (
                min(TODAY, started + timedelta(days=rng.randint(120, 300))) if status in ("closed", "failed") else None
            )
            budget = Decimal(rng.randint(10, 80) * 1000)
            projects.append(
                IncomeProject(
                    member=member,
                    direction=direction,
                    title=rng.choice(PROJECT_TITLES[direction]),
                    description="依托本村资源，带动家庭增收。",
                    budget=budget,
                    expected_income=(budget * Decimal("0.4")).quantize(Decimal(1)),
                    status=status,
                    proposed_on=proposed,
                    proposed_by=self.staff,
                    decided_on=decided,
                    decided_by=self.staff if decided else None,
                    decision_note="同意立项" if status != "refused" else "市场前景不明，暂不立项",
                    started_on=started,
                    closed_on=closed,
                    income_earned=Decimal(rng.randint(3000, 30000)) if status == "closed" else None,
                    failure_reason="受市场行情影响亏损" if status == "failed" else "",
                )
            )
        self.new_projects = _bulk(IncomeProject, projects, self.counts, "增收项目")
        reviews, reports = [], []
        for project in self.new_projects:
            if project.status != ProjectStatus.PROPOSED:
                reviews.append(
                    ProjectReview(
                        project=project,
                        member_id=project.member_id,
                        reviewed_on=project.proposed_on + timedelta(days=7),
                        conclusion=ReviewConclusion.NOT_FEASIBLE
                        if project.status == "refused"
                        else ReviewConclusion.FEASIBLE,
                        opinion="工作队、专家和乡镇共同评审。",
                    )
                )
            if project.started_on:
                for k in range(rng.randint(1, 3)):
                    day = min(TODAY, project.started_on + timedelta(days=30 * (k + 1)))
                    reports.append(
                        ProgressReport(
                            project=project,
                            member_id=project.member_id,
                            reported_on=day,
                            text="按计划推进。",
                            income_to_date=Decimal(1000 * (k + 1)),
                        )
                    )
        _bulk(ProjectReview, reviews, self.counts, "项目评审")
        _bulk(ProgressReport, reports, self.counts, "项目进展")

    # --- fund ----------------------------------------------------------------------------

    def fund(self) -> None:
        rng = self.rng
        funds = {f.region_id: f for f in Fund.objects.filter(region__in=self.counties)}
        for county in self.counties:
            if county.pk not in funds:
                funds[county.pk] = fund_services.fund_create(actor=None, region=county)
        policy = fund_selectors.current_policy()
        support_sources = list(policy.support_sources) or [Source.PARTY_DUES]
        guarantee_sources = list(policy.guarantee_sources) or [Source.PARTY_DUES]
        county_of = {m.pk: m.county_id for m in self.new_members}
        applications, entries, guarantees = [], [], []
        used = defaultdict(Decimal)  # (fund id, source) -> cash paid out or reserved
        for project in self.new_projects:
            if project.status not in ("approved", "running", "closed") or rng.random() > 0.4:
                continue
            fund = funds[county_of[project.member_id]]
            kind = ApplicationKind.GUARANTEE if rng.random() < 0.5 else ApplicationKind.SUPPORT
            issued = project.status != "approved"
            if kind == ApplicationKind.GUARANTEE:
                loan = Decimal(rng.choice([20000, 30000, 50000]))
                fields = {"bank": rng.choice(BANKS), "loan_amount": loan, "guaranteed_amount": loan, "term_months": 24}
                status = ApplicationStatus.GUARANTEE_ISSUED if issued else ApplicationStatus.APPROVED
            else:
                fields = {"amount": Decimal(rng.choice([2000, 3000, 5000])), "purpose": "购买种苗和设备"}
                status = ApplicationStatus.DISBURSED if issued else ApplicationStatus.APPROVED
            applications.append(
                FundApplication(
                    member_id=project.member_id,
                    fund=fund,
                    project=project,
                    kind=kind,
                    status=status,
                    prepared_by=self.staff,
                    submitted_at=timezone.now(),
                    reviewed_by=self.staff,
                    review_opinion="情况属实，同意",
                    decided_by=self.staff,
                    decided_at=timezone.now(),
                    **fields,
                )
            )
        _bulk(FundApplication, applications, self.counts, "基金申请")
        names = {m.pk: m.name for m in self.new_members}
        for application in applications:
            day = application.project.started_on or TODAY
            if application.status == ApplicationStatus.DISBURSED:
                source = rng.choice(support_sources)
                used[(application.fund_id, source)] += application.amount
                entries.append(
                    FundEntry(
                        fund_id=application.fund_id,
                        date=day,
                        amount=-application.amount,
                        source=source,
                        account=Account.CASH,
                        kind=EntryKind.DISBURSEMENT,
                        reference=f"资金扶持：{names[application.member_id]}",
                        application=application,
                        created_by=self.staff,
                    )
                )
            elif application.status == ApplicationStatus.GUARANTEE_ISSUED:
                source = rng.choice(guarantee_sources)
                reserved = fund_services.reservation_for(application.guaranteed_amount, policy.leverage)
                used[(application.fund_id, source)] += reserved
                guarantees.append(
                    Guarantee(
                        application=application,
                        member_id=application.member_id,
                        fund_id=application.fund_id,
                        source=source,
                        bank=application.bank,
                        loan_amount=application.loan_amount,
                        guaranteed_amount=application.guaranteed_amount,
                        reserved_amount=reserved,
                        term_months=application.term_months,
                        issued_on=day,
                        due_on=day + timedelta(days=730),
                        issued_by=self.staff,
                    )
                )
        _bulk(Guarantee, guarantees, self.counts, "担保")
        for guarantee in guarantees:
            entries.append(
                FundEntry(
                    fund_id=guarantee.fund_id,
                    date=guarantee.issued_on,
                    amount=guarantee.reserved_amount,
                    source=guarantee.source,
                    account=Account.RESERVED,
                    kind=EntryKind.RESERVATION,
                    reference=f"担保占用：{names[guarantee.member_id]} {guarantee.bank}",
                    application_id=guarantee.application_id,
                    guarantee=guarantee,
                    created_by=self.staff,
                )
            )
        receipts = []
        # Receipts come first in the ledger and cover three times what was paid out or
        # reserved per source, so no source's free balance and no exposure limit is broken.
        for fund in funds.values():
            for source in Source.values:
                total = used[(fund.pk, source)] * 3 + Decimal(200000)
                for k in range(4):
                    receipts.append(
                        FundEntry(
                            fund=fund,
                            date=date(YEAR - 1, 1 + 3 * k, 5),
                            amount=(total / 4).quantize(Decimal("0.01")),
                            source=source,
                            account=Account.CASH,
                            kind=EntryKind.RECEIPT,
                            reference=f"{YEAR - 1}年第{k + 1}季度",
                            donor_name="爱心企业" if source == Source.DONATION else "",
                            budget_document=f"财预〔{YEAR - 1}〕{k + 11}号" if source == Source.FISCAL else "",
                            created_by=self.staff,
                        )
                    )
        _bulk(FundEntry, receipts + entries, self.counts, "基金分录")

    # --- assistance ----------------------------------------------------------------------

    def assistance(self) -> None:
        rng = self.rng
        by_village = defaultdict(list)
        for member in self.new_members:
            by_village[member.village_id].append(member)
        villages = [v for v in self.villages if v.pk in by_village]
        # One work team stationed in every three villages with members, with one account each.
        groups = [villages[i : i + 3] for i in range(0, len(villages), 3)]
        teams = []
        for n, group in enumerate(groups):
            county = group[0].parent.parent
            parent = Helper(kind=HelperKind.WORK_TEAM, name=f"{group[0].name}等驻村工作队{n + 1}", region=county)
            child = WorkTeam(
                sending_unit=rng.choice(["市农业农村局", "市财政局", "市人社局", "县委组织部", "县交通局"]),
                captain=_name(rng, False),
                starts_on=date(YEAR - 1, 3, 1),
            )
            teams.append((parent, child))
        parents = _bulk_helpers(WorkTeam, teams, self.counts)
        Through = WorkTeam.villages.through
        _bulk(
            Through,
            (
                Through(workteam_id=p.pk, region_id=v.pk)
                for p, group in zip(parents, groups, strict=True)
                for v in group
            ),
            self.counts,
            "驻村",
        )
        stamp = f"{self.size}-{Helper.objects.count()}"
        users = _bulk(
            User,
            (
                User(
                    username=f"bench_team_{stamp}_{n}",
                    password=self.password,
                    display_name=_name(rng, False),
                    role=Role.WORK_TEAM,
                    region=group[0].parent,
                )
                for n, group in enumerate(groups)
            ),
            self.counts,
            "账号",
        )
        _bulk(
            HelperAccount,
            (HelperAccount(helper_id=p.pk, user=u) for p, u in zip(parents, users, strict=True)),
            self.counts,
            "帮扶账号",
        )
        team_of = {}
        for parent, user, group in zip(parents, users, groups, strict=True):
            for village in group:
                team_of[village.pk] = (parent, user)
        # Leading cadres, five members each, at the three levels.
        cadres = []
        for _n in range(max(1, self.size // 20)):
            level = rng.choices([CadreLevel.CITY, CadreLevel.COUNTY, CadreLevel.TOWNSHIP], weights=[1, 3, 6])[0]
            county = rng.choice(self.counties)
            region = {"city": self.city, "county": county}.get(level, county)
            parent = Helper(kind=HelperKind.CADRE, name=_name(rng, rng.random() < 0.3), region=region)
            cadres.append((parent, LeadingCadre(level=level, unit="县直机关", post="科长")))
        cadre_helpers = _bulk_helpers(LeadingCadre, cadres, self.counts)
        pairings, visits = [], []
        paired = rng.sample(self.new_members, min(len(self.new_members), len(cadre_helpers) * 5))
        for n, member in enumerate(paired):
            pairings.append(
                Pairing(
                    member=member,
                    helper=cadre_helpers[n // 5],
                    starts_on=date(YEAR - 1, 4, 1),
                    reason="一对一结对帮扶",
                    is_key_target=rng.random() < 0.1,
                )
            )
        for member in self.new_members:
            team, user = team_of[member.village_id]
            for _k in range(rng.choices([0, 1, 2, 3], weights=[2, 3, 3, 2])[0]):
                visits.append(
                    VisitNote(
                        member=member,
                        helper=team,
                        visitor=user,
                        visited_on=_day(rng, date(YEAR - 1, 4, 1), TODAY),
                        findings="家中生产生活基本正常，了解发展意愿。",
                        needs=rng.choice(["", "需要技术指导", "缺少启动资金"]),
                    )
                )
        _bulk(Pairing, pairings, self.counts, "结对")
        _bulk(VisitNote, visits, self.counts, "走访记录")
        difficulties = []
        for visit in visits:
            if visit.needs and rng.random() < 0.25:
                status = rng.choices(list(DifficultyStatus.values), weights=[3, 2, 5])[0]
                difficulties.append(
                    Difficulty(
                        member_id=visit.member_id,
                        visit=visit,
                        kind="technology" if "技术" in visit.needs else "funds",
                        description=visit.needs,
                        coordinator_id=visit.helper_id,
                        deadline=visit.visited_on + timedelta(days=30),
                        status=status,
                        resolution="已协调解决" if status == DifficultyStatus.RESOLVED else "",
                        resolved_on=visit.visited_on + timedelta(days=20)
                        if status == DifficultyStatus.RESOLVED
                        else None,
                        raised_by=visit.visitor,
                    )
                )
        _bulk(Difficulty, difficulties, self.counts, "困难问题")
        referrals = [
            WelfareReferral(
                member=member,
                scheme=ReliefScheme.WUBAO if member.household_size == 1 else ReliefScheme.DIBAO,
                status=ReferralStatus.ENROLLED,
                referred_on=member.registered_on,
                decided_on=member.registered_on + timedelta(days=30),
                benefit=Decimal(rng.choice([300, 400, 500])),
            )
            for member in self.new_members
            if member.track == Track.RELIEF
        ]
        _bulk(WelfareReferral, referrals, self.counts, "社会救助转介")

    # --- reports -------------------------------------------------------------------------

    def reports(self) -> None:
        programme = report_services.active_programme()
        if programme is None:
            programme = report_services.programme_save(
                actor=None, name="贫困党员脱困示范行动", start_year=YEAR - 1, years=3, phase1_end_year=YEAR
            )
        planned = set(JurisdictionPlan.objects.filter(year=YEAR).values_list("region_id", flat=True))
        members = Member.objects.count()
        for region in Region.objects.filter(level__in=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP)).exclude(
            pk__in=planned
        ):
            share = members // max(1, len(self.counties)) // (1 if region.level == RegionLevel.COUNTY else 6)
            report_services.plan_save(
                actor=None,
                region=region,
                year=YEAR,
                target_out_of_poverty=max(1, share // 3),
                target_trained=max(1, share // 5),
                target_projects=max(1, share // 10),
            )
            self.counts["年度目标"] += 1
