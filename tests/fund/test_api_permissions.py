"""Every fund API action checks the role's permission before it reads the body: a role
that may not act gets a 403, never a 400 listing what its body lacks; a role that may act
and sends a bad body gets the field errors, in Chinese."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from fund import services
from fund.models import FollowUp, FundApplication, FundEntry, Guarantee

from .factories import days_ago, guarantee_fields, make_application, receive

pytestmark = pytest.mark.django_db

API = "/api/v1/"
REQUIRED = ["该字段是必填项。"]


@pytest.fixture
def records(users, tree, city_fund):
    """One of each record an action acts on, all in 张庄村 (visible to every role below)."""
    receive(city_fund, "20000", actor=users.city_staff)
    paid = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="4000"))
    services.inspection_record(
        actor=users.work_team,
        application=paid,
        inspected_on=days_ago(1),
        findings="挪作他用",
        conclusion="misuse",
        required_action="限期纠正",
        deadline=days_ago(-15),
    )
    guarantee = Guarantee.objects.get()
    services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount=Decimal("1000"))  # so it has a call
    return SimpleNamespace(
        application=make_application(users, tree.a1v, stage="submitted"),
        entry=FundEntry.objects.order_by("pk").first(),
        guarantee=guarantee,
        follow_up=FollowUp.objects.get(),
    )


# (route, record, action, role without the permission, role with it, a required field of the body)
ACTIONS = [
    ("fund-applications", "application", "review", "work_team", "township_staff", "opinion"),
    ("fund-applications", "application", "refuse", "township_staff", "county_staff", "reason"),
    ("fund-applications", "application", "disburse", "township_staff", "city_staff", "source"),
    ("fund-applications", "application", "issue-guarantee", "work_team", "city_staff", "source"),
    ("fund-entries", "entry", "reverse", "leader", "city_staff", "reason"),
    ("guarantees", "guarantee", "call", "leader", "city_staff", "amount"),
    ("guarantees", "guarantee", "recoveries", "leader", "city_staff", "amount"),
    ("guarantees", "guarantee", "close-recovery", "leader", "city_staff", "reason"),
    ("fund-follow-ups", "follow_up", "close", "leader", "township_staff", "result"),
]


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(("route", "record", "action", "refused", "allowed", "field"), ACTIONS)
def test_the_permission_comes_before_the_body(users, records, route, record, action, refused, allowed, field):
    url = f"{API}{route}/{getattr(records, record).pk}/{action}/"
    statuses = FundApplication.objects.values_list("pk", "status").order_by("pk")
    before = list(statuses)
    response = client_for(getattr(users, refused)).post(url, {}, format="json")
    assert response.status_code == 403, response.json()
    assert response.json() == {"detail": "您的角色没有这项权限。"}
    response = client_for(getattr(users, allowed)).post(url, {}, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()[field] == REQUIRED
    assert list(statuses) == before


@pytest.mark.parametrize(("action", "refused"), [("submit", "township_staff"), ("approve", "work_team")])
def test_actions_without_a_body_are_403_for_a_role_without_the_permission(users, records, action, refused):
    url = f"{API}fund-applications/{records.application.pk}/{action}/"
    response = client_for(getattr(users, refused)).post(url, {"unexpected": "x"}, format="json")
    assert response.status_code == 403
    records.application.refresh_from_db()
    assert records.application.status == "submitted"


def test_out_of_the_jurisdiction_stays_a_404_for_a_role_with_the_permission(users, records):
    url = f"{API}fund-applications/{records.application.pk}/refuse/"
    assert client_for(users.county_b).post(url, {}, format="json").status_code == 404
