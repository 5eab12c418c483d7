"""Celery wiring: the housekeeping task, in-process and through a real worker on Redis."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.utils import timezone

from config.celery import app
from organization.tasks import prune_login_records
from tests.markers import needs_broker


def make_attempt(age: timedelta, username="someone"):
    attempt = AccessAttempt.objects.create(
        username=username, ip_address="10.0.0.1", user_agent="t", failures_since_start=3, get_data="", post_data=""
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=timezone.now() - age)


@pytest.mark.django_db
def test_prune_drops_expired_attempts_and_old_logs_only():
    # given
    make_attempt(settings.AXES_COOLOFF_TIME + timedelta(minutes=1), "expired")
    make_attempt(timedelta(minutes=1), "still-locked")
    old = AccessLog.objects.create(username="a", ip_address="10.0.0.1", user_agent="t")
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - timedelta(days=400))
    AccessLog.objects.create(username="b", ip_address="10.0.0.1", user_agent="t")
    # when
    first = prune_login_records.delay().get()
    second = prune_login_records.delay().get()
    # then
    assert first == {"attempts": 1, "logs": 1}
    assert second == {"attempts": 0, "logs": 0}
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["still-locked"]
    assert list(AccessLog.objects.values_list("username", flat=True)) == ["b"]


def test_retention_is_never_below_six_months():
    assert settings.LOGIN_LOG_RETENTION_DAYS >= 180


@pytest.mark.django_db(transaction=True)
@needs_broker
def test_a_real_worker_runs_the_task_from_redis():
    from celery.contrib.testing.worker import start_worker

    make_attempt(settings.AXES_COOLOFF_TIME + timedelta(minutes=1), "expired")
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            prune_login_records.delay()
            deadline = time.monotonic() + 20
            while AccessAttempt.objects.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert not AccessAttempt.objects.exists()
