"""After training, a trainee becomes a key assistance target of the recommending work team."""

from datetime import date

import pytest

from assistance import services
from assistance.models import Pairing
from tests.training.factories import complete, enrol, make_batch
from training import services as training_services


def running_batch(tree, enrolments):
    """A batch that took ``enrolments`` (member, recommender) and then started."""
    batch = make_batch(tree.city, start=date(2026, 3, 2), status="enrolling")
    made = [enrol(batch, member, recommended_by=by) for member, by in enrolments]
    training_services.batch_advance(actor=None, batch=batch, to_status="running")
    return made


pytestmark = pytest.mark.django_db


def test_completed_trainees_are_paired_with_the_recommending_team_once(world, users, tree):
    passed, failed = running_batch(tree, [(world.zhang2, users.work_team), (world.zhang, users.work_team)])
    complete(passed)
    complete(failed, grade="fail")
    assert services.key_targets_pair() == 1
    pairing = Pairing.objects.get(helper=world.team)
    assert pairing.member == world.zhang2
    assert pairing.is_key_target
    assert pairing.starts_on == date(2026, 3, 11)
    assert services.key_targets_pair() == 0  # idempotent
    assert not Pairing.objects.filter(helper=world.team, member=world.zhang).exists()


def test_an_existing_pairing_is_marked_not_doubled(world, users, tree):
    from .factories import pair

    pair(world.zhang2, world.team)
    [enrolment] = running_batch(tree, [(world.zhang2, users.work_team)])
    complete(enrolment)
    from assistance.tasks import pair_key_targets

    assert pair_key_targets() == 1
    assert Pairing.objects.get(helper=world.team).is_key_target
    assert pair_key_targets() == 0


def test_the_daily_tasks_are_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"assistance.propose_referrals", "assistance.pair_key_targets"} <= tasks
