"""Celery tasks of the yearly bulletin.

The task takes only the job id. The job row is the state machine (queued → running →
done/failed), claimed under a row lock; a finished job makes a redelivered message a
no-op, a job started ``BulletinJob.MAX_ATTEMPTS`` times is failed rather than run again.
With acks_late and reject_on_worker_lost (config/settings/base.py) a worker that dies
mid-way leaves the message on the broker, and the redelivered task completes the job.
"""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue

from . import bulletin

logger = logging.getLogger(__name__)


@shared_task(name="reports.generate_bulletin", acks_late=True, reject_on_worker_lost=True)
def generate_bulletin(job_id: int) -> str:
    job = bulletin.claim(job_id)
    if job is None:
        return "skipped"
    try:
        bulletin.run(job)
    except Exception as error:  # recorded on the job for the page; the message is acknowledged
        logger.exception("bulletin job %s failed", job_id)
        bulletin.fail(job_id, error)
        return "failed"
    return "done"


def queue_bulletin(job_id: int) -> bool:
    """Queue a job's bulletin (call after the commit). If the broker cannot take it, the job
    fails at once with a message, so that the page says so and asking again works."""
    if enqueue(generate_bulletin, job_id):
        return True
    from .choices import BulletinState
    from .models import BulletinJob

    BulletinJob.objects.filter(pk=job_id, state=BulletinState.QUEUED).update(
        state=BulletinState.FAILED,
        message=_("任务队列暂时不可用，通报未能开始生成。请稍后重新生成；如持续出现，请联系管理员。"),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return False


@shared_task(name="reports.scheduled_bulletin")
def scheduled_bulletin() -> str:
    """Daily (beat): on the date the city set, produce the city's bulletin of the year before.

    Idempotent: once that year's job exists it is not asked for again.
    """
    from organization.choices import RegionLevel
    from organization.models import Region

    from . import services
    from .models import BulletinJob

    programme = services.active_programme()
    today = timezone.localdate()
    if programme is None or (today.month, today.day) != (programme.bulletin_month, programme.bulletin_day):
        return "not today"
    city = Region.objects.filter(level=RegionLevel.CITY).order_by("code").first()
    if city is None:
        return "no city"
    year = today.year - 1
    if BulletinJob.objects.filter(year=year, region=city).exists():
        return "exists"
    services.bulletin_request(actor=None, year=year, region=city)
    return "requested"
