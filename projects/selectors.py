"""Reads of income projects beyond a plain filter.

Other apps rely on ``member_approved_projects`` and ``member_has_approved_project``
(the fund's eligibility: 有项目)."""

from datetime import timedelta

from django.db.models import Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import APPROVED_STATES, ProjectStatus
from .models import IncomeProject, ProjectReview

# A running project should be reported on at least this often (跟踪服务).
PROGRESS_INTERVAL_DAYS = 90
WORK_ITEMS_PER_KIND = 50


def member_approved_projects(member):
    """The member's projects that are approved or running (有项目), newest first.

    Not scoped by user: callers (the fund's eligibility check) have already reached the
    member through their own scope."""
    return IncomeProject.objects.filter(member=member, status__in=APPROVED_STATES).order_by("-proposed_on", "-id")


def member_has_approved_project(member) -> bool:
    return member_approved_projects(member).exists()


def project_list(*, user, filters=None, request=None):
    """The projects the user may see, filtered like the list page (and its export)."""
    from .filtersets import IncomeProjectFilterSet

    queryset = IncomeProject.objects.visible_to(user).select_related(
        "member__village", "member__township", "member__county"
    )
    if filters is not None:
        queryset = IncomeProjectFilterSet(filters, queryset=queryset, request=request).qs
    return queryset


def project_detail(*, user, pk):
    """One project with everything its page shows, in a fixed number of queries."""
    return (
        IncomeProject.objects.visible_to(user)
        .select_related("member__village", "member__township", "proposed_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "reviews", queryset=ProjectReview.objects.select_related("recorded_by").prefetch_related("participants")
            ),
            "supports__recorded_by",
            "progress_reports__recorded_by",
        )
        .get(pk=pk)
    )


def timeline(project: IncomeProject) -> list[dict]:
    """Every step of the project in date order (uses the prefetched reviews, supports, reports)."""
    events = [{"day": project.proposed_on, "kind": "proposed", "title": _("提出项目"), "record": project}]
    for review in project.reviews.all():
        events.append({"day": review.reviewed_on, "kind": "review", "title": _("项目论证"), "record": review})
    if project.decided_on:
        approved = project.status not in (ProjectStatus.REFUSED, ProjectStatus.PROPOSED, ProjectStatus.REVIEWING)
        events.append(
            {
                "day": project.decided_on,
                "kind": "approved" if approved else "refused",
                "title": _("批准") if approved else _("不予批准"),
                "record": project,
            }
        )
    if project.started_on:
        events.append({"day": project.started_on, "kind": "started", "title": _("开始实施"), "record": project})
    for support in project.supports.all():
        events.append({"day": support.given_on, "kind": "support", "title": _("获得扶持"), "record": support})
    for report in project.progress_reports.all():
        events.append({"day": report.reported_on, "kind": "progress", "title": _("进展报告"), "record": report})
    if project.closed_on:
        events.append(
            {"day": project.closed_on, "kind": project.status, "title": project.get_status_display(), "record": project}
        )
    order = {"proposed": 0, "review": 1, "approved": 2, "refused": 2, "started": 3, "support": 4, "progress": 5}
    return sorted(events, key=lambda event: (event["day"], order.get(event["kind"], 9)))


def support_totals(project: IncomeProject) -> dict:
    """Support value by kind, from the prefetched supports."""
    totals = {}
    for support in project.supports.all():
        totals[support.get_kind_display()] = totals.get(support.get_kind_display(), 0) + support.value
    return totals


def member_projects(*, user, member):
    """The member's projects the user may see (for the member's file), one query."""
    return IncomeProject.objects.visible_to(user).filter(member=member).order_by("-proposed_on", "-id")


def overdue_progress(*, user, today=None):
    """Running projects the user may report on with no progress report for 90 days."""
    today = today or timezone.localdate()
    limit = today - timedelta(days=PROGRESS_INTERVAL_DAYS)
    return (
        IncomeProject.objects.visible_to(user)
        .filter(status=ProjectStatus.RUNNING, started_on__lte=limit)
        .annotate(last_report=Max("progress_reports__reported_on"))
        .filter(Q(last_report__isnull=True) | Q(last_report__lte=limit))
        .select_related("member")
        .order_by("last_report", "started_on", "id")
    )


def work_items(user) -> list[dict]:
    """What is due for ``user`` in income projects (organization.hooks ``work_items``):
    proposals to review (论证), reviewed projects to decide, overdue progress reports."""
    if not user.is_authenticated:
        return []
    items = []
    visible = IncomeProject.objects.visible_to(user).select_related("member")
    if user.has_perm("projects.review_incomeproject"):
        for project in visible.filter(status=ProjectStatus.PROPOSED).order_by("proposed_on", "id")[
            :WORK_ITEMS_PER_KIND
        ]:
            items.append(
                {
                    "kind": "project_review",
                    "title": _("致富项目待论证：%(project)s") % {"project": project},
                    "url": reverse("projects:project_detail", kwargs={"pk": project.pk}),
                    "due": None,
                }
            )
    if user.has_perm("projects.approve_incomeproject"):
        for project in visible.filter(status=ProjectStatus.REVIEWING).order_by("proposed_on", "id")[
            :WORK_ITEMS_PER_KIND
        ]:
            items.append(
                {
                    "kind": "project_approval",
                    "title": _("致富项目待审批：%(project)s") % {"project": project},
                    "url": reverse("projects:project_detail", kwargs={"pk": project.pk}),
                    "due": None,
                }
            )
    if user.has_perm("projects.add_progressreport"):
        for project in overdue_progress(user=user)[:WORK_ITEMS_PER_KIND]:
            last = project.last_report or project.started_on
            items.append(
                {
                    "kind": "project_progress",
                    "title": _("致富项目进展报告逾期：%(project)s") % {"project": project},
                    "url": reverse("projects:progress_add", kwargs={"project_pk": project.pk}),
                    "due": last + timedelta(days=PROGRESS_INTERVAL_DAYS),
                }
            )
    return items


def status_counts(*, user) -> dict:
    """How many projects the user may see, by status (one query)."""
    from django.db.models import Count

    rows = IncomeProject.objects.visible_to(user).values("status").annotate(n=Count("id")).order_by()
    counts = {row["status"]: row["n"] for row in rows}
    return {
        "rows": [(label, counts.get(value, 0), value) for value, label in ProjectStatus.choices],
        "total": sum(counts.values()),
    }
