"""Celery tasks of the register import: the check and the confirmed run of large files.

Both take only the batch id and are idempotent: the batch's status is the job's state,
claimed with a conditional UPDATE, so a redelivered message finds the work done (or
taken) and returns. Queue them with ``transaction.on_commit`` so that the worker sees the
batch row.
"""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue

from . import importing
from .models import ImportBatch, ImportBatchStatus


@shared_task(name="members.check_import_batch")
def check_import_batch(batch_id: int) -> str:
    """Check an uploaded register and record its row-by-row preview."""
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status != ImportBatchStatus.CHECKING:
        return batch.status  # checked already: a redelivered message has nothing to do
    # The check writes nothing but the batch's preview, so running it twice is harmless.
    return importing.batch_preview(batch).status


@shared_task(name="members.run_import_batch")
def run_import_batch(batch_id: int) -> str:
    """Write a confirmed batch (all or nothing) with its history."""
    batch = importing.batch_run(batch_id)
    return batch.status if batch else "missing"


def queue_check(batch_id: int) -> bool:
    """Queue the check of a large upload (call after the commit). If the broker cannot take
    it, the batch fails at once with a message, rather than waiting for a check that never comes."""
    if enqueue(check_import_batch, batch_id):
        return True
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatchStatus.CHECKING).update(
        status=ImportBatchStatus.FAILED,
        message=_("任务队列暂时不可用，文件未能开始检查。请稍后重新上传；如持续出现，请联系管理员。"),
        finished_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return False


def queue_run(batch_id: int) -> bool:
    """Queue a confirmed import (call after the commit). If the broker cannot take it, the
    batch goes back to 待确认 with a message: nothing was written, confirming again later works."""
    if enqueue(run_import_batch, batch_id):
        return True
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatchStatus.QUEUED).update(
        status=ImportBatchStatus.PREVIEWED,
        confirmed_at=None,
        message=_("任务队列暂时不可用，导入未能开始，没有写入任何数据。请稍后再点“确认导入”。"),
        updated_at=timezone.now(),
    )
    return False


@shared_task(name="members.reroute_members")
def reroute_members() -> int:
    """Daily: apply the routing rules again to members old enough for age to matter.

    A birthday can carry a member to 60 and, without a source of living, to social
    relief; the rule is applied, never silently changed by hand. Idempotent.
    """
    from datetime import date

    from django.utils import timezone

    from . import services
    from .models import Member

    today = timezone.localdate()
    # Only those who turned 60 in the last year can have crossed the line since.
    oldest, youngest = date(today.year - 61, today.month, 1), date(today.year - 59, today.month, min(today.day, 28))
    changed = 0
    for member in Member.objects.filter(birth_date__gte=oldest, birth_date__lte=youngest).iterator(chunk_size=500):
        changed += services.member_reroute(member=member, today=today)
    return changed
