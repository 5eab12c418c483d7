"""A browser test leaves no database connection open behind it.

While Playwright's sync API lives, an event loop runs in the test's thread, and Django
(asgiref's ``Local``) then keeps that thread's connections apart from its usual ones: the
ORM calls a browser test makes go through a second connection. Left open, it outlived
every test and the test database could not be dropped at the end of the run ("database
... is being accessed by other users"). The ``browser`` fixture closes it.
"""

import pytest
from django.db import connection

from tests.browser.conftest import browser

from .conftest import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="counts the server's sessions: CI runs on PostgreSQL"),
]


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def other_sessions() -> set[int]:
    """The other sessions on the test database."""
    sql = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {pid for (pid,) in cursor.fetchall()}


def test_the_browser_fixture_closes_the_connection_its_test_opened(monkeypatch):
    usual, before = backend_pid(), other_sessions()
    steps = browser._get_wrapped_function()(monkeypatch)  # the fixture, driven step by step
    next(steps)  # the browser is up: a test's ORM calls now run
    inside = backend_pid()
    assert inside != usual  # a connection of their own (the reason for the fixture's close)
    with pytest.raises(StopIteration):
        next(steps)  # the fixture's teardown
    assert backend_pid() == usual
    # a closed session leaves pg_stat_activity within moments
    assert wait_for(lambda: inside not in other_sessions(), 5), "the browser test's connection is still open"
    assert other_sessions() <= before
