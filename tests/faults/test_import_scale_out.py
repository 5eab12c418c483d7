"""Scale-out of the register import: a large file of two counties is checked per county by
two real workers (different hosts' names, one process each), and the preview, the members
written and their history are the same as one process makes; the write is one transaction.

The split is switched on in the workers (off by default: docs/performance.md): the check
(REGISTER_IMPORT_SPLIT_CHECK) always, the confirmed run (REGISTER_IMPORT_SPLIT_RUN) in the
second case; in the first the run is one worker's, unsplit."""

import os
import time

import pytest

from members import import_parts, importing
from members.models import ImportBatchStatus
from members.tasks import check_import_batch, run_import_batch
from tests.members.test_import_parts import new_batch, preview_of, reference_run, two_county_register, written_by

from .conftest import needs_real_worker, start_worker, stop, wait_for, worker_env

pytestmark = needs_real_worker

PER_COUNTY = 1100  # 2,200 people and the special rows: above the 2,000 rows from which a file is split


@pytest.mark.parametrize("split_run", [False, True], ids=["default", "run-split"])
def test_two_workers_share_a_two_county_import_and_write_what_one_process_writes(
    tree, users, settings, tmp_path, split_run
):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    assert import_parts.split_row_threshold() < 2 * PER_COUNTY  # the workers' settings are the defaults
    user = users.city_staff
    content, _rows = two_county_register(tree, per_county=PER_COUNTY)
    # one process, as the reference (the preview, then the run, rolled back once recorded)
    expected_preview = preview_of(importing.batch_preview(new_batch(user, content)))
    expected_written = reference_run(user, content)
    # again, on two workers
    queue = f"faults-import-scale-{os.getpid()}"
    env = worker_env(settings.MEDIA_ROOT, SPLIT_RUN="1" if split_run else "0")
    names = [f"i{n}-{os.getpid()}@faults" for n in (1, 2)]
    logs = [(tmp_path / f"{n}.log").open("w") for n in (1, 2)]
    workers = [
        start_worker("tests.faults.slow_import_parts_worker", queue, hostname=n, env=env, log=log)
        for n, log in zip(names, logs, strict=True)
    ]

    def log_tail():
        return "\n".join((tmp_path / f"{n}.log").read_text()[-2000:] for n in (1, 2))

    app.conf.task_always_eager = False
    try:
        # both workers up before the work is sent, so that each can take a county
        assert wait_for(lambda: len(app.control.ping(destination=names, timeout=0.5)) == 2, 60), log_tail()
        started = time.monotonic()
        batch = new_batch(user, content)
        check_import_batch.apply_async(args=[batch.pk], queue=queue)

        def checked():
            batch.refresh_from_db()
            return batch.status != ImportBatchStatus.CHECKING

        assert wait_for(checked, 90), log_tail()
        checking = time.monotonic() - started
        assert preview_of(batch) == expected_preview, batch.message
        batch = importing.batch_confirm(batch, user=user)
        started = time.monotonic()
        run_import_batch.apply_async(args=[batch.pk], queue=queue)

        def finished():
            batch.refresh_from_db()
            return batch.is_finished

        assert wait_for(finished, 120), log_tail()
        running = time.monotonic() - started
    finally:
        app.conf.task_always_eager = True
        for worker in workers:
            stop(worker)
    assert batch.status == ImportBatchStatus.DONE, batch.message
    assert batch.attempts == 1
    split = (import_parts.CHECK, import_parts.RUN) if split_run else (import_parts.CHECK,)
    if not split_run:
        assert import_parts.summary(batch.pk, import_parts.RUN) is None  # written unsplit
    for phase in split:
        parts = import_parts.summary(batch.pk, phase)
        assert [part["county"] for part in parts] == ["青山县", "白河县", ""], phase
        assert {part["worker"] for part in parts} == set(names), (phase, parts)  # both took a part
        assert not import_parts.part_directory(batch.pk, phase).exists()  # the parts are cleared
    assert written_by(batch) == expected_written
    assert expected_written["counts"][1] == 2 * PER_COUNTY - 2  # created: two people were on file
    print(f"two-worker import of {batch.total:,} rows: check {checking:.1f} s, run {running:.1f} s")  # noqa: T201
