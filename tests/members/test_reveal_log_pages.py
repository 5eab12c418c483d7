"""个人信息查阅记录: the list pages of ID-number reveals, of members and of 贫困群众 alike."""

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services as assistance_services
from assistance.models import PoorResidentIdReveal
from members.models import IdNumberReveal
from tests.members.factories import id_number, make_member

pytestmark = pytest.mark.django_db

LOGS = {
    "members": SimpleNamespace(
        url=reverse("members:idnumberreveal_list"),
        title="身份证号查看记录",
        model=IdNumberReveal,
        field="member",
        make=lambda village, name: make_member(village, name=name),
    ),
    "residents": SimpleNamespace(
        url=reverse("assistance:poorresidentidreveal_list"),
        title="贫困群众身份证号查看记录",
        model=PoorResidentIdReveal,
        field="resident",
        make=lambda village, name: assistance_services.poor_resident_save(
            actor=None, name=name, id_number=id_number(), village=village
        ),
    ),
}


@pytest.fixture(params=list(LOGS))
def log(request):
    return LOGS[request.param]


def reveal(log, person, user, purpose="", days_ago=0):
    record = log.model.objects.create(**{log.field: person}, user=user, purpose=purpose)
    if days_ago:
        # revealed_at is auto_now_add: move it back after the insert
        when = timezone.now() - datetime.timedelta(days=days_ago)
        log.model.objects.filter(pk=record.pk).update(revealed_at=when)
        record.refresh_from_db()
    return record


def rows(response) -> list:
    return list(response.context["table"].page.object_list.data)


def test_lists_reveals_newest_first_with_viewer_person_link_and_purpose(log, county_client, tree, users):
    person = log.make(tree.a1v, "张三丰")
    older = reveal(log, person, users.county_staff, purpose="核对低保", days_ago=3)
    newer = reveal(log, person, users.city_staff, purpose="入户核查")
    response = county_client.get(log.url)
    assert response.status_code == 200
    assert rows(response) == [newer, older]
    body = response.content.decode()
    assert log.title in body
    assert "张三丰" in body
    assert person.get_absolute_url() in body
    assert "核对低保" in body
    assert "入户核查" in body
    assert str(users.city_staff) in body


def test_another_countys_reveal_never_shows(log, county_client, tree, users):
    mine = reveal(log, log.make(tree.a1v, "青山县的人"), users.county_staff)
    reveal(log, log.make(tree.b1v, "白河县的人"), users.county_b, purpose="白河县用途")
    response = county_client.get(log.url)
    assert rows(response) == [mine]
    body = response.content.decode()
    assert "白河县的人" not in body
    assert "白河县用途" not in body
    # the viewer filter offers only accounts seen in the reveals the user may see
    assert list(response.context["filter"].form.fields["user"].queryset) == [users.county_staff]
    # and picking the other county's account is refused by the form, not obeyed
    response = county_client.get(log.url, {"user": users.county_b.pk})
    assert "user" in response.context["filter"].form.errors


def test_city_staff_see_every_county(log, client, tree, users):
    reveal(log, log.make(tree.a1v, "青山县的人"), users.county_staff)
    reveal(log, log.make(tree.b1v, "白河县的人"), users.county_b)
    client.force_login(users.city_staff)
    assert len(rows(client.get(log.url))) == 2


def test_filters_by_viewer_and_date_range(log, county_client, tree, users):
    person = log.make(tree.a1v, "李桂芝")
    by_me = reveal(log, person, users.county_staff, days_ago=10)
    by_city = reveal(log, person, users.city_staff, days_ago=1)
    assert rows(county_client.get(log.url, {"user": users.city_staff.pk})) == [by_city]
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=5)).isoformat()
    assert rows(county_client.get(log.url, {"revealed_after": since})) == [by_city]
    assert rows(county_client.get(log.url, {"revealed_before": since})) == [by_me]
    both = {"revealed_after": (today - datetime.timedelta(days=20)).isoformat(), "revealed_before": today.isoformat()}
    assert rows(county_client.get(log.url, both)) == [by_city, by_me]


def test_bad_date_is_a_form_error_not_a_500(log, county_client):
    response = county_client.get(log.url, {"revealed_after": "不是日期"})
    assert response.status_code == 200
    assert "revealed_after" in response.context["filter"].form.errors


def test_paginated(log, county_client, tree, users):
    person = log.make(tree.a1v, "李桂芝")
    log.model.objects.bulk_create(log.model(**{log.field: person}, user=users.county_staff) for _ in range(55))
    response = county_client.get(log.url)
    assert response.context["table"].paginator.count == 55
    assert len(rows(response)) == 50
    assert len(rows(county_client.get(log.url, {"page": 2}))) == 5


def test_query_count_does_not_grow_with_rows(log, county_client, tree, users, django_assert_num_queries):
    people = [log.make(tree.a1v, "李桂芝"), log.make(tree.a1c, "王秀英")]
    reveal(log, people[0], users.county_staff)
    county_client.get(log.url)
    # session, user+region, user permissions, count, the viewer filter's choices, page
    with django_assert_num_queries(6):
        county_client.get(log.url)
    for person in people:
        for user in (users.county_staff, users.city_staff, users.admin):
            reveal(log, person, user)
    with django_assert_num_queries(6):
        response = county_client.get(log.url)
    assert response.context["table"].paginator.count == 7


@pytest.mark.parametrize("role", ["township_staff", "work_team", "cadre", "leader", "expert", "enterprise"])
def test_roles_without_the_view_permission_get_403(log, client, users, role):
    client.force_login(getattr(users, role))
    assert client.get(log.url).status_code == 403


def menu_urls(client) -> list[str]:
    return [item["url"] for item in client.get(reverse("home")).context["nav_items"]]


@pytest.mark.parametrize("role", ["city_staff", "county_staff", "admin"])
def test_menu_shows_the_log_to_roles_with_the_permission(log, client, users, role):
    client.force_login(getattr(users, role))
    assert log.url in menu_urls(client)


@pytest.mark.parametrize("role", ["township_staff", "leader"])
def test_menu_hides_the_log_from_other_roles(log, client, users, role):
    client.force_login(getattr(users, role))
    assert log.url not in menu_urls(client)
