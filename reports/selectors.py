"""Reads for dashboards, bulletins and work lists.

Every aggregate is one query grouped by the child region's key: members carry
denormalized county/township/village keys, so a level's figures need no join to the
region tree and the number of queries does not grow with the data.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import NoticeState, Status, Track
from members.models import Member, StatusChange
from organization.choices import RegionLevel
from organization.models import Region

from .choices import AdmonitionState, CommendationState, RectificationState
from .models import Admonition, BulletinJob, Commendation, JurisdictionPlan, Programme, RectificationPlan

# The member field that names a region of each level, and the level below each level.
MEMBER_KEY = {
    RegionLevel.CITY: "county__parent",
    RegionLevel.COUNTY: "county",
    RegionLevel.TOWNSHIP: "township",
    RegionLevel.VILLAGE: "village",
}
CHILD_KEY = {RegionLevel.CITY: "county", RegionLevel.COUNTY: "township", RegionLevel.TOWNSHIP: "village"}
OUT = (Status.OUT, Status.WELL_OFF)


def active_programme() -> Programme | None:
    return Programme.objects.filter(is_active=True).first()


# Sections of the dashboard and the bulletin beyond the register, each shown to a user
# only with the permission to see the records behind it (None: the bulletin sees all).
SECTION_PERMISSIONS = {
    "training": "training.view_enrolment",
    "projects": "projects.view_incomeproject",
    "assistance": "assistance.view_pairing",
    "difficulties": "assistance.view_difficulty",
    "mentors": "assistance.view_mentorpair",
    "fund": "fund.view_fundentry",
    "guarantees": "fund.view_guarantee",
}


def sections_for(user) -> frozenset[str]:
    if user is None:
        return frozenset(SECTION_PERMISSIONS)
    return frozenset(name for name, perm in SECTION_PERMISSIONS.items() if user.has_perm(perm))


def exits_in(year: int):
    """Confirmed status changes out of poverty whose income check is of ``year``."""
    return StatusChange.objects.filter(
        state=NoticeState.CONFIRMED, from_status=Status.POOR, to_status__in=OUT, income_check__year=year
    )


def visit_interval() -> int:
    """Days allowed between a work team's visits (the city's policy, else a month)."""
    from assistance.choices import HelperKind
    from assistance.models import VisitPolicy
    from assistance.services import DEFAULT_VISIT_DAYS

    days = VisitPolicy.objects.filter(kind=HelperKind.WORK_TEAM).values_list("every_days", flat=True).first()
    return days or DEFAULT_VISIT_DAYS


def member_counts(year: int, sections=frozenset(), today=None, interval: int = 30) -> dict:
    """The conditional aggregates of a group of members, as annotate() keyword arguments.

    Facts kept in other tables (out of poverty this year, trained, given a project, paired,
    visited) are ``pk IN (subquery)`` filters: uncorrelated, so the database evaluates each
    once (a hashed subplan on PostgreSQL) rather than once per member.
    """
    counts = {
        "total": Count("pk"),
        "poor": Count("pk", filter=Q(status=Status.POOR)),
        "out": Count("pk", filter=Q(status=Status.OUT)),
        "well_off": Count("pk", filter=Q(status=Status.WELL_OFF)),
        "demonstration": Count("pk", filter=Q(track=Track.DEMONSTRATION)),
        "demonstration_out": Count("pk", filter=Q(track=Track.DEMONSTRATION, status__in=OUT)),
        "relief": Count("pk", filter=Q(track=Track.RELIEF)),
        "undecided": Count("pk", filter=Q(track=Track.UNDECIDED)),
        "relapsed": Count("pk", filter=Q(is_relapsed=True)),
        "exits": Count("pk", filter=Q(pk__in=exits_in(year).values("member_id"))),
    }
    if "training" in sections:
        from training.choices import EnrolmentStatus
        from training.models import Enrolment

        trained = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, completed_on__year=year)
        counts["trained"] = Count("pk", filter=Q(pk__in=trained.values("member_id")))
    if "projects" in sections:
        from projects.choices import ProjectStatus
        from projects.models import IncomeProject

        given = IncomeProject.objects.filter(decided_on__year=year).exclude(
            status__in=(ProjectStatus.PROPOSED, ProjectStatus.REVIEWING, ProjectStatus.REFUSED)
        )
        counts["with_project"] = Count("pk", filter=Q(pk__in=given.values("member_id")))
    if "assistance" in sections:
        from assistance.models import Pairing, VisitNote

        today = today or timezone.localdate()
        paired = Q(pk__in=Pairing.objects.active(today).values("member_id"))
        recent = Q(pk__in=VisitNote.objects.filter(visited_on__gt=today - timedelta(days=interval)).values("member_id"))
        counts["paired"] = Count("pk", filter=paired)
        counts["visited"] = Count("pk", filter=paired & recent)
    return counts


COUNT_KEYS = (
    "total",
    "poor",
    "out",
    "well_off",
    "demonstration",
    "demonstration_out",
    "relief",
    "undecided",
    "relapsed",
    "exits",
    "trained",
    "with_project",
    "paired",
    "visited",
)
BASE_KEYS = COUNT_KEYS[:10]
MONEY_KEYS = frozenset({"guaranteed", "reserved"})
# Per-record figures of the other areas, by child region.
EXTRA_KEYS = (
    "projects_proposed",
    "projects_reviewing",
    "projects_approved",
    "projects_running",
    "projects_closed",
    "projects_refused_failed",
    "difficulties_open",
    "difficulties_overdue",
    "difficulties_resolved",
    "mentor_pairs",
    "guaranteed",
    "reserved",
    "guarantees_issued",
    "guarantees_called",
)


@dataclass
class ProgressRow:
    region: Region
    counts: dict = field(default_factory=dict)
    plan: JurisdictionPlan | None = None

    @property
    def exits(self) -> int:
        return self.counts.get("exits", 0)

    @property
    def target(self) -> int | None:
        return self.plan.target_out_of_poverty if self.plan else None

    @property
    def rate(self) -> float | None:
        """Share of the year's target met, in percent (None without a target)."""
        if not self.target:
            return None
        return round(100 * self.exits / self.target, 1)

    @property
    def met(self) -> bool | None:
        if self.plan is None:
            return None
        return self.exits >= self.target

    @property
    def goal_rate(self) -> float | None:
        """The three-year goal: every member on the demonstration track out of poverty."""
        demonstration = self.counts.get("demonstration", 0)
        if not demonstration:
            return None
        return round(100 * self.counts.get("demonstration_out", 0) / demonstration, 1)

    def target_of(self, name: str) -> int | None:
        return getattr(self.plan, f"target_{name}") if self.plan else None

    def as_dict(self) -> dict:
        """Plain, JSON-ready figures (money as a string of yuan)."""
        return {
            key: str(Decimal(str(value)).quantize(Decimal("0.01"))) if key in MONEY_KEYS else value
            for key, value in self._figures().items()
        }

    def _figures(self) -> dict:
        return {
            "code": self.region.code,
            "name": self.region.name,
            **{key: self.counts.get(key, 0) for key in BASE_KEYS},
            **{key: self.counts[key] for key in COUNT_KEYS + EXTRA_KEYS if key in self.counts and key not in BASE_KEYS},
            "exits": self.exits,
            "target": self.target,
            "rate": self.rate,
            "met": self.met,
            "goal_rate": self.goal_rate,
            "target_trained": self.target_of("trained"),
            "target_projects": self.target_of("projects"),
            "target_mentor_pairs": self.target_of("mentor_pairs"),
        }


