"""Concurrent spending on PostgreSQL: many clerks pay or guarantee at the same moment.

Twenty threads, each with its own connection, wait at a barrier and then disburse (or
issue a guarantee) against a fund that covers only k of them. Exactly k must succeed,
the balance must end at zero free, nothing negative and nothing lost, round after round,
with and without a widened window between the balance check and the write. The last test
removes the row lock and shows the same harness catches the race.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from fund import selectors, services
from fund.choices import ApplicationStatus, GuaranteeStatus, Source
from fund.models import FundApplication, FundEntry, Guarantee
from organization.models import User
from tests.markers import needs_postgresql_locks

from .factories import eligible_member, guarantee_fields, make_application, receive, support_fields

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgresql_locks,
]

THREADS = 20
ROUNDS = 10
AMOUNT = Decimal("100.00")


def run_together(actor_pk, jobs):
    """Run ``jobs`` (callables taking the actor) in threads released together; return results."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def worker(index, job):
        try:
            actor = User.objects.get(pk=actor_pk)  # own connection, own user object
            barrier.wait(timeout=30)
            job(actor)
            results[index] = "ok"
        except ValidationError as error:
            results[index] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def widen_window(monkeypatch, seconds):
    """Sleep between reading the balance and writing: the race's window made wide."""
    original = selectors.fund_balances

    def slow(fund):
        balances = original(fund)
        time.sleep(seconds)
        return balances

    monkeypatch.setattr(selectors, "fund_balances", slow)


def approved_support(users, village, pool, count):
    return [
        make_application(users, village, member=m, project=p, **support_fields(str(AMOUNT)))
        for m, p in (pool[i % len(pool)] for i in range(count))
    ]


@pytest.mark.parametrize("window", [0, 0.005])
def test_twenty_disbursements_at_once_exactly_k_succeed(users, tree, city_fund, monkeypatch, window):
    if window:
        widen_window(monkeypatch, window)
    pool = [eligible_member(tree.a1v) for _ in range(4)]
    for round_ in range(ROUNDS):
        k = 3 + round_ % 8  # 3..10 of 20 fit
        receive(city_fund, AMOUNT * k, actor=users.city_staff)
        applications = approved_support(users, tree.a1v, pool, THREADS)
        jobs = [
            (lambda actor, a=a: services.application_disburse(actor=actor, application=a, source=Source.PARTY_DUES))
            for a in applications
        ]
        results = run_together(users.city_staff.pk, jobs)
        unexpected = [r for r in results if r != "ok" and not isinstance(r, ValidationError)]
        assert not unexpected, unexpected
        assert results.count("ok") == k, f"round {round_}: {results.count('ok')} of {THREADS} paid, {k} fit"
        balances = selectors.fund_balances(city_fund)
        assert balances.cash == 0
        assert balances.free == 0
        paid = FundApplication.objects.filter(pk__in=[a.pk for a in applications], status=ApplicationStatus.DISBURSED)
        assert paid.count() == k
        assert FundEntry.objects.filter(application__in=applications).count() == k


@pytest.mark.parametrize("window", [0, 0.005])
def test_twenty_guarantees_at_once_never_exceed_the_exposure_limit(users, tree, city_fund, monkeypatch, window):
    if window:
        widen_window(monkeypatch, window)
    services.policy_set(
        actor=users.city_staff,
        support_sources=list(Source.values),
        guarantee_sources=list(Source.values),
        leverage=Decimal("5"),
    )
    pool = [eligible_member(tree.a1v) for _ in range(4)]
    for round_ in range(ROUNDS):
        k = 3 + round_ % 8
        # each guarantee of 5,000 reserves 1,000 (N = 5): the new cash covers exactly k more
        receive(city_fund, Decimal("1000") * k, actor=users.city_staff)
        applications = [
            make_application(users, tree.a1v, member=m, project=p, **guarantee_fields(loan="8000", guaranteed="5000"))
            for m, p in (pool[i % len(pool)] for i in range(THREADS))
        ]
        jobs = [
            (lambda actor, a=a: services.guarantee_issue(actor=actor, application=a, source=Source.PARTY_DUES))
            for a in applications
        ]
        results = run_together(users.city_staff.pk, jobs)
        unexpected = [r for r in results if r != "ok" and not isinstance(r, ValidationError)]
        assert not unexpected, unexpected
        assert results.count("ok") == k, f"round {round_}: {results.count('ok')} of {THREADS} issued, {k} fit"
        balances = selectors.fund_balances(city_fund)
        outstanding = selectors.outstanding_guarantees(city_fund)
        assert balances.free == 0
        assert balances.reserved == balances.cash
        assert outstanding <= balances.cash * 5
        assert Guarantee.objects.filter(status=GuaranteeStatus.ISSUED).count() * Decimal("5000") == outstanding


