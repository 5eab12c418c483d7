"""The demo city built by ``manage.py load_demo``."""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from organization.choices import PartyOrganizationKind, RegionLevel, Role
from organization.demo import DEMO_PASSWORD, build_demo_city, plan_city
from organization.models import PATH_SEPARATOR, PartyOrganization, Region, User
from organization.roles import ROLE_REGION_LEVELS

DEMO_USERNAMES = [role.value for role in Role] + ["county_staff2"]


def load_demo() -> str:
    """Run the command the way a user would; return what it printed."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo city, built once for the module (building takes a couple of seconds).

    It lives in a transaction that is rolled back after the module; each test still runs
    in its own transaction inside it, so what a test changes does not reach the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


def table_counts() -> dict[str, int]:
    """Row counts that a second run must leave alone, history included."""
    return {
        "regions": Region.objects.count(),
        "party_organizations": PartyOrganization.objects.count(),
        "users": User.objects.count(),
        "region_history": Region.history.count(),
        "party_organization_history": PartyOrganization.history.count(),
        "user_history": User.history.count(),
    }


def test_plan_is_the_same_every_time():
    assert plan_city() == plan_city()


@pytest.mark.django_db
def test_load_demo_builds_the_city(demo_output):
    levels = Counter(Region.objects.values_list("level", flat=True))
    assert levels[RegionLevel.CITY] == 1
    assert levels[RegionLevel.COUNTY] == 6
    assert levels[RegionLevel.TOWNSHIP] >= 20
    assert levels[RegionLevel.VILLAGE] >= 200
    city = Region.objects.get(level=RegionLevel.CITY)
    assert (city.code, city.name) == ("419900000000", "河洛市")
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.filter(is_urban=True, name__endswith="社区").exists()
    assert villages.filter(is_urban=False, name__endswith="村").exists()

    # Every region has a party organization.
    assert not Region.objects.filter(party_organizations__isnull=True).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        assert username in demo_output
    assert DEMO_PASSWORD in demo_output
    assert "河洛市/青山县" in demo_output


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(demo_output):
    before = table_counts()
    output = load_demo()
    assert table_counts() == before
    assert "区划 0，党组织 0，账号 0" in output


@pytest.mark.django_db
def test_rerun_completes_a_partial_city(demo_output):
    village = Region.objects.filter(level=RegionLevel.VILLAGE).last()
    village.party_organizations.all().delete()
    village.delete()

    result = build_demo_city(stdout=io.StringIO())

    assert result["created"] == {"region": 1, "party_organization": 1, "account": 0}
    recreated = Region.objects.get(code=village.code)
    assert recreated.party_organizations.get().parent.region == recreated.parent
    assert result["counts"]["village"] == Region.objects.filter(level=RegionLevel.VILLAGE).count()
    assert [account["username"] for account in result["accounts"]] == [plan.username for plan in plan_city()[1]]


@pytest.mark.django_db
def test_region_tree_is_consistent(demo_output):
    regions = list(Region.objects.select_related("parent"))
    codes = [region.code for region in regions]
    assert len(codes) == len(set(codes))
    for region in regions:
        assert re.fullmatch(r"4199\d{8}", region.code), region.code
        assert region.full_name.startswith("河洛市")
        if region.parent is None:
            assert region.path == f"{PATH_SEPARATOR}{region.code}{PATH_SEPARATOR}"
            continue
        assert region.path.startswith(region.parent.path)
        assert region.full_name == f"{region.parent.full_name}{PATH_SEPARATOR}{region.name}"
    # County 4199NN000000, township 4199NNTTT000, village 4199NNTTTVVV: a child keeps its
    # parent's digits, adds its own and leaves the rest zero.
    own_digits = {RegionLevel.COUNTY: slice(4, 6), RegionLevel.TOWNSHIP: slice(6, 9), RegionLevel.VILLAGE: slice(9, 12)}
    for region in regions:
        if region.parent is not None:
            own = own_digits[region.level]
            assert region.code[: own.start] == region.parent.code[: own.start]
            assert region.code[own] != "0" * (own.stop - own.start)
            assert region.code[own.stop :] == "0" * (12 - own.stop)


@pytest.mark.django_db
def test_villages_are_plausible(demo_output):
    for township in Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent"):
        villages = list(township.children.all())
        assert 5 <= len(villages) <= 12
        names = [village.name for village in villages]
        assert len(names) == len(set(names)), township.full_name
        urban = sum(village.is_urban for village in villages)
        if township.name.endswith("街道"):
            assert urban >= len(villages) - 1
        elif township.parent.name.endswith("县"):
            assert urban == 0
    for county in Region.objects.filter(level=RegionLevel.COUNTY):
        assert 4 <= county.children.count() <= 7


@pytest.mark.django_db
def test_party_organizations_follow_the_regions(demo_output):
    organizations = PartyOrganization.objects.select_related("region__parent", "parent__region")
    assert organizations.count() == Region.objects.count()
    for organization in organizations:
        region = organization.region
        assert re.fullmatch(r"1[358]\d{9}", organization.leader_phone)
        assert 2 <= len(organization.leader_name) <= 3
        assert organization.leader_post
        if region.parent is None:
            assert organization.parent is None
            assert organization.kind == PartyOrganizationKind.COMMITTEE
        else:
            assert organization.parent.region == region.parent
        if region.level == RegionLevel.VILLAGE:
            assert organization.name == f"中共{region.name}支部委员会"
            assert organization.kind == PartyOrganizationKind.BRANCH


@pytest.mark.django_db
def test_accounts_sit_where_their_roles_allow(demo_output):
    users = {user.username: user for user in User.objects.select_related("region")}
    for user in users.values():
        assert user.region.level in ROLE_REGION_LEVELS[user.role]
        assert user.is_superuser == (user.role == Role.ADMIN)
    assert users["county_staff"].region.name == "青山县"
    assert users["county_staff2"].region.name == "白河县"
    assert users["urban_centre"].region.name == "河东区"
    assert users["township_staff"].region.parent == users["county_staff"].region
    assert users["work_team"].region.parent == users["township_staff"].region


def assert_logs_in(username: str) -> None:
    """Log in through the real form, so that axes and the backends take part."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_printed_password(demo_output):
    for username in DEMO_USERNAMES:
        assert re.search(rf"^{username}\s+{DEMO_PASSWORD}\s", demo_output, re.MULTILINE)
        assert_logs_in(username)


@pytest.mark.django_db
def test_rerun_restores_only_the_password(demo_output):
    user = User.objects.get(username="county_staff")
    user.set_password("Changed2026word")
    user.display_name = "改过的名字"
    user.save()

    load_demo()

    user.refresh_from_db()
    assert user.display_name == "改过的名字"
    assert_logs_in("county_staff")


def test_demo_is_refused_where_demo_data_is_not_allowed(settings):
    from django.core.management import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())
