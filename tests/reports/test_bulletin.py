"""The yearly bulletin: its figures, its files, one job per year and jurisdiction, and its
resilience to a worker dying mid-way or a poison task."""

import io
import time
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from docx import Document

from reports import bulletin, services
from reports.choices import AdmonitionState, BulletinState
from reports.models import Admonition, BulletinJob
from reports.tasks import generate_bulletin, scheduled_bulletin
from tests.markers import needs_broker
from tests.members.factories import make_member

from .factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def register(tree):
    """青山县: 3 members, 2 out in 2025, target 2 (met). 白河县: 2 members, 1 out, target 3 (missed)."""
    make_programme()
    a = [make_member(tree.a1v, name=f"青山党员{i}") for i in range(3)]
    b = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    make_exit(a[0])
    make_exit(a[1])
    make_exit(b[0])
    make_plan(tree.a, out=2)
    make_plan(tree.b, out=3)
    return a, b


@pytest.fixture
def request_bulletin(django_capture_on_commit_callbacks):
    """Ask for a bulletin and run the queued task, as the commit would."""

    def ask(**kwargs):
        kwargs.setdefault("actor", None)
        kwargs.setdefault("year", YEAR)
        with django_capture_on_commit_callbacks(execute=True):
            job = services.bulletin_request(**kwargs)
        job.refresh_from_db()
        return job

    return ask


def docx_text(path) -> str:
    document = Document(path)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def ranking_rows(path) -> list[tuple]:
    sheet = openpyxl.load_workbook(path, read_only=True)["目标完成情况及排名"]
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_city_bulletin_files_hold_the_figures_ranking_and_proposals(tree, register, request_bulletin):
    # when
    job = request_bulletin(region=tree.city)
    # then
    assert job.state == BulletinState.DONE
    assert job.progress == 100
    assert job.attempts == 1
    text = docx_text(bulletin.media_path(job.docx))
    assert "河洛市2025年度贫困党员脱困示范行动进展情况通报" in text
    assert "共有贫困党员5人" in text
    assert "年度实际脱贫3人" in text
    assert "1|青山县|3|1|2|0|" in text  # ranked first: 2 of 2
    assert "2|白河县|2|1|1|0|" in text
    rows = ranking_rows(bulletin.media_path(job.xlsx))
    assert [(r[0], r[1], r[9], r[10], r[11], r[12]) for r in rows] == [
        (1, "青山县", 2, 2, "100.0%", "完成"),
        (2, "白河县", 3, 1, "33.3%", "未完成"),
    ]
    detail = openpyxl.load_workbook(bulletin.media_path(job.xlsx), read_only=True)["贫困党员明细"]
    assert len(list(detail.iter_rows(min_row=2, values_only=True))) == 5
    # the county that missed its target is proposed for an admonition, staff to confirm
    proposal = Admonition.objects.get()
    assert proposal.region == tree.b
    assert proposal.state == AdmonitionState.PROPOSED
    assert proposal.bulletin == job
    assert job.summary["missed"] == ["白河县"]
    assert job.summary["met"] == ["青山县"]


def test_running_twice_gives_one_bulletin_and_no_duplicates(tree, register, media, request_bulletin):
    first = request_bulletin(region=tree.city)
    first_rows = ranking_rows(bulletin.media_path(first.xlsx))
    second = request_bulletin(region=tree.city)
    assert second.state == BulletinState.DONE
    generate_bulletin(second.pk)  # a redelivered message for a finished job does nothing
    assert first.pk == second.pk
    assert BulletinJob.objects.count() == 1
    assert Admonition.objects.count() == 1
    assert ranking_rows(bulletin.media_path(BulletinJob.objects.get().xlsx)) == first_rows
    files = sorted(p.name for p in Path(media).rglob("*") if p.is_file())
    assert files == ["bulletin-2025-419900000000.docx", "bulletin-2025-419900000000.xlsx"]


