"""Fixtures shared by every app's tests: a small region tree and accounts per role."""

import os
from collections import Counter
from types import SimpleNamespace

import pytest

from organization.choices import RegionLevel, Role
from tests.organization.factories import make_region, make_user


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Every test must have its own node id: pytest-xdist schedules by node id and, of tests
    that share one, runs only the first, silently (schemathesis 4's API operations did under
    pytest 9, which drops the operation from their ids; pyproject.toml keeps pytest 8)."""
    shared = [nodeid for nodeid, count in Counter(item.nodeid for item in items).items() if count > 1]
    if shared:
        raise pytest.UsageError(f"tests share a node id, and pytest-xdist would run only one of each: {shared[:5]}")


def pytest_make_parametrize_id(config, val, argname):
    """A workbook made at collection is a zip that carries the second it was made (its bytes and
    even its length change): an id built from it differs between pytest-xdist's processes, which
    must collect the same tests."""
    if isinstance(val, bytes) and val.startswith(b"PK"):
        return f"{argname}-zip"  # pytest numbers the ids that repeat
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI every service is there (PostgreSQL, Redis, Chromium), so a skip can only
    mean a test silently stopped proving anything: make it a failure."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where nothing may be: {report.longrepr}"


@pytest.fixture(autouse=True, scope="session")
def _media_root(tmp_path_factory):
    """Uploads, bulletins and their parts go to this test process's own folder: never the
    checkout's media/, and never another pytest-xdist process's (job ids repeat across
    their databases, and bulletin parts are filed by job id)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete():
    """After each transactional test (live_server, threads) Django empties every table with one
    TRUNCATE. On PostgreSQL that makes new files for ~130 tables and their indexes: about 4 s
    measured, against 0.1 s to DELETE the few rows a test wrote. The end state is the same:
    neither resets sequences unless asked, and every foreign key is DEFERRABLE INITIALLY
    DEFERRED, so the order of the DELETEs does not matter inside the flush's transaction."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    operations = type(connection.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)};" for table in tables]  # noqa: S608 - Django's own table names

    operations.sql_flush = sql_flush
    yield
    operations.sql_flush = truncate


@pytest.fixture
def tree(db):
    return build_tree()


def build_tree():
    """河洛市 with two counties; each has a township with a rural village, one an urban community.

    青山县 (``a``) is where most accounts sit; 白河县 (``b``) is "another county".
    """
    city = make_region("419900000000", "河洛市", RegionLevel.CITY)
    a = make_region("419921000000", "青山县", RegionLevel.COUNTY, city)
    b = make_region("419922000000", "白河县", RegionLevel.COUNTY, city)
    a1 = make_region("419921001000", "青石镇", RegionLevel.TOWNSHIP, a)
    b1 = make_region("419922001000", "白沙镇", RegionLevel.TOWNSHIP, b)
    a1v = make_region("419921001001", "张庄村", RegionLevel.VILLAGE, a1)
    a1c = make_region("419921001002", "建设路社区", RegionLevel.VILLAGE, a1, is_urban=True)
    b1v = make_region("419922001001", "李家湾村", RegionLevel.VILLAGE, b1)
    return SimpleNamespace(city=city, a=a, b=b, a1=a1, b1=b1, a1v=a1v, a1c=a1c, b1v=b1v)


# The jurisdiction each role's test account gets in ``tree``.
ROLE_REGIONS = {
    Role.CITY_STAFF: "city",
    Role.COUNTY_STAFF: "a",
    Role.TOWNSHIP_STAFF: "a1",
    Role.WORK_TEAM: "a1v",
    Role.CADRE: "a",
    Role.EXPERT: "city",
    Role.ENTERPRISE: "city",
    Role.URBAN_CENTRE: "a",
    Role.LEADER: "city",
    Role.ADMIN: "city",
}


@pytest.fixture
def users(tree):
    return build_users(tree)


def build_users(tree):
    """One account per role, keyed by role value, plus ``county_b`` for 白河县."""
    accounts = {role.value: make_user(role, getattr(tree, ROLE_REGIONS[role])) for role in Role}
    accounts["county_b"] = make_user(Role.COUNTY_STAFF, tree.b, username="county_b", display_name="白河县干部")
    return SimpleNamespace(**accounts)


@pytest.fixture
def county_client(client, users):
    client.force_login(users.county_staff)
    return client
