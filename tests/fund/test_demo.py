"""The demo fund: receipts from the three sources, every stage, a called guarantee, idempotent."""

import pytest

from fund import selectors
from fund.choices import ApplicationStatus, EntryKind, GuaranteeStatus, RecoveryStatus, Source
from fund.demo import build_demo_fund
from fund.models import FollowUp, Fund, FundApplication, FundEntry, GuaranteeCall
from members.demo import build_demo_members
from organization.demo import build_demo_city
from projects.demo import build_demo_projects
from training.demo import build_demo_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained():
    """The demo uses the real training records, not the fund tests' fake."""
    return


def test_demo_fund_covers_every_stage_and_a_rerun_adds_nothing():
    build_demo_city()
    build_demo_members(per_village=(0, 1))
    build_demo_training()
    build_demo_projects()
    first = build_demo_fund()
    assert first["created"] > 10
    receipts = FundEntry.objects.filter(kind=EntryKind.RECEIPT)
    assert set(receipts.values_list("source", flat=True)) == set(Source.values)
    assert {d.year for d in receipts.values_list("date", flat=True)} == {2025, 2026}
    assert FundEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    statuses = set(FundApplication.objects.values_list("status", flat=True))
    assert statuses == set(ApplicationStatus.values)
    call = GuaranteeCall.objects.get()
    assert call.status == RecoveryStatus.RECOVERING
    assert 0 < selectors.recovered_amount(call) < call.paid_amount
    assert call.guarantee.status == GuaranteeStatus.CALLED
    assert FollowUp.objects.count() == 1
    assert Fund.objects.count() == 2  # the city's and 青山县's
    for fund in Fund.objects.all():
        balances = selectors.fund_balances(fund)
        assert balances.free >= 0
        assert balances.reserved >= 0
    counts = (FundEntry.objects.count(), FundApplication.objects.count())
    second = build_demo_fund()
    assert second["created"] == 0
    assert (FundEntry.objects.count(), FundApplication.objects.count()) == counts
