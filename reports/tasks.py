"""Celery tasks of the yearly bulletin, split per county so that more workers finish sooner.

``generate_bulletin`` (the message a request queues) marks the job running and sends one
``bulletin_part`` per county; each part streams its county's members to a CSV file under
MEDIA_ROOT/bulletins/parts/<job>/ (shared storage when workers run on several hosts) and
the last one to finish sends ``finish_bulletin``, which writes the Word and Excel files
from the parts (atomically, as before) and marks the job done. The join is done through
the files rather than a Celery chord, which would need a result backend; we run without
one (the database and the files are the results).

Guarantees, as before the split:
- one job row per (year, region): the tasks take only ids;
- idempotent redelivery (acks_late, reject_on_worker_lost): a part whose file exists is
  not written again, a finished job makes every message a no-op, two ``finish_bulletin``
  at once are one (a PostgreSQL advisory lock, released if its worker dies);
- atomic files: parts and finals are written under a temporary name and renamed;
- attempts cap: ``finish_bulletin`` counts its starts on the job (``BulletinJob.MAX_ATTEMPTS``),
  each part counts its own in a file beside it; a poison step fails the job, not loops.
Called directly (the generate_bulletin command) or in-process (no broker), the same steps
run one after the other in the calling process.
"""

import contextlib
import csv
import json
import logging
import os
import shutil
import socket
import time
import uuid

from celery import shared_task
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue

from . import bulletin

logger = logging.getLogger(__name__)

ADVISORY_NAMESPACE = 7321  # pg_advisory_lock(namespace, job id): one finishing step per job


def part_directory(job_id: int):
    return bulletin.media_path(f"bulletins/parts/{job_id}")


def part_regions(job) -> list:
    """The counties a job is split into: each county of a city; a county's bulletin is one part."""
    from organization.choices import RegionLevel
    from organization.models import Region

    if job.region.level == RegionLevel.CITY:
        return list(Region.objects.filter(parent=job.region, level=RegionLevel.COUNTY).order_by("code"))
    return [job.region]


def _queue_of(task) -> str | None:
    """The queue this message came from: the steps of one job stay on the workers that serve it."""
    return (task.request.delivery_info or {}).get("routing_key") or None


def _inline(task) -> bool:
    return task.request.called_directly or task.app.conf.task_always_eager


@shared_task(bind=True, name="reports.generate_bulletin", acks_late=True, reject_on_worker_lost=True)
def generate_bulletin(self, job_id: int) -> str:
    from .choices import BulletinState
    from .models import BulletinJob

    fresh = BulletinJob.objects.filter(pk=job_id, state=BulletinState.QUEUED).exists()
    job = bulletin.claim(job_id, count=False)
    if job is None:
        return "skipped"
    if fresh:  # parts of an earlier, failed run must not be taken for this one's
        shutil.rmtree(part_directory(job_id), ignore_errors=True)
    counties = [county.pk for county in part_regions(job)]
    if _inline(self):
        for county in counties:
            if write_part(job_id, county, worker=socket.gethostname()) is None:
                return "failed"
        return finish_bulletin(job_id)
    bulletin._progress(job, 5, _("正在按县区分别汇总（%(n)s个）") % {"n": len(counties)})
    for county in counties:
        if not enqueue(bulletin_part, job_id, county, queue=_queue_of(self)):
            bulletin.fail(job_id, RuntimeError(_("任务队列暂时不可用")))
            return "failed"
    return "split"


@shared_task(bind=True, name="reports.bulletin_part", acks_late=True, reject_on_worker_lost=True)
def bulletin_part(self, job_id: int, county_id: int) -> str:
    """One county's members for the detail sheet; the last part to finish sends the finishing step."""
    from .choices import BulletinState
    from .models import BulletinJob

    job = BulletinJob.objects.select_related("region").filter(pk=job_id, state=BulletinState.RUNNING).first()
    if job is None:
        return "skipped"
    if write_part(job_id, county_id, worker=self.request.hostname or socket.gethostname()) is None:
        return "failed"
    if all_parts(job) is not None:
        enqueue(finish_bulletin, job_id, queue=_queue_of(self))
    return "done"


