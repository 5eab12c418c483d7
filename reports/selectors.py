"""Reads for dashboards, bulletins and work lists.

Every aggregate is one query grouped by the child region's key: members carry
denormalized county/township/village keys, so a level's figures need no join to the
region tree and the number of queries does not grow with the data.
"""

from dataclasses import dataclass, field
from datetime import timedelta

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


def member_counts():
    """The conditional aggregates of a group of members, as annotate() keyword arguments."""
    return {
        "total": Count("pk"),
        "poor": Count("pk", filter=Q(status=Status.POOR)),
        "out": Count("pk", filter=Q(status=Status.OUT)),
        "well_off": Count("pk", filter=Q(status=Status.WELL_OFF)),
        "demonstration": Count("pk", filter=Q(track=Track.DEMONSTRATION)),
        "demonstration_out": Count("pk", filter=Q(track=Track.DEMONSTRATION, status__in=OUT)),
        "relief": Count("pk", filter=Q(track=Track.RELIEF)),
        "undecided": Count("pk", filter=Q(track=Track.UNDECIDED)),
        "relapsed": Count("pk", filter=Q(is_relapsed=True)),
    }


COUNT_KEYS = tuple(member_counts())


def exits_in(year: int):
    """Confirmed status changes out of poverty whose income check is of ``year``."""
    return StatusChange.objects.filter(
        state=NoticeState.CONFIRMED, from_status=Status.POOR, to_status__in=OUT, income_check__year=year
    )


@dataclass
class ProgressRow:
    region: Region
    counts: dict = field(default_factory=dict)
    exits: int = 0
    plan: JurisdictionPlan | None = None

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

    def as_dict(self) -> dict:
        return {
            "code": self.region.code,
            "name": self.region.name,
            **{key: self.counts.get(key, 0) for key in COUNT_KEYS},
            "exits": self.exits,
            "target": self.target,
            "rate": self.rate,
            "met": self.met,
            "goal_rate": self.goal_rate,
        }


@dataclass
class Progress:
    region: Region
    year: int
    total: ProgressRow
    rows: list[ProgressRow]

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


def progress(*, region: Region, year: int, members=None, regions=None) -> Progress:
    """Members by status and track, exits in ``year`` against the plans, for ``region`` and each child.

    ``members`` is the member queryset to count (the user's visible members, or all for
    a bulletin); ``regions`` the region queryset the children come from. Four queries
    (children, members, exits, plans) whatever the number of members.
    """
    members = Member.objects.all() if members is None else members
    regions = Region.objects.all() if regions is None else regions
    members = members.filter(**{MEMBER_KEY[region.level]: region})
    child_key = CHILD_KEY.get(region.level)
    children = list(regions.filter(parent=region).order_by("code")) if child_key else []
    rows = {child.pk: ProgressRow(child) for child in children}
    total = ProgressRow(region)
    exits = exits_in(year).filter(member__in=members.values("pk"))
    if child_key:
        for entry in members.order_by().values(child_key).annotate(**member_counts()):
            if entry[child_key] in rows:
                rows[entry[child_key]].counts = entry
        for entry in exits.order_by().values(f"member__{child_key}").annotate(n=Count("pk")):
            if entry[f"member__{child_key}"] in rows:
                rows[entry[f"member__{child_key}"]].exits = entry["n"]
    for row in rows.values():
        for key in COUNT_KEYS:
            total.counts[key] = total.counts.get(key, 0) + row.counts.get(key, 0)
        total.exits += row.exits
    if not child_key:  # a village: its own figures only
        total.counts = members.order_by().aggregate(**member_counts())
        total.exits = exits.count()
    plan_regions = [region.pk, *rows]
    for plan in JurisdictionPlan.objects.filter(year=year, region__in=plan_regions):
        if plan.region_id == region.pk:
            total.plan = plan
        else:
            rows[plan.region_id].plan = plan
    return Progress(region=region, year=year, total=total, rows=list(rows.values()))


def progress_for_user(*, user, region: Region, year: int) -> Progress:
    return progress(
        region=region,
        year=year,
        members=Member.objects.visible_to(user),
        regions=Region.objects.visible_to(user),
    )


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
                    "kind": _("台账导入"),
                    "title": _("导入待确认：%(batch)s") % {"batch": batch},
                    "url": batch.get_absolute_url(),
                    "due": None,
                }
            )
    return items


def all_work_items(user) -> list[dict]:
    """Every app's work items for ``user`` (organization.hooks), soonest due first."""
    from organization.hooks import hooks

    items = []
    for hook in hooks("work_items"):
        items.extend(hook(user) or [])
    far = timezone.localdate().replace(year=9999)
    return sorted(items, key=lambda item: (item.get("due") or far, str(item.get("title", ""))))


def bulletin_list(*, user):
    return BulletinJob.objects.visible_to(user).select_related("region")


def dashboard_link(region: Region, year: int) -> str:
    return reverse("reports:dashboard_region", kwargs={"code": region.code}) + f"?year={year}"
