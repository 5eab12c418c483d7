"""Celery tasks of the register import: the check and the confirmed run of large files.

Both take only the batch id and are idempotent: the batch's status is the job's state,
claimed with a conditional UPDATE, so a redelivered message finds the work done (or
taken) and returns. Queue them with ``transaction.on_commit`` so that the worker sees the
batch row.

A large file with rows of two counties or more can be split (members.import_parts): its
check with REGISTER_IMPORT_SPLIT_CHECK, its confirmed run with REGISTER_IMPORT_SPLIT_RUN,
both off by default (import_parts.phase_is_split says why). Then the batch's task reads it
once and sends one
``check_import_part`` per county; the last part to finish sends ``finish_import_parts``,
which stores the preview or writes the whole batch in one transaction. In-process (no
broker, or the task called directly) the same steps run one after the other.
"""

import socket

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from config.celery import enqueue

from . import import_parts, importing
from .models import ImportBatch, ImportBatchStatus


def _queue_of(task) -> str | None:
    """The queue this message came from: a batch's parts stay on the workers that serve it."""
    return (task.request.delivery_info or {}).get("routing_key") or None


def _inline(task) -> bool:
    return task.request.called_directly or task.app.conf.task_always_eager


def _split(task, batch: ImportBatch, phase: str) -> bool:
    """Split the batch per county if that helps; True when the parts took it over."""
    if not import_parts.phase_is_split(phase):
        return False  # the default for both phases (import_parts.phase_is_split says why)
    if phase == import_parts.RUN:
        if batch.total <= import_parts.split_row_threshold():
            return False  # known from the preview: no need to read the file to decide
        if batch.attempts == 1:  # a fresh run: parts of an earlier start must not be taken for this one's
            import_parts.discard(batch.pk, phase)
    try:
        job = import_parts.split_file(batch, phase)
    except (importing.RegisterFileError, PermissionDenied):
        return False  # the unsplit path says why, as before
    if job is None:
        return False
    if _inline(task):
        worker = socket.gethostname()
        for key in job["parts"]:
            try:
                if import_parts.check_part(batch, phase, key, worker=worker) is None:
                    return True  # capped: the batch is failed
            except Exception as error:  # noqa: BLE001 - recorded on the batch, as from a worker
                import_parts.fail_part(batch.pk, phase, error)
                return True
        import_parts.finish(batch.pk, phase)
        return True
    import_parts.started(batch.pk, phase, job)
    for key in job["parts"]:
        if not enqueue(check_import_part, batch.pk, phase, key, queue=_queue_of(task)):
            import_parts.refuse(batch.pk, phase)
            return True
    return True


@shared_task(bind=True, name="members.check_import_batch")
def check_import_batch(self, batch_id: int) -> str:
    """Check an uploaded register and record its row-by-row preview."""
    batch = ImportBatch.objects.select_related("created_by").filter(pk=batch_id).first()
    if batch is None:
        return "missing"
    if batch.status != ImportBatchStatus.CHECKING:
        return batch.status  # checked already: a redelivered message has nothing to do
    if _split(self, batch, import_parts.CHECK):
        batch.refresh_from_db()
        return batch.status
    # The check writes nothing but the batch's preview, so running it twice is harmless.
    return importing.batch_preview(batch).status


@shared_task(bind=True, name="members.run_import_batch")
def run_import_batch(self, batch_id: int) -> str:
    """Write a confirmed batch (all or nothing) with its history."""
    batch = importing.batch_run(batch_id, split=lambda batch: _split(self, batch, import_parts.RUN))
    return batch.status if batch else "missing"


@shared_task(bind=True, name="members.check_import_part")
def check_import_part(self, batch_id: int, phase: str, key: str) -> str:
    """One county's rows of a split batch; the last part to finish sends the finishing step."""
    batch = (
        ImportBatch.objects.select_related("created_by").filter(pk=batch_id, status=import_parts.STATUS[phase]).first()
    )
    if batch is None:
        return "skipped"
    try:
        done = import_parts.check_part(batch, phase, key, worker=self.request.hostname or socket.gethostname())
    except Exception as error:  # noqa: BLE001 - recorded on the batch for its page
        import_parts.fail_part(batch_id, phase, error)
        return "failed"
    if done is None:
        return "failed"
    if import_parts.done_parts(batch_id, phase) is not None and not enqueue(
        finish_import_parts, batch_id, phase, queue=_queue_of(self)
    ):
        import_parts.finish(batch_id, phase)  # the broker went away: finish here rather than never
    return "done"


@shared_task(name="members.finish_import_parts")
def finish_import_parts(batch_id: int, phase: str) -> str:
    """Merge a split batch's parts: store its preview, or write it in one transaction."""
    return import_parts.finish(batch_id, phase)


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