@dataclass
class Progress:
    region: Region
    year: int
    total: ProgressRow
    rows: list[ProgressRow]
    sections: frozenset = frozenset()
    fund: dict | None = None
    programme: Programme | None = None
    # when the figures come from the villages' snapshot, the time it was taken
    as_of: datetime | None = None

    def ranked(self) -> list[ProgressRow]:
        """Those with a target, best completion first; then those without one, by code."""
        with_target = sorted((r for r in self.rows if r.rate is not None), key=lambda r: (-r.rate, r.region.code))
        return with_target + [r for r in self.rows if r.rate is None]

    @property
    def met(self) -> list[ProgressRow]:
        return [r for r in self.ranked() if r.met]

    @property
    def missed(self) -> list[ProgressRow]:
        return [r for r in self.ranked() if r.met is False]


def _grouped(queryset, key: str | None, **aggregates) -> dict:
    """``aggregates`` of ``queryset`` per value of ``key`` (or one total under None)."""
    if key is None:
        return {None: queryset.order_by().aggregate(**aggregates)}
    return {row.pop(key): row for row in queryset.order_by().values(key).annotate(**aggregates)}


def figures(*, place: dict, key: str | None, year: int, sections, today, user=None) -> dict:
    """Every count of the dashboard for the members at ``place``, per value of the member
    field ``key`` (one total under None): ``{key value: {figure: value}}``.

    ``user`` scopes everything (None: all). One query per section whatever the number of
    members: members, and one each for projects, difficulties, mentor pairs and guarantees
    (plus the visit policy with the assistance section).
    """

    def scoped(model):
        return model.objects.all() if user is None else model.objects.visible_to(user)

    result: dict = {}

    def collect(grouped: dict) -> None:
        for value, counts in grouped.items():
            result.setdefault(value, {}).update({name: count or 0 for name, count in counts.items()})

    interval = visit_interval() if "assistance" in sections else 30
    members = scoped(Member).filter(**place)
    collect(_grouped(members, key, **member_counts(year, sections, today, interval)))

    def by_member(model, member_path="member"):
        records = scoped(model).filter(**{f"{member_path}__{k}": v for k, v in place.items()})
        return records, (f"{member_path}__{key}" if key else None)

    if "projects" in sections:
        from projects.choices import ProjectStatus as P
        from projects.models import IncomeProject

        records, by = by_member(IncomeProject)
        collect(
            _grouped(
                records,
                by,
                projects_proposed=Count("pk", filter=Q(status=P.PROPOSED)),
                projects_reviewing=Count("pk", filter=Q(status=P.REVIEWING)),
                projects_approved=Count("pk", filter=Q(status=P.APPROVED)),
                projects_running=Count("pk", filter=Q(status=P.RUNNING)),
                projects_closed=Count("pk", filter=Q(status=P.CLOSED)),
                projects_refused_failed=Count("pk", filter=Q(status__in=(P.REFUSED, P.FAILED))),
            )
        )
    if "difficulties" in sections:
        from assistance.choices import OPEN_DIFFICULTY, DifficultyStatus
        from assistance.models import Difficulty

        records, by = by_member(Difficulty)
        collect(
            _grouped(
                records,
                by,
                difficulties_open=Count("pk", filter=Q(status__in=OPEN_DIFFICULTY)),
                difficulties_overdue=Count("pk", filter=Q(status__in=OPEN_DIFFICULTY, deadline__lt=today)),
                difficulties_resolved=Count("pk", filter=Q(status=DifficultyStatus.RESOLVED, resolved_on__year=year)),
            )
        )
    if "mentors" in sections:
        from assistance.models import MentorPair

        records, by = by_member(MentorPair, "mentor__member")
        active = Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        collect(_grouped(records, by, mentor_pairs=Count("pk", filter=active)))
    if "guarantees" in sections:
        from django.db.models import Sum

        from fund.choices import GuaranteeStatus
        from fund.models import Guarantee

        records, by = by_member(Guarantee)
        issued = Q(status=GuaranteeStatus.ISSUED)
        collect(
            _grouped(
                records,
                by,
                guaranteed=Sum("guaranteed_amount", filter=issued),
                reserved=Sum("reserved_amount", filter=issued),
                guarantees_issued=Count("pk", filter=issued),
                guarantees_called=Count("pk", filter=Q(status=GuaranteeStatus.CALLED)),
            )
        )
    return result


