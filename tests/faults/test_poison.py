"""Poison tasks: an import, or a part of a bulletin, that kills its worker every time stops after its cap."""

import pytest

from members import importing
from members.models import ImportBatchStatus, Member
from members.tasks import run_import_batch
from tests.members import workbooks

from .test_killed_worker import confirmed_batch

pytestmark = pytest.mark.django_db


class WorkerDied(BaseException):
    """Like SIGKILL: nothing in the task gets to handle it."""


def test_an_import_that_kills_its_worker_every_time_is_failed_after_the_cap(
    users, tree, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path / "media"
    batch = confirmed_batch(users.county_staff, workbooks.many_people(5))

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(importing, "_insert_history", die)
    for attempt in range(1, importing.MAX_ATTEMPTS + 1):
        with pytest.raises(WorkerDied):
            run_import_batch(batch.pk)  # the broker redelivers each time
        batch.refresh_from_db()
        assert (batch.status, batch.attempts) == (ImportBatchStatus.RUNNING, attempt)
    assert run_import_batch(batch.pk) == ImportBatchStatus.FAILED
    batch.refresh_from_db()
    assert "已开始3次" in batch.message
    assert not Member.objects.exists()


def test_a_bulletin_part_that_kills_its_worker_every_time_fails_the_job_after_the_cap(
    tree, settings, tmp_path, monkeypatch
):
    from reports import bulletin, services, tasks
    from reports.choices import BulletinState
    from reports.models import BulletinJob

    settings.MEDIA_ROOT = tmp_path / "media"
    job = services.bulletin_request(actor=None, year=2025, region=tree.a, enqueue=False)
    bulletin.claim(job.pk, count=False)

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(bulletin, "member_rows", die)
    for _ in range(BulletinJob.MAX_ATTEMPTS):
        with pytest.raises(WorkerDied):
            tasks.bulletin_part(job.pk, tree.a.pk)  # redelivered each time
    assert tasks.bulletin_part(job.pk, tree.a.pk) == "failed"
    job.refresh_from_db()
    assert job.state == BulletinState.FAILED
    assert "已尝试3次" in job.message
    assert not job.docx
