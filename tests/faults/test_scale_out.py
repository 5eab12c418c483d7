"""Scale-out: the city bulletin is split per county; two real workers (different hosts'
names, one process each) share the counties, and the files are the same as one process makes."""

import os
import time

import openpyxl
import pytest

from reports import bulletin, services
from reports.choices import BulletinState
from reports.models import BulletinJob
from reports.tasks import generate_bulletin
from tests.members.factories import make_member
from tests.reports.factories import YEAR, make_exit, make_plan, make_programme
from tests.reports.test_bulletin import docx_text

from .conftest import needs_real_worker, start_worker, stop, wait_for, worker_env

pytestmark = needs_real_worker


@pytest.fixture
def city_register(tree):
    make_programme()
    a = [make_member(tree.a1v, name=f"青山党员{i}") for i in range(3)] + [make_member(tree.a1c, name="社区党员")]
    b = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    make_exit(a[0])
    make_exit(b[0])
    make_plan(tree.a, out=1)
    make_plan(tree.b, out=2)


def workbook_values(path) -> dict:
    workbook = openpyxl.load_workbook(path, read_only=True)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def files_of(job) -> tuple[dict, list[str]]:
    text = [line for line in docx_text(bulletin.media_path(job.docx)).splitlines() if not line.startswith("生成时间")]
    values = workbook_values(bulletin.media_path(job.xlsx))
    return values, text


def test_two_workers_share_the_city_bulletin_and_make_the_same_files(tree, city_register, settings, tmp_path):
    from config.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    # one process, in-process, as the reference
    job = services.bulletin_request(actor=None, year=YEAR, region=tree.city, enqueue=False)
    assert generate_bulletin(job.pk) == "done"
    job.refresh_from_db()
    single = files_of(job)
    assert [part["code"] for part in job.summary["parts"]] == [tree.a.code, tree.b.code]
    # again, on two workers
    queue = f"faults-scale-{os.getpid()}"
    env = worker_env(settings.MEDIA_ROOT)
    names = [f"w{n}-{os.getpid()}@faults" for n in (1, 2)]
    logs = [(tmp_path / f"{n}.log").open("w") for n in (1, 2)]
    workers = [
        start_worker("tests.faults.slow_parts_worker", queue, hostname=n, env=env, log=log)
        for n, log in zip(names, logs, strict=True)
    ]
    started = time.monotonic()
    app.conf.task_always_eager = False
    try:
        job = services.bulletin_request(actor=None, year=YEAR, region=tree.city, enqueue=False)
        assert job.state == BulletinState.QUEUED
        generate_bulletin.apply_async(args=[job.pk], queue=queue)

        def finished():
            job.refresh_from_db()
            return job.is_finished

        assert wait_for(finished, 90), "\n".join((tmp_path / f"{n}.log").read_text()[-2000:] for n in (1, 2))
    finally:
        app.conf.task_always_eager = True
        for worker in workers:
            stop(worker)
    elapsed = time.monotonic() - started
    assert job.state == BulletinState.DONE, job.message
    assert BulletinJob.objects.count() == 1
    assert job.attempts == 1  # the finishing step ran once
    workers_used = {part["code"]: part["worker"] for part in job.summary["parts"]}
    assert set(workers_used) == {tree.a.code, tree.b.code}
    assert set(workers_used.values()) == set(names), workers_used  # both took a county
    assert files_of(job) == single
    assert not (settings.MEDIA_ROOT / "bulletins" / "parts").exists() or not any(
        (settings.MEDIA_ROOT / "bulletins" / "parts").iterdir()
    )
    print(f"two-worker bulletin: {elapsed:.1f} s")  # noqa: T201 - the run time, for the report