def test_a_countys_bulletin_holds_only_its_county(tree, register, request_bulletin):
    job = request_bulletin(region=tree.a)
    text = docx_text(bulletin.media_path(job.docx))
    assert "青山县2025年度" in text
    assert "青石镇" in text
    assert "白河" not in text
    assert "白沙镇" not in text
    workbook = openpyxl.load_workbook(bulletin.media_path(job.xlsx), read_only=True)
    names = [row[1] for row in workbook["贫困党员明细"].iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == ["青山党员0", "青山党员1", "青山党员2"]


def test_a_county_cannot_ask_for_another_countys_bulletin(tree, users, register):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.bulletin_request(actor=users.county_staff, year=YEAR, region=tree.b)
    with pytest.raises(ValidationError):
        services.bulletin_request(actor=users.county_staff, year=YEAR, region=tree.city)
    assert not BulletinJob.objects.exists()


class WorkerDied(BaseException):
    """Like SIGKILL: nothing in the task gets to handle it."""


def test_a_worker_dying_mid_way_leaves_no_bulletin_and_the_redelivery_completes(tree, register, media, monkeypatch):
    job = services.bulletin_request(actor=None, year=YEAR, region=tree.city, enqueue=False)
    real_write_xlsx = bulletin.write_xlsx

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(bulletin, "write_xlsx", die)
    with pytest.raises(WorkerDied):
        generate_bulletin(job.pk)
    job.refresh_from_db()
    assert job.state == BulletinState.RUNNING
    assert job.attempts == 1
    finals = [
        p for p in Path(media).rglob("*") if p.is_file() and not p.name.endswith(".part") and "parts" not in p.parts
    ]
    assert finals == []  # the Word file was written only as a .part
    # the broker redelivers the unacknowledged message
    monkeypatch.setattr(bulletin, "write_xlsx", real_write_xlsx)
    assert generate_bulletin(job.pk) == "done"
    job.refresh_from_db()
    assert job.state == BulletinState.DONE
    assert job.attempts == 2
    files = sorted(p.name for p in Path(media).rglob("*") if p.is_file())
    assert files == ["bulletin-2025-419900000000.docx", "bulletin-2025-419900000000.xlsx"]


def test_a_poison_task_stops_after_the_cap(tree, register, monkeypatch):
    job = services.bulletin_request(actor=None, year=YEAR, region=tree.city, enqueue=False)

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(bulletin, "write_docx", die)
    for _ in range(BulletinJob.MAX_ATTEMPTS):
        with pytest.raises(WorkerDied):
            generate_bulletin(job.pk)
    assert generate_bulletin(job.pk) == "skipped"
    job.refresh_from_db()
    assert job.state == BulletinState.FAILED
    assert "已尝试3次" in job.message


def test_an_error_fails_the_job_with_a_message(tree, register, monkeypatch, request_bulletin):
    def broken(*args, **kwargs):
        raise OSError("磁盘已满")

    monkeypatch.setattr(bulletin, "write_docx", broken)
    job = request_bulletin(region=tree.city)
    assert job.state == BulletinState.FAILED
    assert "磁盘已满" in job.message
    assert not job.docx


def test_command_prints_where_the_files_are(tree, register):
    out = io.StringIO()
    call_command("generate_bulletin", "--year", str(YEAR), "--region", tree.a.code, stdout=out)
    job = BulletinJob.objects.get()
    assert job.region == tree.a
    assert job.state == BulletinState.DONE
    assert str(bulletin.media_path(job.docx)) in out.getvalue()
    assert str(bulletin.media_path(job.xlsx)) in out.getvalue()


def test_command_refuses_an_unknown_region(tree):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="找不到"):
        call_command("generate_bulletin", "--year", "2025", "--region", "419999999999")


def test_beat_task_generates_on_the_configured_day_only(
    tree, register, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import date

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 14))
    assert scheduled_bulletin() == "not today"
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 1, 15))
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduled_bulletin() == "requested"
    assert scheduled_bulletin() == "exists"
    job = BulletinJob.objects.get()
    assert (job.year, job.region, job.state) == (2025, tree.city, BulletinState.DONE)


@pytest.mark.django_db(transaction=True)
@needs_broker
def test_a_real_worker_produces_the_bulletin_from_redis(tree, register):
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            job = services.bulletin_request(actor=None, year=YEAR, region=tree.a)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.is_finished:
                    break
                time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert job.state == BulletinState.DONE, job.message
    assert "青山县" in docx_text(bulletin.media_path(job.docx))
    rows = ranking_rows(bulletin.media_path(job.xlsx))
    assert [r[1] for r in rows] == ["青石镇"]


def _wait(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True)
@needs_broker
def test_a_worker_child_killed_mid_way_leaves_no_bulletin_and_the_redelivery_completes(tree, register, media, tmp_path):
    """kill -9 of the prefork child while the bulletin is half written: acks_late and
    reject_on_worker_lost put the message back, the next child completes the same job."""
    import os
    import signal
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs the test database on a server (PostgreSQL)")
    db = connection.settings_dict
    marker = tmp_path / "stalled.pid"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
        + db["NAME"],
        "DJANGO_MEDIA_ROOT": str(media),
        "REPORTS_TEST_MARKER": str(marker),
    }
    queue = f"reports-dying-{os.getpid()}"
    from config.celery import app

    app.conf.task_always_eager = False
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tests.reports.dying_worker",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "worker.log").open("w"),
    )
    try:
        job = services.bulletin_request(actor=None, year=YEAR, region=tree.a, enqueue=False)
        generate_bulletin.apply_async(args=[job.pk], queue=queue)
        started = _wait(marker.exists, 60)
        job.refresh_from_db()
        assert started, f"{job.state} {job.message} " + (tmp_path / "worker.log").read_text()[-3000:]
        job.refresh_from_db()
        assert job.state == BulletinState.RUNNING
        assert job.attempts == 1
        finals = [
            p for p in Path(media).rglob("*") if p.is_file() and not p.name.endswith(".part") and "parts" not in p.parts
        ]
        assert finals == []
        os.kill(int(marker.read_text()), signal.SIGKILL)

        def finished():
            job.refresh_from_db()
            return job.is_finished

        assert _wait(finished, 90), "the redelivered task did not finish"
    finally:
        app.conf.task_always_eager = True
        worker.terminate()
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
    assert job.state == BulletinState.DONE, job.message
    assert job.attempts == 2
    files = sorted(p.name for p in Path(media).rglob("*") if p.is_file())
    assert files == ["bulletin-2025-419921000000.docx", "bulletin-2025-419921000000.xlsx"]
    assert [r[1] for r in ranking_rows(bulletin.media_path(job.xlsx))] == ["青石镇"]
