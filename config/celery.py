"""The Celery app. Without CELERY_BROKER_URL tasks run in-process (see settings)."""

import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("poverty_exit")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


def enqueue(task, *args, **options) -> bool:
    """Send ``task`` to the broker; False, logged, when the broker cannot take it.

    A Redis outage must not turn a user's action into a 500 or a hanging request: the
    timeouts and the short publish retry policy in settings bound the wait to a few
    seconds, and the caller records the refusal on its job row (see members.tasks,
    reports.tasks). In-process (eager) mode nothing is caught: the task's own errors
    propagate as they do in tests.
    """
    if app.conf.task_always_eager:
        task.apply_async(args=args, **options)
        return True
    from kombu.exceptions import OperationalError

    try:
        task.apply_async(args=args, **options)
    except (OperationalError, OSError):
        logger.exception("broker unavailable: %s%r not queued", task.name, args)
        return False
    return True
