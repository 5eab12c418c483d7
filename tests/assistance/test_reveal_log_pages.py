"""贫困群众身份证号查看记录: the list page of poor residents' ID-number reveals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.models import PoorResidentIdReveal
from tests.members.factories import id_number

pytestmark = pytest.mark.django_db

URL = reverse("assistance:poorresidentidreveal_list")


def resident(village, name):
    return services.poor_resident_save(actor=None, name=name, id_number=id_number(), village=village)


def reveal(person, user, purpose="", days_ago=0):
    record = PoorResidentIdReveal.objects.create(resident=person, user=user, purpose=purpose)
    if days_ago:
        # revealed_at is auto_now_add: move it back after the insert
        when = timezone.now() - datetime.timedelta(days=days_ago)
        PoorResidentIdReveal.objects.filter(pk=record.pk).update(revealed_at=when)
        record.refresh_from_db()
    return record


def rows(response) -> list:
    return list(response.context["table"].page.object_list.data)


def test_lists_reveals_newest_first_with_viewer_resident_link_and_purpose(county_client, tree, users):
    person = resident(tree.a1v, "李桂芝")
    older = reveal(person, users.county_staff, purpose="核对低保", days_ago=3)
    newer = reveal(person, users.city_staff, purpose="入户核查")
    response = county_client.get(URL)
    assert response.status_code == 200
    assert rows(response) == [newer, older]
    body = response.content.decode()
    assert "贫困群众身份证号查看记录" in body
    assert "李桂芝" in body
    assert person.get_absolute_url() in body
    assert "核对低保" in body
    assert "入户核查" in body
    assert str(users.city_staff) in body


def test_another_countys_reveal_never_shows(county_client, tree, users):
    mine = reveal(resident(tree.a1v, "青山县群众"), users.county_staff)
    reveal(resident(tree.b1v, "白河县群众"), users.county_b, purpose="白河县用途")
    response = county_client.get(URL)
    assert rows(response) == [mine]
    body = response.content.decode()
    assert "白河县群众" not in body
    assert "白河县用途" not in body
    assert list(response.context["filter"].form.fields["user"].queryset) == [users.county_staff]
    response = county_client.get(URL, {"user": users.county_b.pk})
    assert "user" in response.context["filter"].form.errors


def test_city_staff_see_every_county(client, tree, users):
    reveal(resident(tree.a1v, "青山县群众"), users.county_staff)
    reveal(resident(tree.b1v, "白河县群众"), users.county_b)
    client.force_login(users.city_staff)
    assert len(rows(client.get(URL))) == 2


def test_filters_by_viewer_and_date_range(county_client, tree, users):
    person = resident(tree.a1v, "李桂芝")
    by_me = reveal(person, users.county_staff, days_ago=10)
    by_city = reveal(person, users.city_staff, days_ago=1)
    assert rows(county_client.get(URL, {"user": users.city_staff.pk})) == [by_city]
    since = (timezone.localdate() - datetime.timedelta(days=5)).isoformat()
    assert rows(county_client.get(URL, {"revealed_after": since})) == [by_city]
    assert rows(county_client.get(URL, {"revealed_before": since})) == [by_me]


def test_paginated(county_client, tree, users):
    person = resident(tree.a1v, "李桂芝")
    PoorResidentIdReveal.objects.bulk_create(
        PoorResidentIdReveal(resident=person, user=users.county_staff) for _ in range(51)
    )
    assert len(rows(county_client.get(URL))) == 50
    assert len(rows(county_client.get(URL, {"page": 2}))) == 1


def test_query_count_does_not_grow_with_rows(county_client, tree, users, django_assert_num_queries):
    people = [resident(tree.a1v, "李桂芝"), resident(tree.a1c, "王秀英")]
    reveal(people[0], users.county_staff)
    county_client.get(URL)
    # session, user+region, user permissions, count, the viewer filter's choices, page
    with django_assert_num_queries(6):
        county_client.get(URL)
    for person in people:
        for user in (users.county_staff, users.city_staff, users.admin):
            reveal(person, user)
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
    client.force_login(users.leader)
    urls = [item["url"] for item in client.get(reverse("home")).context["nav_items"]]
    assert URL not in urls