def progress(*, region: Region, year: int, user=None, sections=None, today=None, tallied: bool = False) -> Progress:
    """Members by status and track, exits and the other areas' figures in ``year``, against
    the plans, for ``region`` and each region below it.

    ``user`` scopes everything (None: all, for a bulletin). With ``tallied``, the figures
    come from the villages' snapshot (``VillageTally``) when a fresh one covers what the
    user may see; otherwise they are counted now (``figures``).
    """
    today = today or timezone.localdate()
    sections = sections_for(user) if sections is None else sections
    child_key = CHILD_KEY.get(region.level)
    children = list(_scoped(Region, user).filter(parent=region).order_by("code")) if child_key else []
    rows = {child.pk: ProgressRow(child) for child in children}
    total = ProgressRow(region)

    snapshot = tally_figures(region=region, year=year, user=user, sections=sections, today=today) if tallied else None
    if snapshot is None:
        place = {MEMBER_KEY[region.level]: region}
        grouped = figures(place=place, key=child_key, year=year, sections=sections, today=today, user=user)
        as_of = None
    else:
        grouped, as_of = snapshot
    for value, counts in grouped.items():
        target = total if child_key is None else rows.get(value)
        if target is not None:
            target.counts.update(counts)
    if child_key:
        for row in rows.values():
            for key, value in row.counts.items():
                total.counts[key] = total.counts.get(key, 0) + value
    programme = None
    for plan in JurisdictionPlan.objects.filter(year=year, region__in=[region.pk, *rows]).select_related("programme"):
        programme = plan.programme
        if plan.region_id == region.pk:
            total.plan = plan
        else:
            rows[plan.region_id].plan = plan
    fund = fund_summary(region=region, user=user) if "fund" in sections else None
    return Progress(
        region=region,
        year=year,
        total=total,
        rows=list(rows.values()),
        sections=sections,
        fund=fund,
        programme=programme,
        as_of=as_of,
    )


