"""The demo city's training records: plausible, following the rules, idempotent."""

import pytest

from members.demo import build_demo_members
from organization.demo import build_demo_city
from training import selectors
from training.choices import BatchStatus, EnrolmentStatus
from training.demo import build_demo_training
from training.models import Attendance, BaseVisit, BatchBudgetItem, Enrolment, Expert, ExpertService, TrainingBatch

pytestmark = pytest.mark.django_db


def test_demo_training_is_varied_and_a_rerun_adds_nothing():
    build_demo_city()
    build_demo_members(per_village=(0, 1))
    first = build_demo_training()
    assert first["batches"] == 6
    statuses = set(TrainingBatch.objects.values_list("status", flat=True))
    assert statuses == {BatchStatus.FINISHED, BatchStatus.RUNNING, BatchStatus.ENROLLING}
    assert {2025, 2026} == {batch.start_date.year for batch in TrainingBatch.objects.all()}
    enrolment_statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {EnrolmentStatus.COMPLETED, EnrolmentStatus.ADMITTED, EnrolmentStatus.RECOMMENDED} <= enrolment_statuses
    assert selectors.key_assistance_targets().exists()
    assert not Enrolment.objects.exclude(member__track="demonstration").exists()
    for batch in TrainingBatch.objects.all():
        assert batch.enrolments.filter(status__in=("admitted", "completed", "failed")).count() <= batch.capacity
    assert Attendance.objects.exists()
    assert BatchBudgetItem.objects.filter(spent_on__year=2025).exists()
    assert BatchBudgetItem.objects.filter(spent_on__year=2026).exists()
    assert Expert.objects.filter(account__username="expert").exists()
    assert ExpertService.objects.filter(follow_up_done_on__isnull=False).exists()
    assert BaseVisit.objects.exists()
    counts = (Enrolment.objects.count(), ExpertService.objects.count(), BaseVisit.objects.count())
    second = build_demo_training()
    assert second == {"batches": 0, "services": 0, "visits": 0}
    assert (Enrolment.objects.count(), ExpertService.objects.count(), BaseVisit.objects.count()) == counts
