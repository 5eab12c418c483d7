"""The Celery app of the two-worker import test: each county's part of a split import takes
at least 1.5 s, so that while one worker checks a part the other is free to take the next
(as with real volumes). The check is split (REGISTER_IMPORT_SPLIT_CHECK, off by default);
with SPLIT_RUN=1 in its environment the confirmed run too (REGISTER_IMPORT_SPLIT_RUN)."""

import os
import time

from celery.signals import worker_process_init

from config.celery import app  # the app the worker runs

# The test settings run tasks in-process; in this worker, subtasks go to the broker as in production.
app.conf.task_always_eager = False


@worker_process_init.connect
def slow_parts(**kwargs):
    from django.conf import settings

    from members import import_parts

    settings.REGISTER_IMPORT_SPLIT_CHECK = True
    settings.REGISTER_IMPORT_SPLIT_RUN = os.environ.get("SPLIT_RUN") == "1"
    original = import_parts.check_part

    def check_part(*args, **kw):
        time.sleep(1.5)
        return original(*args, **kw)

    import_parts.check_part = check_part
