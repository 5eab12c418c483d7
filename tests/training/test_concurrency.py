"""Admission under load on PostgreSQL: clerks admit at the same moment to a batch with
few places left. The batch row is locked (select_for_update) while the seats are
counted, so exactly ``capacity`` are admitted, however wide the window between the
count and the write."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from organization.models import User
from tests.markers import needs_postgresql_locks
from tests.members.factories import make_member
from training import services
from training.choices import BatchStatus, EnrolmentStatus
from training.models import Enrolment

from .factories import make_batch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgresql_locks,
]

THREADS = 12


def admit_together(actor_pk, enrolment_ids):
    barrier = threading.Barrier(len(enrolment_ids))
    results = [None] * len(enrolment_ids)

    def worker(index, enrolment_id):
        try:
            actor = User.objects.get(pk=actor_pk)
            enrolment = Enrolment.objects.get(pk=enrolment_id)
            barrier.wait(timeout=30)
            services.enrolment_admit(actor=actor, enrolment=enrolment)
            results[index] = "ok"
        except ValidationError as error:
            results[index] = error
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, pk)) for i, pk in enumerate(enrolment_ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.parametrize("window", [0, 0.05])
def test_concurrent_admissions_never_exceed_capacity(tree, users, monkeypatch, window):
    capacity = 3
    batch = make_batch(tree.city, capacity=capacity, status=BatchStatus.ENROLLING)
    ids = [
        services.enrolment_recommend(actor=None, batch=batch, member=make_member(tree.a1v)).pk for _ in range(THREADS)
    ]
    if window:
        # Sleep between counting the seats and writing: the race's window made wide.
        original = services._check_track

        def slow(member, field="member"):
            time.sleep(window)
            return original(member, field)

        monkeypatch.setattr(services, "_check_track", slow)
    results = admit_together(users.city_staff.pk, ids)
    assert results.count("ok") == capacity, results
    refused = [r for r in results if r != "ok"]
    assert all(isinstance(r, ValidationError) and "已满员" in " ".join(r.messages) for r in refused), refused
    assert Enrolment.objects.filter(batch=batch, status=EnrolmentStatus.ADMITTED).count() == capacity


def test_without_the_row_lock_the_harness_sees_the_race(tree, users, monkeypatch):
    """The same run with the lock removed over-admits: the test above would catch a lost lock."""
    from training.models import TrainingBatch

    batch = make_batch(tree.city, capacity=1, status=BatchStatus.ENROLLING)
    ids = [services.enrolment_recommend(actor=None, batch=batch, member=make_member(tree.a1v)).pk for _ in range(6)]
    manager_class = type(TrainingBatch.objects)
    monkeypatch.setattr(manager_class, "select_for_update", lambda self, *args, **kwargs: self.get_queryset())
    original = services._check_track

    def slow(member, field="member"):
        time.sleep(0.2)
        return original(member, field)

    monkeypatch.setattr(services, "_check_track", slow)
    results = admit_together(users.city_staff.pk, ids)
    assert results.count("ok") > 1, results
