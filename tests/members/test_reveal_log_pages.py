"""身份证号查看记录: the list page of members' ID-number reveals (个人信息查阅记录)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import IdNumberReveal
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db

URL = reverse("members:idnumberreveal_list")


def reveal(member, user, purpose="", days_ago=0):
    record = IdNumberReveal.objects.create(member=member, user=user, purpose=purpose)
    if days_ago:
        # revealed_at is auto_now_add: move it back after the insert
        when = timezone.now() - datetime.timedelta(days=days_ago)
        IdNumberReveal.objects.filter(pk=record.pk).update(revealed_at=when)
        record.refresh_from_db()
    return record


def rows(response) -> list:
    return list(response.context["table"].page.object_list.data)


def test_lists_reveals_newest_first_with_viewer_member_link_and_purpose(county_client, tree, users):
    member = make_member(tree.a1v, name="张三丰")
    older = reveal(member, users.county_staff, purpose="核对低保", days_ago=3)
    newer = reveal(member, users.city_staff, purpose="入户核查")
    response = county_client.get(URL)
    assert response.status_code == 200
    assert rows(response) == [newer, older]
    body = response.content.decode()
    assert "身份证号查看记录" in body
    assert "张三丰" in body
    assert member.get_absolute_url() in body
    assert "核对低保" in body
    assert "入户核查" in body
    assert str(users.city_staff) in body


def test_another_countys_reveal_never_shows(county_client, tree, users):
    home = make_member(tree.a1v, name="青山县党员")
    foreign = make_member(tree.b1v, name="白河县党员")
    mine = reveal(home, users.county_staff)
    reveal(foreign, users.county_b, purpose="白河县用途")
    response = county_client.get(URL)
    assert rows(response) == [mine]
    body = response.content.decode()
    assert "白河县党员" not in body
    assert "白河县用途" not in body
    # the viewer filter offers only accounts seen in the reveals the user may see
    choices = list(response.context["filter"].form.fields["user"].queryset)
    assert choices == [users.county_staff]
    # and picking the other county's account is refused by the form, not obeyed
    response = county_client.get(URL, {"user": users.county_b.pk})
    assert "user" in response.context["filter"].form.errors


def test_city_staff_see_every_county(client, tree, users):
    reveal(make_member(tree.a1v), users.county_staff)
    reveal(make_member(tree.b1v), users.county_b)
    client.force_login(users.city_staff)
    assert len(rows(client.get(URL))) == 2


def test_filters_by_viewer_and_date_range(county_client, tree, users):
    member = make_member(tree.a1v)
    by_me = reveal(member, users.county_staff, days_ago=10)
    by_city = reveal(member, users.city_staff, days_ago=1)
    assert rows(county_client.get(URL, {"user": users.city_staff.pk})) == [by_city]
    today = timezone.localdate()
    since = (today - datetime.timedelta(days=5)).isoformat()
    assert rows(county_client.get(URL, {"revealed_after": since})) == [by_city]
    assert rows(county_client.get(URL, {"revealed_before": since})) == [by_me]
    both = {"revealed_after": (today - datetime.timedelta(days=20)).isoformat(), "revealed_before": today.isoformat()}
    assert rows(county_client.get(URL, both)) == [by_city, by_me]


def test_bad_date_is_a_form_error_not_a_500(county_client):
    response = county_client.get(URL, {"revealed_after": "不是日期"})
    assert response.status_code == 200
    assert "revealed_after" in response.context["filter"].form.errors


def test_paginated(county_client, tree, users):
    member = make_member(tree.a1v)
    IdNumberReveal.objects.bulk_create(IdNumberReveal(member=member, user=users.county_staff) for _ in range(55))
    response = county_client.get(URL)
    assert response.context["table"].paginator.count == 55
    assert len(rows(response)) == 50
    assert len(rows(county_client.get(URL, {"page": 2}))) == 5


def test_query_count_does_not_grow_with_rows(county_client, tree, users, django_assert_num_queries):
    members = [make_member(tree.a1v), make_member(tree.a1c)]
    reveal(members[0], users.county_staff)
    county_client.get(URL)
    # session, user+region, user permissions, count, the viewer filter's choices, page
    with django_assert_num_queries(6):
        county_client.get(URL)
    for member in members:
        for user in (users.county_staff, users.city_staff, users.admin):
            reveal(member, user)
    with django_assert_num_queries(6):
        response = county_client.get(URL)
    assert response.context["table"].paginator.count == 7


@pytest.mark.parametrize("role", ["township_staff", "work_team", "cadre", "leader", "expert", "enterprise"])
def test_roles_without_the_view_permission_get_403(client, users, role):
    client.force_login(getattr(users, role))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("role", ["city_staff", "county_staff", "admin"])
def test_menu_shows_the_log_to_roles_with_the_permission(client, users, role):
    client.force_login(getattr(users, role))
    urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert URL in urls


def test_menu_hides_the_log_from_other_roles(client, users):
    client.force_login(users.township_staff)
    urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert URL not in urls
