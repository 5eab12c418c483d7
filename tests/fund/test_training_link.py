"""Eligibility asks the training app whether the member completed a batch (no fake here)."""

import pytest

from fund import selectors
from training.choices import BatchStatus
from training.selectors import member_has_completed_training
from training.services import batch_advance as advance

from .factories import eligible_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained():
    """Overrides the fund tests' fake: this module uses the real training records."""
    return


def test_completing_a_training_batch_makes_the_member_eligible(tree, users):
    from tests.training.factories import complete, enrol, make_batch

    member, _project = eligible_member(tree.a1v)
    assert selectors.application_eligibility(member) == ["尚未完成贫困党员培训班培训。"]
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, member)
    advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    complete(enrolment)
    assert member_has_completed_training(member)
    assert selectors.application_eligibility(member) == []
