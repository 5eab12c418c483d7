"""The database connection dies in the middle of a request, after the first rows of a
transaction were written: the user gets the Chinese error page (JSON under /api/), and
nothing of the transaction is left behind. The next request works (health checks)."""

import contextlib
import json

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from members import importing
from members.models import ImportBatch, ImportBatchStatus, Member
from tests.members import workbooks
from tests.members.test_api import member_payload
from tests.members.test_pages import form_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="a server backend to terminate: CI runs these on PostgreSQL"
    ),
]

HISTORY_INSERT = f'INSERT INTO "{Member.history.model._meta.db_table}"'


def kill_own_connection() -> None:
    """The server ends this backend (pg_terminate_backend from another session), as a
    failover, a restart or a DBA would."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    finally:
        other.close()


@contextlib.contextmanager
def connection_dies_at(marker: str):
    """Kill the connection just before the first statement that starts with ``marker``."""
    fired = []

    def wrapper(execute, sql, params, many, context):
        if not fired and sql.startswith(marker):
            fired.append(sql)
            kill_own_connection()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield fired


@pytest.fixture
def staff(users):
    client = Client(raise_request_exception=False)
    client.force_login(users.county_staff)
    return client


def test_pages_and_the_api_give_a_clear_error_and_nothing_half_written(staff, tree):
    with connection_dies_at(HISTORY_INSERT) as fired:
        response = staff.post(reverse("members:member_add"), form_data(tree.a1v))
    assert fired, "the member's history row was never written: the test did not cut anything"
    assert response.status_code == 500
    page = response.content.decode()
    assert "服务器出错了" in page
    assert "没有保存" in page
    assert not Member.objects.exists()  # the member row written before the cut was rolled back
    assert not Member.history.exists()
    # the next request gets a fresh connection and works
    assert staff.post(reverse("members:member_add"), form_data(tree.a1v)).status_code == 302
    assert Member.objects.count() == 1
    # the API: the same cut gives a JSON 500
    with connection_dies_at(HISTORY_INSERT) as fired:
        response = staff.post("/api/v1/members/", json.dumps(member_payload(tree.a1v)), content_type="application/json")
    assert fired
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    assert "服务器出错了" in response.json()["detail"]
    assert Member.objects.count() == 1  # only the one saved above
    assert Member.history.count() == 1


def test_an_import_cut_mid_write_writes_nothing_and_says_so(staff, tree, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    content = workbooks.simple_register(workbooks.many_people(30))
    staff.post(reverse("members_import:upload"), {"file": workbooks.as_file(content, "青山县登记表.xlsx")})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatchStatus.PREVIEWED
    fired = []
    real_insert_history = importing._insert_history

    def insert_history_then_die(*args, **kwargs):
        # the members' rows went in (COPY, on the import's connection); now the server goes away
        ids = real_insert_history(*args, **kwargs)
        fired.append(len(args[0]))
        kill_own_connection()
        return ids

    monkeypatch.setattr(importing, "_insert_history", insert_history_then_die)
    response = staff.post(reverse("members_import:batch_confirm", args=[batch.pk]), follow=True)
    assert fired
    assert response.status_code == 200
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.FAILED
    assert "没有写入任何数据" in batch.message
    assert "没有写入任何数据" in response.content.decode()
    assert not Member.objects.exists()
    assert not Member.history.exists()
