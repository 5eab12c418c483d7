"""Reads about training. Pages and the API start from ``visible_to``; the contract
functions for other apps (fund, assistance) are unscoped and say so: callers scope."""

from datetime import timedelta

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organization.choices import Role

from .choices import SEAT_STATUSES, BatchStatus, EnrolmentStatus
from .models import Attendance, BatchBudgetItem, Enrolment, ExpertService, TrainingBatch

# --- the contract other apps rely on ------------------------------------------------------


def member_has_completed_training(member) -> bool:
    """Whether the member completed (passed) a training batch: 接受培训 for the fund."""
    return Enrolment.objects.filter(member=member, status=EnrolmentStatus.COMPLETED).exists()


def completed_member_ids():
    """Ids of members who completed a batch, as a values_list usable in ``pk__in``.

    Unscoped: the caller narrows its own queryset with ``visible_to``.
    """
    return Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).values_list("member_id", flat=True).distinct()


def key_assistance_targets():
    """Completed enrolments: each makes ``member`` a key assistance target (重点帮扶对象) of
    ``recommended_by`` (the work team account) since ``key_target_since``.

    Unscoped; filter by ``recommended_by=user`` or by ``member__in=visible members``.
    """
    return (
        Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, key_target_since__isnull=False)
        .select_related("member", "member__village", "recommended_by", "batch")
        .order_by("-key_target_since", "-id")
    )


# --- lists and pages ---------------------------------------------------------------------


def batch_list(*, user):
    return (
        TrainingBatch.objects.visible_to(user)
        .select_related("region")
        .annotate(
            seated=Count("enrolments", filter=Q(enrolments__status__in=SEAT_STATUSES), distinct=True),
            recommended=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.RECOMMENDED), distinct=True),
        )
    )


def batch_roster(*, user, batch):
    """The batch's trainees the user may see, in roster order."""
    return (
        Enrolment.objects.visible_to(user)
        .filter(batch=batch)
        .select_related("member", "member__village", "member__township", "recommended_by", "recommending_village")
        .order_by("status", "member__county__code", "member__village__code", "member__name", "id")
    )


def attendance_sheet(*, user, batch):
    """Rows of trainees with their attendance per session, for the printable sheet."""
    sessions = list(batch.sessions.select_related("topic").order_by("held_on", "id"))
    roster = list(
        batch_roster(user=user, batch=batch)
        .filter(status__in=SEAT_STATUSES)
        .prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.only("id", "session_id", "enrolment_id", "status"))
        )
    )
    rows = []
    for enrolment in roster:
        marks = {a.session_id: a for a in enrolment.attendances.all()}
        cells = [marks.get(session.pk) for session in sessions]
        present = sum(1 for cell in cells if cell is not None and cell.status in ("present", "late"))
        rows.append({"enrolment": enrolment, "cells": cells, "present": present})
    return sessions, rows


def budget_totals_by_year(*, user):
    """The city budget's training costs per year, from the items the user may see."""
    return list(
        BatchBudgetItem.objects.visible_to(user)
        .annotate(year=ExtractYear("spent_on"))
        .values("year")
        .annotate(total=Sum("amount"), items=Count("id"), batches=Count("batch", distinct=True))
        .order_by("-year")
    )


def batch_cost_total(batch):
    return batch.budget_items.aggregate(total=Sum("amount"))["total"] or 0


def member_training(*, user, member):
    """A member's training, services received and visits, for their file (3 queries)."""
    enrolments = list(
        Enrolment.objects.visible_to(user).filter(member=member).select_related("batch").order_by("-batch__start_date")
    )
    services = list(
        ExpertService.objects.visible_to(user)
        .filter(members=member)
        .select_related("expert")
        .order_by("-served_on", "-id")[:20]
    )
    from .models import BaseVisit

    visits = list(
        BaseVisit.objects.visible_to(user).filter(members=member).select_related("base").order_by("-visited_on")[:20]
    )
    return enrolments, services, visits


def recommendable_members(*, user, batch=None):
    """Members a user may recommend: in their jurisdiction, on the demonstration track,
    not already on the batch's list."""
    from members.choices import Track

    members = Member.objects.visible_to(user).filter(track=Track.DEMONSTRATION).select_related("village")
    if batch is not None:
        members = members.exclude(enrolments__batch=batch)
    return members.order_by("village__code", "name")


def follow_ups(*, user, days: int = 7):
    """Open follow-ups (跟踪服务) due within ``days`` or overdue, that the user may change."""
    today = timezone.localdate()
    return (
        ExpertService.objects.visible_to(user, "change")
        .follow_ups_open()
        .filter(follow_up_due__lte=today + timedelta(days=days))
        .select_related("expert")
        .order_by("follow_up_due", "id")
    )


def work_items(user) -> list[dict]:
    """What is due for ``user`` in training (organization.hooks ``work_items``)."""
    items = []
    today = timezone.localdate()
    if user.has_perm("training.change_expertservice"):
        for service in follow_ups(user=user, days=7)[:50]:
            overdue = service.follow_up_due < today
            items.append(
                {
                    "kind": "training.follow_up_overdue" if overdue else "training.follow_up_due",
                    "title": (_("跟踪回访已逾期：%(service)s") if overdue else _("跟踪回访将到期：%(service)s"))
                    % {"service": service},
                    "url": service.get_absolute_url(),
                    "due": service.follow_up_due,
                }
            )
    if user.has_perm("training.change_trainingbatch"):
        waiting = (
            TrainingBatch.objects.visible_to(user, "change")
            .filter(
                status__in=(BatchStatus.PLANNED, BatchStatus.ENROLLING),
                enrolments__status=EnrolmentStatus.RECOMMENDED,
            )
            .annotate(waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.RECOMMENDED)))
            .order_by("start_date")[:20]
        )
        for batch in waiting:
            items.append(
                {
                    "kind": "training.admission",
                    "title": _("%(batch)s有%(count)s名推荐学员待录取") % {"batch": batch, "count": batch.waiting},
                    "url": reverse("training:batch_detail", kwargs={"pk": batch.pk}) + "#roster",
                    "due": batch.start_date,
                }
            )
    if user.role == Role.WORK_TEAM and user.has_perm("training.add_enrolment"):
        open_batches = (
            TrainingBatch.objects.visible_to(user).filter(status=BatchStatus.ENROLLING).order_by("start_date")
        )
        for batch in open_batches[:5]:
            items.append(
                {
                    "kind": "training.recommend",
                    "title": _("%(batch)s正在报名，可推荐学员") % {"batch": batch},
                    "url": reverse("training:recommend", kwargs={"batch_pk": batch.pk}),
                    "due": batch.start_date,
                }
            )
    return items
