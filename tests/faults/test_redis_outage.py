"""A Redis outage: the pages keep working; an action that needs a worker is refused with a
clear message, within seconds, and leaves a state from which asking again works."""

import time

import pytest
from django.urls import reverse

from members.models import ImportBatch, ImportBatchStatus, Member
from reports.choices import BulletinState
from reports.models import BulletinJob
from tests.members import workbooks
from tests.members.factories import make_member

# Real commits: the task is sent from transaction.on_commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

REFUSED = "任务队列暂时不可用"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, people: int):
    content = workbooks.simple_register(workbooks.many_people(people))
    return client.post(reverse("members_import:upload"), {"file": workbooks.as_file(content, "青山县登记表.xlsx")})


def test_while_redis_is_down_pages_work_and_actions_needing_a_worker_are_refused(
    county_client, tree, redis_down, settings
):
    member = make_member(tree.a1v, name="张三")
    for url in (
        reverse("home"),
        reverse("members:member_list"),
        member.get_absolute_url(),
        reverse("reports:bulletin_list"),
        "/api/v1/members/",
    ):
        assert county_client.get(url).status_code == 200, url
    # the bulletin: refused within seconds, with the reason, on the page and in the API
    started = time.monotonic()
    response = county_client.post(reverse("reports:bulletin_request"), {"year": 2025, "region": tree.a.pk}, follow=True)
    assert time.monotonic() - started < 5
    job = BulletinJob.objects.get()
    assert response.status_code == 200
    assert (job.state, job.attempts) == (BulletinState.FAILED, 0)
    assert REFUSED in job.message
    page = response.content.decode()
    assert REFUSED in page
    assert "已开始生成" not in page
    # the API says the same with a 503, and the same row is used (one job per year and region)
    response = county_client.post(
        "/api/v1/bulletins/", {"region": tree.a.code, "year": 2025}, content_type="application/json"
    )
    assert response.status_code == 503
    assert REFUSED in response.json()["message"]
    assert BulletinJob.objects.count() == 1
    # a large upload, whose check runs in a worker: the batch fails at once and says why
    settings.REGISTER_IMPORT_ASYNC_BYTES = 1
    response = upload(county_client, 3)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == ImportBatchStatus.FAILED
    assert REFUSED in county_client.get(batch.get_absolute_url()).content.decode()


def test_a_large_import_confirmed_while_redis_is_down_goes_back_to_be_confirmed_again(county_client, tree, settings):
    from tests.faults.conftest import broker_at, free_port

    settings.REGISTER_IMPORT_ASYNC_ROWS = 5
    upload(county_client, 8)  # small enough to be checked at once
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatchStatus.PREVIEWED
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        started = time.monotonic()
        response = county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]), follow=True)
        assert time.monotonic() - started < 5
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.PREVIEWED
    assert REFUSED in response.content.decode()
    assert not Member.objects.exists()
    # Redis is back: confirming again imports (in-process here, as the test settings run tasks)
    county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.DONE
    assert Member.objects.count() == 8


def test_a_hung_redis_does_not_hang_the_request(county_client, tree, redis_hung):
    """Redis accepts the connection and never answers: the socket timeouts bound the wait."""
    started = time.monotonic()
    response = county_client.post(reverse("reports:bulletin_request"), {"year": 2025, "region": tree.a.pk})
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10, elapsed
    assert BulletinJob.objects.get().state == BulletinState.FAILED
