"""Read replicas for the dashboards (config.routers): only the dashboard's reads are sent to
the replica, and only when DATABASE_REPLICA_URL configures one."""

import pytest
from django.urls import reverse

from config import routers
from members.models import Member
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_router_sends_reads_to_the_replica_only_inside_replica_reads(monkeypatch):
    router = routers.ReplicaRouter()
    assert router.db_for_read(Member) is None  # no replica configured: the primary
    with routers.replica_reads():
        assert router.db_for_read(Member) is None
    monkeypatch.setattr(routers, "replica_alias", lambda: "replica")
    assert router.db_for_read(Member) is None  # outside: the primary
    with routers.replica_reads():
        assert router.db_for_read(Member) == "replica"
        assert router.db_for_write(Member) == "default"  # never a write to the replica
    assert router.db_for_read(Member) is None
    assert router.allow_migrate("replica", "members") is False


@pytest.fixture
def routed(monkeypatch):
    """The models whose reads were sent to the replica (here an alias of the primary itself)."""
    seen = []
    real = routers.ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = real(self, model, **hints)
        if alias:
            seen.append(model)
        return alias

    monkeypatch.setattr(routers, "replica_alias", lambda: "default")
    monkeypatch.setattr(routers.ReplicaRouter, "db_for_read", spy)
    return seen


def test_the_dashboard_page_and_api_read_from_the_replica_and_other_pages_do_not(client, users, tree, routed):
    make_member(tree.a1v)
    client.force_login(users.leader)
    assert client.get(reverse("members:member_list")).status_code == 200
    assert routed == []
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert Member in routed
    routed.clear()
    assert client.get(f"/api/v1/dashboard/{tree.city.code}/").status_code == 200
    assert Member in routed
