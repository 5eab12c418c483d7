"""A worker child killed with SIGKILL in the middle of a large register import: the
redelivered message imports the file once, as a whole. (The bulletin's case is
tests/reports/test_bulletin.py::test_a_worker_child_killed_mid_way_leaves_no_bulletin_and_the_redelivery_completes.)"""

import os
import signal
import time

from django.core.files.base import ContentFile

from members import importing
from members.models import ImportBatch, ImportBatchStatus, Member
from members.tasks import run_import_batch
from tests.members import workbooks

from .conftest import needs_real_worker, start_worker, stop, wait_for, worker_env

pytestmark = needs_real_worker

PEOPLE = 2500  # above the size that goes to Celery (2,000 rows), three chunks of 1,000


def confirmed_batch(user, people: list[dict]) -> ImportBatch:
    content = workbooks.simple_register(people)
    batch = importing.batch_create(user=user, upload=ContentFile(content, "register.xlsx"), original_name="登记表.xlsx")
    batch = importing.batch_preview(batch)
    assert batch.status == ImportBatchStatus.PREVIEWED, batch.message
    return importing.batch_confirm(batch, user=user)


def test_a_worker_killed_mid_import_leaves_nothing_and_the_redelivery_imports_once(users, tree, settings, tmp_path):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    marker = tmp_path / "stalled.pid"
    queue = f"faults-import-{os.getpid()}"
    batch = confirmed_batch(users.county_staff, workbooks.many_people(PEOPLE))
    log = tmp_path / "worker.log"
    started = time.monotonic()
    worker = start_worker(
        "tests.faults.dying_worker",
        queue,
        hostname=f"dying-{os.getpid()}@%h",
        env=worker_env(settings.MEDIA_ROOT, FAULTS_TEST_MARKER=str(marker)),
        log=log.open("w"),
    )
    app.conf.task_always_eager = False
    try:
        run_import_batch.apply_async(args=[batch.pk], queue=queue)
        assert wait_for(marker.exists, 60), log.read_text()[-3000:]
        # mid-write: the first 1,000 members are in the child's open transaction, invisible here
        batch.refresh_from_db()
        assert (batch.status, batch.attempts) == (ImportBatchStatus.RUNNING, 1)
        assert not Member.objects.exists()
        os.kill(int(marker.read_text()), signal.SIGKILL)

        def finished():
            batch.refresh_from_db()
            return batch.is_finished

        assert wait_for(finished, 120), "the redelivered import did not finish: " + log.read_text()[-3000:]
    finally:
        app.conf.task_always_eager = True
        stop(worker)
    elapsed = time.monotonic() - started
    assert batch.status == ImportBatchStatus.DONE, batch.message
    assert batch.attempts == 2
    assert (batch.total, batch.created, batch.updated, batch.rejected) == (PEOPLE, PEOPLE, 0, 0)
    assert Member.objects.count() == PEOPLE
    assert Member.objects.values("id_number").distinct().count() == PEOPLE
    assert importing.batch_history(batch).count() == PEOPLE  # one history row each: written once
    numbers = sorted(Member.objects.values_list("file_number", flat=True))
    assert numbers[0].endswith("-00001")
    assert numbers[-1].endswith(f"-{PEOPLE:05d}")  # no gap left by the dead run
    # a late duplicate of the message changes nothing
    assert run_import_batch(batch.pk) == "done"
    assert Member.objects.count() == PEOPLE
    print(f"killed-worker import: {elapsed:.1f} s")  # noqa: T201 - the run time, for the report
