"""Staff deciding the same project at the same moment on PostgreSQL: the project row is
locked (select_for_update) while its state is checked, so exactly one decision lands and
the others are told the project has moved on."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from organization.models import User
from projects import services
from projects.choices import ProjectStatus
from projects.models import IncomeProject
from tests.markers import needs_postgresql_locks

from .factories import make_project

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_postgresql_locks,
]

THREADS = 10


def decide_together(actor_pk, project_pk):
    barrier = threading.Barrier(THREADS)
    results = [None] * THREADS

    def worker(index):
        try:
            actor = User.objects.get(pk=actor_pk)
            project = IncomeProject.objects.get(pk=project_pk)
            barrier.wait(timeout=30)
            if index % 2:
                services.project_refuse(actor=actor, project=project, reason=f"理由{index}")
            else:
                services.project_approve(actor=actor, project=project, note=f"同意{index}")
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
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_one_decision_wins(tree, users, attempt):
    project = make_project(village=tree.a1v, stage="reviewing")
    results = decide_together(users.county_staff.pk, project.pk)
    assert results.count("ok") == 1, results
    losers = [r for r in results if r != "ok"]
    # each loser is told the state the project is now in (services.wrong_state_message)
    assert all(isinstance(r, ValidationError) and "当前状态为" in " ".join(r.messages) for r in losers), losers
    project.refresh_from_db()
    assert project.status in (ProjectStatus.APPROVED, ProjectStatus.REFUSED)
    decisions = project.history.filter(status__in=[ProjectStatus.APPROVED, ProjectStatus.REFUSED])
    assert decisions.count() == 1