def write_part(job_id: int, county_id: int, *, worker: str) -> dict | None:
    """Write one county's part (once: a part already written is returned as it is)."""
    from members.models import Member
    from organization.models import Region

    from .models import BulletinJob

    directory = part_directory(job_id)
    directory.mkdir(parents=True, exist_ok=True)
    meta = directory / f"{county_id}.json"
    if meta.exists():
        return json.loads(meta.read_text())
    tries = directory / f"{county_id}.attempts"
    attempts = int(tries.read_text() or 0) + 1 if tries.exists() else 1
    if attempts > BulletinJob.MAX_ATTEMPTS:
        bulletin.fail(job_id, RuntimeError(_("县区数据已尝试%(n)s次仍未完成，已停止") % {"n": attempts - 1}))
        return None
    tries.write_text(str(attempts))
    started = time.monotonic()
    county = Region.objects.get(pk=county_id)
    token = uuid.uuid4().hex
    scratch = directory / f"{county_id}.csv.{token}.tmp"
    count = 0
    with scratch.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for row in bulletin.member_rows(Member.objects.filter(county=county)):
            writer.writerow(row)
            count += 1
    os.replace(scratch, directory / f"{county_id}.csv")
    data = {
        "county": county.name,
        "code": county.code,
        "worker": worker,
        "rows": count,
        "seconds": round(time.monotonic() - started, 3),
    }
    scratch = directory / f"{county_id}.json.{token}.tmp"
    scratch.write_text(json.dumps(data, ensure_ascii=False))
    os.replace(scratch, meta)  # last: the part counts as written only once its rows are in place
    return data


def all_parts(job) -> list[dict] | None:
    """The parts' descriptions in county order, or None while any is missing."""
    directory = part_directory(job.pk)
    parts = []
    for county in part_regions(job):
        meta = directory / f"{county.pk}.json"
        if not meta.exists():
            return None
        parts.append({**json.loads(meta.read_text()), "id": county.pk})
    return parts


def _rows_from(parts: list[dict], directory):
    for part in parts:
        with (directory / f"{part['id']}.csv").open(newline="", encoding="utf-8") as handle:
            yield from csv.reader(handle)


@contextlib.contextmanager
def _only_one(job_id: int):
    """True for the one caller that may finish the job now (PostgreSQL); always True elsewhere."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [ADVISORY_NAMESPACE, job_id])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [ADVISORY_NAMESPACE, job_id])


@shared_task(name="reports.finish_bulletin", acks_late=True, reject_on_worker_lost=True)
def finish_bulletin(job_id: int) -> str:
    """Write the bulletin's files from the parts and mark the job done (counted, capped)."""
    from .choices import BulletinState
    from .models import BulletinJob

    with _only_one(job_id) as mine:
        if not mine:
            return "skipped"  # another worker is finishing it
        job = BulletinJob.objects.select_related("region").filter(pk=job_id, state=BulletinState.RUNNING).first()
        if job is None:
            return "skipped"
        parts = all_parts(job)
        if parts is None:
            return "waiting"  # the last part sends this again
        job = bulletin.claim(job_id)
        if job is None:
            return "skipped"
        try:
            bulletin.run(job, rows=_rows_from(parts, part_directory(job_id)), parts=parts)
        except Exception as error:  # recorded on the job for the page; the message is acknowledged
            logger.exception("bulletin job %s failed", job_id)
            bulletin.fail(job_id, error)
            return "failed"
    shutil.rmtree(part_directory(job_id), ignore_errors=True)
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


@shared_task(name="reports.refresh_tallies", ignore_result=True)
def refresh_tallies() -> int:
    """The villages' snapshot the dashboards read (beat, every REPORTS_TALLY_MINUTES)."""
    from .services import tallies_refresh

    return tallies_refresh()
