"""Reads for the assistance area: visits due (联系制度), overdue difficulties, work items,
the member file section and the helper's home panel. All start from ``visible_to``."""

from datetime import date, timedelta

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import Track
from members.models import Member

from .choices import OPEN_DIFFICULTY, HelperKind, ReferralStatus
from .models import (
    HELPER_ROLES,
    CentreService,
    Difficulty,
    EnterpriseSupport,
    Helper,
    Pairing,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
)
from .services import DEFAULT_VISIT_DAYS


def visit_days() -> dict[str, int]:
    """Days allowed between visits, per kind of helper (the city's policy, else a month)."""
    days = dict.fromkeys(HelperKind.values, DEFAULT_VISIT_DAYS)
    days.update(VisitPolicy.objects.values_list("kind", "every_days"))
    return days


def _last_visit(helper_ref="helper", member_ref="pk"):
    return Subquery(
        VisitNote.objects.filter(helper=OuterRef(helper_ref), member=OuterRef(member_ref))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )


def overdue_pairings(*, user, day: date | None = None, only_own: bool | None = None):
    """Active pairings whose helper has not visited within the city's interval (联系制度).

    A helper account sees its own pairings; staff see every pairing of their jurisdiction.
    """
    day = day or timezone.localdate()
    pairings = (
        Pairing.objects.visible_to(user)
        .active(day)
        .select_related("member__village", "helper")
        .annotate(last_visit=_last_visit("helper", "member"))
    )
    if only_own or (only_own is None and user.role in HELPER_ROLES):
        pairings = pairings.filter(helper__in=Helper.objects.of_user(user))
    late = Q(pk__in=[])
    for kind, days in visit_days().items():
        cutoff = day - timedelta(days=days)
        late |= Q(helper__kind=kind) & (Q(last_visit__lt=cutoff) | Q(last_visit__isnull=True, starts_on__lt=cutoff))
    return pairings.filter(late).order_by("last_visit", "starts_on")


def my_members(*, user, day: date | None = None):
    """The members a helper account reaches, with its own last visit and when the next is due."""
    day = day or timezone.localdate()
    helpers = Helper.objects.of_user(user)
    last = Subquery(
        VisitNote.objects.filter(helper__in=helpers, member=OuterRef("pk"))
        .order_by("-visited_on")
        .values("visited_on")[:1]
    )
    members = list(
        Member.objects.visible_to(user)
        .select_related("village")
        .annotate(last_visit=last)
        .order_by("last_visit", "name")[:200]
    )
    kind = next(iter(helpers.values_list("kind", flat=True)[:1]), HelperKind.WORK_TEAM)
    every = visit_days()[kind]
    for member in members:
        member.visit_due = (member.last_visit + timedelta(days=every)) if member.last_visit else day
        member.visit_overdue = member.visit_due <= day
    return members


def overdue_difficulties(*, user, day: date | None = None):
    """Open difficulties past their deadline: for a helper, those it coordinates; for staff
    (the helpers' superiors), every one in their jurisdiction."""
    day = day or timezone.localdate()
    difficulties = (
        Difficulty.objects.visible_to(user)
        .filter(status__in=OPEN_DIFFICULTY, deadline__lt=day)
        .select_related("member", "coordinator")
    )
    if user.role in HELPER_ROLES:
        difficulties = difficulties.filter(coordinator__in=Helper.objects.of_user(user))
    return difficulties.order_by("deadline")


def open_difficulties(*, user):
    difficulties = Difficulty.objects.visible_to(user).filter(status__in=OPEN_DIFFICULTY)
    if user.role in HELPER_ROLES:
        difficulties = difficulties.filter(coordinator__in=Helper.objects.of_user(user))
    return difficulties.select_related("member", "coordinator").order_by("deadline")


def waiting_referral_proposals(*, user):
    if not user.has_perm("assistance.decide_welfarereferral"):
        return WelfareReferral.objects.none()
    return (
        WelfareReferral.objects.visible_to(user)
        .filter(status=ReferralStatus.PROPOSED)
        .select_related("member")
        .order_by("proposed_on")
    )


def work_items(user) -> list[dict]:
    """What is due for ``user`` in this area (organization.hooks ``work_items``)."""
    if not user.is_authenticated:
        return []
    items = []
    if user.has_perm("assistance.view_pairing"):
        for pairing in overdue_pairings(user=user)[:50]:
            items.append(
                {
                    "kind": "visit_due",
                    "title": _("应走访：%(member)s（%(helper)s）")
                    % {"member": pairing.member.name, "helper": pairing.helper.name},
                    "url": reverse("assistance:visitnote_add") + f"?member={pairing.member_id}",
                    "due": pairing.last_visit,
                }
            )
    if user.has_perm("assistance.view_difficulty"):
        for difficulty in overdue_difficulties(user=user)[:50]:
            items.append(
                {
                    "kind": "difficulty_overdue",
                    "title": _("困难问题逾期：%(member)s，%(kind)s")
                    % {"member": difficulty.member.name, "kind": difficulty.get_kind_display()},
                    "url": difficulty.get_absolute_url(),
                    "due": difficulty.deadline,
                }
            )
    for referral in waiting_referral_proposals(user=user)[:50]:
        items.append(
            {
                "kind": "referral_proposal",
                "title": _("待确认救济转介：%(member)s（%(scheme)s）")
                % {"member": referral.member.name, "scheme": referral.get_scheme_display()},
                "url": referral.get_absolute_url(),
                "due": referral.proposed_on,
            }
        )
    return items


def member_assistance(*, user, member):
    """What the member's file shows of this area, in a few queries."""
    pairings = list(
        Pairing.objects.visible_to(user).filter(member=member).select_related("helper").order_by("-starts_on")
    )
    visits = list(VisitNote.objects.visible_to(user).filter(member=member).select_related("helper", "visitor")[:10])
    difficulties = list(Difficulty.objects.visible_to(user).filter(member=member).select_related("coordinator"))
    # Support, services and referrals only where the pairings or the track say there can be some.
    kinds = {pairing.helper.kind for pairing in pairings}
    support = (
        list(EnterpriseSupport.objects.visible_to(user).filter(member=member).select_related("enterprise"))
        if HelperKind.ENTERPRISE in kinds
        else []
    )
    services = (
        list(CentreService.objects.visible_to(user).filter(member=member).select_related("centre"))
        if HelperKind.URBAN_CENTRE in kinds
        else []
    )
    referrals = (
        list(WelfareReferral.objects.visible_to(user).filter(member=member))
        if member.track != Track.DEMONSTRATION
        else []
    )
    return {
        "pairings": pairings,
        "visits": visits,
        "difficulties": difficulties,
        "support": support,
        "services": services,
        "referrals": referrals,
    }


def helper_summary(*, helper):
    """Counts for a helper's page."""
    return Pairing.objects.filter(helper=helper).aggregate(
        active=Count("pk", filter=Q(ends_on__isnull=True) | Q(ends_on__gte=timezone.localdate())),
        total=Count("pk"),
    )


def enterprise_support_total(*, user):
    return EnterpriseSupport.objects.visible_to(user).aggregate(total=Sum("value"))["total"] or 0
