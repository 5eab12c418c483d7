"""The Celery app of the killed-import test: in each worker child, the first confirmed
import stops for a minute right after its first 1,000 members went into its (open)
transaction, long enough for the test to SIGKILL the child; later runs go straight through."""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app  # the app the worker runs

# The test settings run tasks in-process; in this worker, subtasks go to the broker as in production.
app.conf.task_always_eager = False


@worker_process_init.connect
def stall_the_first_run(**kwargs):
    from members import importing

    original = importing._insert_history
    marker = Path(os.environ["FAULTS_TEST_MARKER"])

    def insert_history(*args, **kw):
        ids = original(*args, **kw)
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(60)
        return ids

    importing._insert_history = insert_history
