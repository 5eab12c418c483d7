"""The Celery app of one test (test_bulletin.py, the killed worker): in each worker
child, the bulletin's first run stops before its Excel file for a minute, long enough for
the test to kill the child with SIGKILL; later runs go straight through."""

import os
import time
from pathlib import Path

from celery.signals import worker_process_init

from config.celery import app  # noqa: F401  (the app the worker runs)


@worker_process_init.connect
def stall_the_first_run(**kwargs):
    from reports import bulletin

    original = bulletin.write_xlsx
    marker = Path(os.environ["REPORTS_TEST_MARKER"])

    def write_xlsx(*args, **kw):
        if not marker.exists():
            marker.write_text(str(os.getpid()))
            time.sleep(60)
        return original(*args, **kw)

    bulletin.write_xlsx = write_xlsx