def _scoped(model, user):
    return model.objects.all() if user is None else model.objects.visible_to(user)


# --- the villages' snapshot (统计快照) --------------------------------------------------------

# The figures each section adds; a user without a section does not get its figures.
SECTION_FIGURES = {
    "training": ("trained",),
    "projects": (
        "with_project",
        "projects_proposed",
        "projects_reviewing",
        "projects_approved",
        "projects_running",
        "projects_closed",
        "projects_refused_failed",
    ),
    "assistance": ("paired", "visited"),
    "difficulties": ("difficulties_open", "difficulties_overdue", "difficulties_resolved"),
    "mentors": ("mentor_pairs",),
    "guarantees": ("guaranteed", "reserved", "guarantees_issued", "guarantees_called"),
}
# From a village row to the region of each level above it (the snapshot groups by village).
VILLAGE_TO = {
    RegionLevel.CITY: "village__parent__parent__parent",
    RegionLevel.COUNTY: "village__parent__parent",
    RegionLevel.TOWNSHIP: "village__parent",
    RegionLevel.VILLAGE: "village",
}


def tally_max_age() -> timedelta:
    from django.conf import settings

    return timedelta(minutes=settings.REPORTS_TALLY_MAX_AGE_MINUTES)


def tally_applies(user) -> bool:
    """Whether the snapshot's figures are exactly what ``user`` would count: a user whose
    jurisdiction is a whole region (not a set of assigned members) and who may see members."""
    from organization.hooks import role_hooks

    if user is None or not user.is_authenticated or user.region_id is None:
        return False
    if not user.is_superuser and user.role in role_hooks("member_scopes"):
        return False
    return user.has_perm("members.view_member")


