"""Housekeeping of login records (django-axes)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from celery import shared_task
from django.conf import settings
from django.utils import timezone


@shared_task(name="organization.prune_login_records")
def prune_login_records() -> dict[str, int]:
    """Drop failed-attempt counters whose cool-off is over, and login logs past retention.

    Idempotent: running it twice removes nothing more the second time.
    """
    now = timezone.now()
    expired = AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME).delete()[0]
    keep_since = now - timedelta(days=settings.LOGIN_LOG_RETENTION_DAYS)
    logs = AccessLog.objects.filter(attempt_time__lt=keep_since).delete()[0]
    failures = AccessFailureLog.objects.filter(attempt_time__lt=keep_since).delete()[0]
    return {"attempts": expired, "logs": logs + failures}