def test_without_the_row_lock_the_harness_catches_the_race(users, tree, city_fund, monkeypatch):
    """The control: the same test against a service whose lock is removed lets too many through."""
    widen_window(monkeypatch, 0.05)
    monkeypatch.setattr(services, "_lock_fund", lambda fund: fund)
    pool = [eligible_member(tree.a1v) for _ in range(4)]
    receive(city_fund, AMOUNT * 5, actor=users.city_staff)
    applications = approved_support(users, tree.a1v, pool, THREADS)
    jobs = [
        (lambda actor, a=a: services.application_disburse(actor=actor, application=a, source=Source.PARTY_DUES))
        for a in applications
    ]
    results = run_together(users.city_staff.pk, jobs)
    assert results.count("ok") > 5
    assert selectors.fund_balances(city_fund).cash < 0


def test_one_application_paid_by_twenty_clerks_at_once_is_paid_once(users, tree, city_fund):
    receive(city_fund, AMOUNT * 20, actor=users.city_staff)
    member, project = eligible_member(tree.a1v)
    application = make_application(users, tree.a1v, member=member, project=project, **support_fields(str(AMOUNT)))
    jobs = [
        (lambda actor: services.application_disburse(actor=actor, application=application, source=Source.PARTY_DUES))
    ] * THREADS
    results = run_together(users.city_staff.pk, jobs)
    assert results.count("ok") == 1
    assert all("只有“已批准”的申请才能拨付资金" in str(r) for r in results if r != "ok")
    assert FundEntry.objects.filter(application=application).count() == 1
    assert selectors.fund_balances(city_fund).cash == AMOUNT * 19


def test_twenty_guarantees_at_once_when_the_exposure_limit_binds_first(users, tree, city_fund):
    """A guarantee given at a higher leverage leaves free cash that the lower, current N
    does not allow to be used: the exposure check (not the free balance) must stop them."""

    def policy(leverage):
        services.policy_set(
            actor=users.city_staff,
            support_sources=list(Source.values),
            guarantee_sources=list(Source.values),
            leverage=Decimal(leverage),
        )

    pool = [eligible_member(tree.a1v) for _ in range(4)]
    receive(city_fund, "10000", actor=users.city_staff)
    policy("10")
    first = make_application(
        users, tree.a1v, member=pool[0][0], project=pool[0][1], **guarantee_fields(loan="50000", guaranteed="50000")
    )
    services.guarantee_issue(actor=users.city_staff, application=first, source=Source.PARTY_DUES)  # reserves 5,000
    policy("5")  # 10,000 × 5 = 50,000: the limit is reached, though 5,000 is still free
    for round_ in range(ROUNDS):
        k = 2 + round_ % 6
        receive(city_fund, Decimal("1000") * k, actor=users.city_staff)  # room for exactly k × 5,000 more
        applications = [
            make_application(users, tree.a1v, member=m, project=p, **guarantee_fields(loan="5000", guaranteed="5000"))
            for m, p in (pool[i % len(pool)] for i in range(THREADS))
        ]
        jobs = [
            (lambda actor, a=a: services.guarantee_issue(actor=actor, application=a, source=Source.PARTY_DUES))
            for a in applications
        ]
        results = run_together(users.city_staff.pk, jobs)
        assert results.count("ok") == k, f"round {round_}: {results.count('ok')} issued, {k} fit"
        assert all("超过上限" in str(r) for r in results if r != "ok")
        balances = selectors.fund_balances(city_fund)
        assert selectors.outstanding_guarantees(city_fund) == balances.cash * 5
        assert balances.free == Decimal("5000.00")