def tally_figures(*, region: Region, year: int, user, sections, today) -> tuple[dict, datetime] | None:
    """``figures`` for the region's children from a fresh snapshot, and when it was taken;
    None when no fresh snapshot covers the year (then the caller counts)."""
    if not tally_applies(user):
        return None
    from .models import VillageTally

    child = CHILD_KEY.get(region.level)
    key = VILLAGE_TO[child] + "_id" if child else None
    rows = VillageTally.objects.filter(
        year=year, as_of=today, computed_at__gte=timezone.now() - tally_max_age(), **{VILLAGE_TO[region.level]: region}
    ).values_list(key or "year", "figures", "computed_at")
    rows = list(rows)
    if not rows:
        return None
    wanted = set(BASE_KEYS).union(*(SECTION_FIGURES[s] for s in sections if s in SECTION_FIGURES))
    # one total has every figure, as an aggregate() over no rows would
    grouped: dict = {} if key else {None: dict.fromkeys(wanted, 0)}
    for value, counts, _computed_at in rows:
        into = grouped.setdefault(value if key else None, {})
        for name, number in counts.items():
            if name in wanted:
                number = Decimal(number) if name in MONEY_KEYS else number
                into[name] = into.get(name, 0) + number
    return grouped, min(row[2] for row in rows)


def fund_summary(*, region: Region, user=None) -> dict | None:
    """The funds kept in ``region`` or below it (the city's and the counties'): cash and
    reserve by source, paid on calls and recovered, from the ledger in one query."""
    from django.db.models import Sum

    from fund.choices import Account, EntryKind, Source
    from fund.models import FundEntry

    entries = FundEntry.objects.all() if user is None else FundEntry.objects.visible_to(user)
    rows = (
        entries.filter(fund__region__path__startswith=region.path)
        .order_by()
        .values("source", "account", "kind", "reverses__kind")
        .annotate(total=Sum("amount"))
    )
    sources = {value: {"label": str(label), "cash": 0, "reserved": 0, "received": 0} for value, label in Source.choices}
    called = recovered = 0
    seen = False
    for row in rows:
        seen = True
        amount = row["total"] or 0
        kind = row["reverses__kind"] or row["kind"]
        source = sources[row["source"]]
        source["cash" if row["account"] == Account.CASH else "reserved"] += amount
        if kind == EntryKind.RECEIPT:
            source["received"] += amount
        elif kind == EntryKind.CALL_PAYMENT:
            called -= amount
        elif kind == EntryKind.RECOVERY:
            recovered += amount
    if not seen:
        return None
    from decimal import Decimal

    def money(value):
        return Decimal(str(value)).quantize(Decimal("0.01"))

    for source in sources.values():
        for name in ("cash", "reserved", "received"):
            source[name] = money(source[name])
    return {
        "sources": [{"source": value, **data} for value, data in sources.items()],
        "cash": money(sum(s["cash"] for s in sources.values())),
        "reserved": money(sum(s["reserved"] for s in sources.values())),
        "called": money(called),
        "recovered": money(recovered),
    }


def progress_for_user(*, user, region: Region, year: int, live: bool = False) -> Progress:
    """The dashboard's figures: from the villages' snapshot when a fresh one applies,
    unless ``live`` asks for them to be counted now."""
    return progress(region=region, year=year, user=user, tallied=not live)


def plan_list(*, user):
    return JurisdictionPlan.objects.visible_to(user).select_related("region", "programme")


# --- work lists ---------------------------------------------------------------------------


