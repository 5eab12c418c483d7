"""Pairing the same helper and member twice at the same moment, on PostgreSQL.

pairing_save locks the member row before it looks for an overlapping pairing, so of
clerks saving the same pairing at once exactly one succeeds, however wide the window
between the check and the write."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from assistance import services
from assistance.models import Helper, Pairing
from members.models import Member
from organization.models import User
from tests.markers import needs_postgresql_locks
from tests.members.factories import make_member

from .factories import make_cadre

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgresql_locks,
]

THREADS = 8


@pytest.mark.parametrize("window", [0, 0.05])
def test_concurrent_pairings_never_overlap(tree, users, monkeypatch, window):
    member = make_member(tree.a1v)
    cadre = make_cadre(tree.a, [users.cadre])
    if window:
        original = services._overlapping

        def slow(pairing):
            found = original(pairing)
            time.sleep(window)  # the race's window between the check and the write, made wide
            return found

        monkeypatch.setattr(services, "_overlapping", slow)
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def worker(index):
        try:
            actor = User.objects.get(pk=users.county_staff.pk)
            barrier.wait(timeout=30)
            services.pairing_save(
                actor=actor,
                member=Member.objects.get(pk=member.pk),
                helper=Helper.objects.get(pk=cadre.pk),
                reason="联系",
            )
            results[index] = "ok"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert results.count("ok") == 1, results
    refused = [r for r in results if r != "ok"]
    assert all(isinstance(r, ValidationError) and "时间不能重叠" in " ".join(r.messages) for r in refused), refused
    assert Pairing.objects.filter(member=member, helper=cadre).count() == 1
