"""Reads about the fund: balances derived from the ledger, eligibility, queues, dashboards.

Balances are always sums of entries (one grouped query), never a stored number.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import Status, Track

from .choices import (
    Account,
    ApplicationStatus,
    EntryKind,
    FollowUpStatus,
    GuaranteeStatus,
    RecoveryStatus,
    Source,
)
from .models import FollowUp, Fund, FundApplication, FundEntry, FundPolicy, Guarantee, GuaranteeCall

ZERO = Decimal("0.00")
DEFAULT_LEVERAGE = Decimal("5")


def fen(value) -> Decimal:
    """A sum from the database as yuan to the fen (SQLite sums decimals as floats)."""
    return Decimal(str(value or 0)).quantize(ZERO)


def current_policy() -> FundPolicy:
    """The city's rules; until the city sets them, every source may pay for anything and N = 5."""
    policy = FundPolicy.objects.order_by("pk").first()
    if policy is None:
        every = list(Source.values)
        policy = FundPolicy(support_sources=every, guarantee_sources=every, leverage=DEFAULT_LEVERAGE)
    return policy


# --- balances --------------------------------------------------------------------------


@dataclass
class SourceBalance:
    source: str
    label: str
    cash: Decimal = ZERO
    reserved: Decimal = ZERO

    @property
    def free(self) -> Decimal:
        return self.cash - self.reserved


@dataclass
class Balances:
    """A fund's sums by source: cash (资金余额), reserved behind guarantees (担保占用), free."""

    sources: dict[str, SourceBalance] = field(default_factory=dict)

    @property
    def cash(self) -> Decimal:
        return sum((b.cash for b in self.sources.values()), ZERO)

    @property
    def reserved(self) -> Decimal:
        return sum((b.reserved for b in self.sources.values()), ZERO)

    @property
    def free(self) -> Decimal:
        return self.cash - self.reserved

    def __getitem__(self, source: str) -> SourceBalance:
        return self.sources[source]


def _empty_balances() -> Balances:
    return Balances({value: SourceBalance(value, str(label)) for value, label in Source.choices})


def balances_from_entries(entries) -> Balances:
    """Sum ``entries`` (a queryset) by source and account, in one query."""
    result = _empty_balances()
    for row in entries.order_by().values("source", "account").annotate(total=Sum("amount")):
        target = result.sources[row["source"]]
        total = fen(row["total"])
        if row["account"] == Account.CASH:
            target.cash += total
        else:
            target.reserved += total
    return result


def fund_balances(fund) -> Balances:
    """One fund's balances (unscoped: callers reached the fund through their scope, or hold its lock)."""
    return balances_from_entries(FundEntry.objects.filter(fund=fund))


def outstanding_guarantees(fund) -> Decimal:
    """The guaranteed amounts of the fund's guarantees still in force (在保余额)."""
    total = Guarantee.objects.filter(fund=fund, status=GuaranteeStatus.ISSUED).aggregate(s=Sum("guaranteed_amount"))
    return fen(total["s"])


def fund_for_member(member) -> Fund | None:
    """The fund that serves ``member``: their county's if it keeps one, otherwise the city's."""
    funds = {f.region_id: f for f in Fund.objects.filter(region_id__in=[member.county_id, member.county.parent_id])}
    return funds.get(member.county_id) or funds.get(member.county.parent_id)


def recovered_amount(call: GuaranteeCall) -> Decimal:
    """What has come back from the member on a call: the sum of its recovery entries and their reversals."""
    entries = FundEntry.objects.filter(guarantee_id=call.guarantee_id).filter(
        Q(kind=EntryKind.RECOVERY) | Q(reverses__kind=EntryKind.RECOVERY)
    )
    return fen(entries.aggregate(s=Sum("amount"))["s"])


# --- eligibility -----------------------------------------------------------------------


def _completed_training(member) -> bool:
    """The training app's answer (接受培训): a completed, passed batch."""
    from training.selectors import member_has_completed_training

    return member_has_completed_training(member)


def application_eligibility(member) -> list[str]:
    """Why ``member`` may not apply (有能力、有项目、缺资金), in Chinese; empty when eligible."""
    from projects.selectors import member_has_approved_project

    reasons = []
    if not _completed_training(member):
        reasons.append(_("尚未完成贫困党员培训班培训。"))
    if not member_has_approved_project(member):
        reasons.append(_("没有已批准的致富项目。"))
    if member.track != Track.DEMONSTRATION:
        reasons.append(_("不属于脱困示范行动对象（帮扶类别为“%(track)s”）。") % {"track": member.get_track_display()})
    if member.status != Status.POOR:
        reasons.append(_("脱贫状态为“%(status)s”，基金只扶持贫困党员。") % {"status": member.get_status_display()})
    return reasons


# --- lists and queues ------------------------------------------------------------------

# The status an application waits in for each step, and the permission the step needs.
STEP_QUEUES = (
    (ApplicationStatus.DRAFT, "fund.submit_fundapplication"),
    (ApplicationStatus.SUBMITTED, "fund.review_fundapplication"),
    (ApplicationStatus.REVIEWED, "fund.approve_fundapplication"),
    (ApplicationStatus.APPROVED, "fund.disburse_fundapplication"),
)


