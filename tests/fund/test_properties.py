"""Property: after any sequence of fund operations, the ledger's sums are the balances and
nothing is negative; a refused operation writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fund import selectors, services
from fund.choices import Account, GuaranteeStatus, Source
from fund.models import FundEntry, Guarantee

from .factories import eligible_member, guarantee_fields, support_fields

pytestmark = pytest.mark.django_db

amounts = st.integers(min_value=1, max_value=3_000_000).map(lambda fen: Decimal(fen) / 100)
sources = st.sampled_from(Source.values)
receipts = st.tuples(st.just("receive"), sources, amounts)
operations = st.one_of(
    receipts,
    st.tuples(st.just("support"), sources, amounts),
    st.tuples(st.just("guarantee"), sources, amounts, st.integers(0, 100)),
    st.tuples(st.just("release"), st.integers(0, 9)),
    st.tuples(st.just("call"), st.integers(0, 9), st.integers(1, 100)),
    st.tuples(st.just("recover"), st.integers(0, 9), amounts),
    st.tuples(st.just("reverse"), st.integers(0, 9)),
)


class Rollback(Exception):
    pass


def _apply(op, ctx):
    users, fund, pool = ctx["users"], ctx["fund"], ctx["pool"]
    city = users.city_staff
    name = op[0]

    def approved(fields):
        member, project = pool[len(ctx["applications"]) % len(pool)]
        application = services.application_create(actor=users.work_team, member=member, project=project, **fields)
        ctx["applications"].append(application)
        application = services.application_submit(actor=users.work_team, application=application)
        application = services.application_review(actor=users.township_staff, application=application, opinion="属实")
        return services.application_approve(actor=users.county_staff, application=application)

    def pick(items, index):
        if not items:
            raise LookupError
        return items[index % len(items)]

    if name == "receive":
        extra = {"donor_name": "某党员"} if op[1] == Source.DONATION else {}
        if op[1] == Source.FISCAL:
            extra = {"budget_document": "河财预〔2026〕1号"}
        ctx["reversible"].append(
            services.receipt_record(
                actor=city, fund=fund, date=ctx["today"], amount=op[2], source=op[1], reference="r", **extra
            )
        )
    elif name == "support":
        application = approved(support_fields(str(op[2])))
        services.application_disburse(actor=city, application=application, source=op[1])
    elif name == "guarantee":
        guaranteed = op[2]
        loan = guaranteed + Decimal(op[3])
        application = approved(guarantee_fields(loan=str(loan), guaranteed=str(guaranteed)))
        ctx["guarantees"].append(services.guarantee_issue(actor=city, application=application, source=op[1]))
    elif name == "release":
        services.guarantee_release(actor=city, guarantee=pick(ctx["guarantees"], op[1]))
    elif name == "call":
        guarantee = pick(ctx["guarantees"], op[1])
        amount = (guarantee.guaranteed_amount * op[2] / 100).quantize(Decimal("0.01")) or Decimal("0.01")
        services.guarantee_call(actor=city, guarantee=guarantee, amount=amount)
    elif name == "recover":
        guarantee = pick(ctx["guarantees"], op[1])
        ctx["reversible"].append(services.recovery_record(actor=city, guarantee=guarantee, amount=op[2]))
    elif name == "reverse":
        services.entry_reverse(actor=city, entry=pick(ctx["reversible"], op[1]), reason="更正")


def _check_invariants(fund, policy):
    balances = selectors.fund_balances(fund)
    # the sums, recomputed row by row in Python, equal the selector's balances
    by_hand = {(s, a): Decimal("0.00") for s in Source.values for a in Account.values}
    for entry in FundEntry.objects.filter(fund=fund):
        by_hand[(entry.source, entry.account)] += entry.amount
    for source in Source.values:
        line = balances[source]
        assert line.cash == by_hand[(source, Account.CASH)]
        assert line.reserved == by_hand[(source, Account.RESERVED)]
        assert line.cash >= 0, (source, line)
        assert line.reserved >= 0, (source, line)
        assert line.free >= 0, (source, line)
        issued = Guarantee.objects.filter(fund=fund, source=source, status=GuaranteeStatus.ISSUED)
        assert line.reserved == sum((g.reserved_amount for g in issued), Decimal("0.00"))
    backing = sum((balances[s].cash for s in policy.guarantee_sources), Decimal("0.00"))
    assert selectors.outstanding_guarantees(fund) <= backing * policy.leverage
    # an entry is reversed at most once, and never a reversal
    reversed_ids = list(FundEntry.objects.filter(fund=fund, reverses__isnull=False).values_list("reverses", flat=True))
    assert len(reversed_ids) == len(set(reversed_ids))
    assert not FundEntry.objects.filter(pk__in=reversed_ids, kind="reversal").exists()


@pytest.fixture
def pool(tree, city_fund):
    return [eligible_member(tree.a1v) for _ in range(3)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.lists(receipts, min_size=1, max_size=3), then=st.lists(operations, min_size=1, max_size=15))
def test_ledger_sums_are_the_balances_after_any_sequence(first, then, users, city_fund, pool):
    ops = first + then
    from django.utils import timezone

    policy = selectors.current_policy()
    ctx = {
        "users": users,
        "fund": city_fund,
        "pool": pool,
        "applications": [],
        "guarantees": [],
        "reversible": [],
        "today": timezone.localdate(),
    }
    try:
        with transaction.atomic():
            for op in ops:
                before = FundEntry.objects.count()
                try:
                    with transaction.atomic():
                        _apply(op, ctx)
                except (ValidationError, LookupError):
                    assert FundEntry.objects.count() == before  # refused: nothing written
                for guarantee in ctx["guarantees"]:
                    guarantee.refresh_from_db()
                _check_invariants(city_fund, policy)
            raise Rollback
    except Rollback:
        pass
