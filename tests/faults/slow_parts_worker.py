"""The Celery app of the two-worker test: each county's part takes at least 1.5 s, so that
while one worker writes a part the other is free to take the next (as with real volumes)."""

import time

from celery.signals import worker_process_init

from config.celery import app  # the app the worker runs

# The test settings run tasks in-process; in this worker, subtasks go to the broker as in production.
app.conf.task_always_eager = False


@worker_process_init.connect
def slow_parts(**kwargs):
    from reports import tasks

    original = tasks.write_part

    def write_part(*args, **kw):
        time.sleep(1.5)
        return original(*args, **kw)

    tasks.write_part = write_part