def waiting_statuses(user) -> list[str]:
    """The application statuses in which the next step is this user's."""
    return [status for status, perm in STEP_QUEUES if user.has_perm(perm)]


def application_queue(*, user):
    """Applications waiting for a step this user may take, within their jurisdiction."""
    queryset = FundApplication.objects.visible_to(user).filter(status__in=waiting_statuses(user))
    # A draft waits for whoever prepared it, not for everyone allowed to submit.
    queryset = queryset.exclude(Q(status=ApplicationStatus.DRAFT) & ~Q(prepared_by=user))
    if user.has_perm("fund.disburse_fundapplication") and not user.is_superuser:
        # Paying out is for the fund's keepers only: applications on a fund in their scope.
        keep = Fund.objects.visible_to(user).values("pk")
        queryset = queryset.exclude(Q(status=ApplicationStatus.APPROVED) & ~Q(fund__in=keep))
    return queryset.select_related("member", "fund")


def work_items(user) -> list[dict]:
    """Hook: applications waiting for this user's step, and follow-ups due."""
    items = []
    for application in application_queue(user=user)[:50]:
        items.append(
            {
                "kind": "fund_application",
                "title": _("%(member)s的%(kind)s申请：%(status)s")
                % {
                    "member": application.member.name,
                    "kind": application.get_kind_display(),
                    "status": application.get_status_display(),
                },
                "url": application.get_absolute_url(),
                "due": None,
            }
        )
    if user.has_perm("fund.change_followup"):
        for follow_up in (
            FollowUp.objects.visible_to(user).filter(status=FollowUpStatus.OPEN).select_related("member")[:50]
        ):
            items.append(
                {
                    "kind": "fund_follow_up",
                    "title": _("%(member)s资金使用整改") % {"member": follow_up.member.name},
                    "url": reverse("fund:follow_up_close", kwargs={"pk": follow_up.pk}),
                    "due": follow_up.deadline,
                }
            )
    return items


def member_fund_history(*, user, member) -> dict:
    """A member's applications (with their guarantee and call), for the member's file."""
    applications = list(
        FundApplication.objects.visible_to(user)
        .filter(member=member)
        .select_related("fund", "guarantee", "guarantee__call")
        .order_by("-created_at")
    )
    return {"applications": applications}


# --- dashboard -------------------------------------------------------------------------


def dashboard(*, user) -> dict:
    """The fund dashboard for the funds in ``user``'s jurisdiction, in a fixed number of queries."""
    funds = list(Fund.objects.visible_to(user).select_related("region").order_by("region__path"))
    fund_ids = [f.pk for f in funds]
    entries = FundEntry.objects.filter(fund_id__in=fund_ids)
    totals = balances_from_entries(entries)

    # Per year: receipts by source, payments, calls and recoveries (reversals counted with
    # the kind they correct, so a reversed receipt nets out of its year's receipts).
    years: dict[int, dict] = {}
    rows = (
        entries.order_by()
        .annotate(year=ExtractYear("date"))
        .values("year", "kind", "source", "reverses__kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        kind = row["reverses__kind"] or row["kind"]
        row["total"] = fen(row["total"])
        year = years.setdefault(
            row["year"],
            {
                "year": row["year"],
                "receipts": dict.fromkeys(Source.values, ZERO),
                "disbursed": ZERO,
                "called": ZERO,
                "recovered": ZERO,
            },
        )
        if kind == EntryKind.RECEIPT:
            year["receipts"][row["source"]] += row["total"]
        elif kind == EntryKind.DISBURSEMENT:
            year["disbursed"] -= row["total"]
        elif kind == EntryKind.CALL_PAYMENT:
            year["called"] -= row["total"]
        elif kind == EntryKind.RECOVERY:
            year["recovered"] += row["total"]
    per_year = []
    for year in sorted(years.values(), key=lambda y: y["year"], reverse=True):
        year["receipt_rows"] = [(str(label), year["receipts"][value]) for value, label in Source.choices]
        year["receipts_total"] = sum(year["receipts"].values(), ZERO)
        per_year.append(year)

    guarantees = Guarantee.objects.filter(fund_id__in=fund_ids).aggregate(
        outstanding=Sum("guaranteed_amount", filter=Q(status=GuaranteeStatus.ISSUED)),
        outstanding_count=Count("pk", filter=Q(status=GuaranteeStatus.ISSUED)),
        called_count=Count("pk", filter=Q(status=GuaranteeStatus.CALLED)),
    )
    open_recoveries = GuaranteeCall.objects.filter(
        guarantee__fund_id__in=fund_ids, status=RecoveryStatus.RECOVERING
    ).count()
    return {
        "funds": funds,
        "balances": totals,
        "source_rows": list(totals.sources.values()),
        "outstanding": fen(guarantees["outstanding"]),
        "outstanding_count": guarantees["outstanding_count"],
        "called_count": guarantees["called_count"],
        "called": sum((y["called"] for y in per_year), ZERO),
        "recovered": sum((y["recovered"] for y in per_year), ZERO),
        "open_recoveries": open_recoveries,
        "per_year": per_year,
        "policy": current_policy(),
        "today": timezone.localdate(),
    }