def work_items(user) -> list[dict]:
    """What is due for ``user`` in this area and the register's: admonitions to confirm or
    hold, rectification deadlines, commendation notices ending, status-change notices
    ending and imports waiting for confirmation. Five queries at most."""
    items: list[dict] = []
    if not user.is_authenticated:
        return items
    today = timezone.localdate()
    if user.has_perm("reports.change_admonition"):
        for admonition in (
            Admonition.objects.visible_to(user)
            .filter(state__in=(AdmonitionState.PROPOSED, AdmonitionState.CONFIRMED))
            .select_related("region")[:20]
        ):
            title = (
                _("确认诫勉谈话建议：%(name)s")
                if admonition.state == AdmonitionState.PROPOSED
                else _("诫勉谈话待进行：%(name)s")
            ) % {"name": admonition}
            items.append({"kind": _("诫勉谈话"), "title": title, "url": admonition.get_absolute_url(), "due": None})
    if user.has_perm("reports.change_rectificationplan"):
        for plan in (
            RectificationPlan.objects.visible_to(user)
            .filter(state=RectificationState.OPEN)
            .select_related("admonition__region")[:20]
        ):
            items.append(
                {
                    "kind": _("整改计划"),
                    "title": _("整改期限：%(plan)s") % {"plan": plan},
                    "url": plan.get_absolute_url(),
                    "due": plan.deadline,
                }
            )
    if user.has_perm("reports.change_commendation"):
        for commendation in (
            Commendation.objects.visible_to(user).filter(state=CommendationState.NOTICING).select_related("region")[:20]
        ):
            items.append(
                {
                    "kind": _("表彰公示"),
                    "title": _("公示期满待确认：%(name)s") % {"name": commendation}
                    if commendation.notice_ends < today
                    else _("表彰公示中：%(name)s") % {"name": commendation},
                    "url": commendation.get_absolute_url(),
                    "due": commendation.notice_ends,
                }
            )
    if user.has_perm("reports.add_bulletinjob"):
        from .choices import BulletinState

        for job in BulletinJob.objects.visible_to(user).filter(state=BulletinState.FAILED, requested_by=user)[:5]:
            items.append(
                {
                    "kind": _("年度通报"),
                    "title": _("生成失败，请检查后重新生成：%(job)s") % {"job": job},
                    "url": job.get_absolute_url(),
                    "due": None,
                }
            )
    items.extend(_register_items(user, today))
    return items


def _register_items(user, today) -> list[dict]:
    """The register's own due work, gathered here: notices ending and imports to confirm."""
    from members.models import ImportBatch, ImportBatchStatus

    items = []
    if user.has_perm("members.change_statuschange"):
        for change in (
            StatusChange.objects.visible_to(user)
            .filter(state=NoticeState.NOTICING, notice_ends__lte=today + timedelta(days=3))
            .select_related("member")[:20]
        ):
            items.append(
                {
                    "area": _("贫困党员档案"),
                    "kind": _("状态公示"),
                    "title": _("公示期满待确认：%(change)s") % {"change": change}
                    if change.notice_ends < today
                    else _("公示即将期满：%(change)s") % {"change": change},
                    "url": change.get_absolute_url(),
                    "due": change.notice_ends,
                }
            )
    if user.has_perm("members.change_importbatch"):
        for batch in ImportBatch.objects.visible_to(user).filter(status=ImportBatchStatus.PREVIEWED, created_by=user)[
            :20
        ]:
            items.append(
                {
                    "area": _("贫困党员档案"),
                    "kind": _("台账导入"),
                    "title": _("导入待确认：%(batch)s") % {"batch": batch},
                    "url": batch.get_absolute_url(),
                    "due": None,
                }
            )
    return items


def all_work_items(user) -> list[dict]:
    """Every app's work items for ``user`` (organization.hooks), soonest due first."""
    from organization.hooks import hooks_by_app

    items = []
    for config, hook in hooks_by_app("work_items"):
        for item in hook(user) or []:
            items.append({"area": config.verbose_name, **item})  # an item may name its own area
    far = date.max

    def due(item) -> date:
        value = item.get("due")
        # a hook may give a datetime: compare it as its day (datetime and date do not compare)
        return value.date() if isinstance(value, datetime) else (value or far)

    return sorted(items, key=lambda item: (due(item), str(item.get("title", ""))))


def bulletin_list(*, user):
    return BulletinJob.objects.visible_to(user).select_related("region")


def dashboard_link(region: Region, year: int) -> str:
    return reverse("reports:dashboard_region", kwargs={"code": region.code}) + f"?year={year}"


# --- yearly evaluation --------------------------------------------------------------------


def _indicator(key: str, label: str, value, note: str = "") -> dict:
    return {"key": key, "label": str(label), "value": value, "note": str(note)}


def _target(value) -> str:
    return "" if value is None else _("目标 %(n)s") % {"n": value}


def organization_indicators(*, region: Region, year: int) -> list[dict]:
    """A party organization's record in its region: targets met, visits, difficulties
    resolved, fund use supervised (a handful of queries, once per evaluation)."""
    from assistance.choices import OPEN_DIFFICULTY, DifficultyStatus
    from assistance.models import Difficulty, VisitNote
    from fund.models import FundInspection

    report = progress(region=region, year=year, sections=frozenset({"training", "projects", "mentors"}))
    total = report.total
    place = {f"member__{MEMBER_KEY[region.level]}": region}
    today = timezone.localdate()
    difficulties = Difficulty.objects.filter(**place).aggregate(
        resolved=Count("pk", filter=Q(status=DifficultyStatus.RESOLVED, resolved_on__year=year)),
        overdue=Count("pk", filter=Q(status__in=OPEN_DIFFICULTY, deadline__lt=today)),
    )
    met = {True: _("完成"), False: _("未完成"), None: _("未制定规划")}[total.met]
    return [
        _indicator("members", _("贫困党员（人）"), total.counts.get("total", 0)),
        _indicator("target", _("年度脱贫目标（人）"), total.target),
        _indicator("exits", _("年度实际脱贫（人）"), total.exits),
        _indicator("target_met", _("脱贫目标完成情况"), str(met)),
        _indicator("goal_rate", _("三年目标进度（%）"), total.goal_rate),
        _indicator(
            "trained",
            _("年度培训结业（人）"),
            total.counts.get("trained", 0),
            _target(total.target_of("trained")),
        ),
        _indicator(
            "with_project",
            _("年度获得项目（人）"),
            total.counts.get("with_project", 0),
            _target(total.target_of("projects")),
        ),
        _indicator("visits", _("年度走访（次）"), VisitNote.objects.filter(visited_on__year=year, **place).count()),
        _indicator("difficulties_resolved", _("年度解决困难问题（件）"), difficulties["resolved"]),
        _indicator("difficulties_overdue", _("逾期未解决困难问题（件）"), difficulties["overdue"]),
        _indicator(
            "inspections",
            _("年度基金使用监督检查（次）"),
            FundInspection.objects.filter(inspected_on__year=year, **place).count(),
        ),
    ]


def helper_indicators(*, helper, year: int) -> list[dict]:
    """A work team's or a cadre's record: members paired, visits made and overdue,
    difficulties coordinated, paired members out of poverty."""
    from assistance.choices import OPEN_DIFFICULTY, DifficultyStatus
    from assistance.models import Difficulty, Pairing, VisitNote

    today = timezone.localdate()
    pairings = Pairing.objects.filter(helper=helper)
    active = pairings.active(today)
    interval = visit_interval()
    recent = VisitNote.objects.filter(helper=helper, visited_on__gt=today - timedelta(days=interval))
    difficulties = Difficulty.objects.filter(coordinator=helper).aggregate(
        resolved=Count("pk", filter=Q(status=DifficultyStatus.RESOLVED, resolved_on__year=year)),
        overdue=Count("pk", filter=Q(status__in=OPEN_DIFFICULTY, deadline__lt=today)),
    )
    paired_members = pairings.values("member_id")
    return [
        _indicator("paired", _("在结对帮扶党员（人）"), active.values("member_id").distinct().count()),
        _indicator(
            "visits", _("年度走访（次）"), VisitNote.objects.filter(helper=helper, visited_on__year=year).count()
        ),
        _indicator(
            "visits_overdue",
            _("走访逾期的结对（个）"),
            active.exclude(member_id__in=recent.values("member_id")).count(),
            _("走访周期 %s 天") % interval,
        ),
        _indicator("difficulties_resolved", _("年度协调解决困难问题（件）"), difficulties["resolved"]),
        _indicator("difficulties_overdue", _("逾期未解决困难问题（件）"), difficulties["overdue"]),
        _indicator(
            "exits",
            _("结对党员年度脱贫（人）"),
            exits_in(year).filter(member_id__in=paired_members).values("member_id").distinct().count(),
        ),
    ]


def evaluation_list(*, user):
    from .models import Evaluation

    return Evaluation.objects.visible_to(user).select_related("region")
