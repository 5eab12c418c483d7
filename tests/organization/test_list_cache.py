"""The API lists' micro-cache (organization.api.caching): per account, short, bypassable,
and never hiding a user's own change."""

from datetime import date

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organization.choices import Role
from tests.members.factories import id_number, make_member

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/"


@pytest.fixture(autouse=True, params=[0, 10], ids=["lists only", "with tokens remembered"])
def list_cache(request, settings):
    """Every rule here holds with and without the token cache, i.e. also for the answers
    served before DRF runs (TokenAnswerMiddleware, on only when both caches are)."""
    settings.API_LIST_CACHE_SECONDS = 10
    settings.API_AUTH_CACHE_SECONDS = request.param
    cache.clear()
    yield
    cache.clear()


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def test_a_repeated_list_is_served_from_the_cache_until_asked_fresh(tree, users):
    make_member(tree.a1v, name="甲")
    api = client_for(users.county_staff)
    first = api.get(URL)
    assert first["X-List-Cache"] == "miss"
    assert names(first) == {"甲"}

    make_member(tree.a1v, name="乙")  # someone else's change, not through this account
    again = api.get(URL)
    assert again["X-List-Cache"] == "hit"
    assert again.content == first.content
    assert int(again["Age"]) >= 0

    fresh = api.get(URL, HTTP_CACHE_CONTROL="no-cache")
    assert fresh["X-List-Cache"] == "miss"
    assert names(fresh) == {"甲", "乙"}
    assert names(api.get(URL)) == {"甲", "乙"}  # the fresh answer replaced the old one


def test_each_account_gets_only_its_own_answers(tree, users):
    make_member(tree.a1v, name="青山的")
    make_member(tree.b1v, name="白河的")
    a, b = client_for(users.county_staff), client_for(users.county_b)
    assert names(a.get(URL)) == {"青山的"}
    assert names(b.get(URL)) == {"白河的"}
    assert a.get(URL)["X-List-Cache"] == "hit"
    assert names(a.get(URL)) == {"青山的"}
    assert names(b.get(URL)) == {"白河的"}


def test_a_changed_role_or_jurisdiction_is_a_different_answer(tree, users):
    make_member(tree.a1v, name="青山的")
    make_member(tree.b1v, name="白河的")
    staff = users.county_staff
    api = client_for(staff)
    assert names(api.get(URL)) == {"青山的"}
    staff.region = tree.b
    staff.save()
    assert names(api.get(URL)) == {"白河的"}
    staff.role = Role.WORK_TEAM  # a work team sees only the villages it is stationed in
    staff.save()
    assert api.get(URL)["X-List-Cache"] != "hit"


def test_the_users_own_change_shows_at_once(tree, users):
    api = client_for(users.county_staff)
    assert names(api.get(URL)) == set()
    payload = {
        "name": "新登记",
        "id_number": id_number(date(1972, 5, 3)),
        "labour_capacity": "ordinary",
        "household_size": 4,
        "village": tree.a1v.code,
        "poverty_causes": ["illness"],
        "income_per_head": "2600.50",
    }
    assert api.post(URL, payload, format="json").status_code == 201
    after = api.get(URL)
    assert after["X-List-Cache"] == "miss"
    assert names(after) == {"新登记"}


def test_a_refused_change_does_not_count_as_a_write(tree, users):
    api = client_for(users.county_staff)
    api.get(URL)
    assert api.post(URL, {"name": ""}, format="json").status_code == 400
    assert api.get(URL)["X-List-Cache"] == "hit"


def test_a_change_made_on_a_page_counts_too(client, tree, users):
    """The same person working in the browser and through a client: their change shows."""
    member = make_member(tree.a1v, name="改名前")
    api = client_for(users.county_staff)
    assert names(api.get(URL)) == {"改名前"}
    client.force_login(users.county_staff)
    member.name = "改名后"
    member.save()
    client.post("/i18n/setlang/", {"language": "zh-hans"})  # any successful unsafe request
    assert names(api.get(URL)) == {"改名后"}


def test_only_json_lists_are_kept(tree, users):
    make_member(tree.a1v)
    api = client_for(users.county_staff)
    api.get(URL, HTTP_ACCEPT="text/html")
    assert api.get(URL, HTTP_ACCEPT="text/html").get("X-List-Cache") is None
    member = make_member(tree.a1v)
    assert api.get(f"{URL}{member.pk}/").get("X-List-Cache") is None  # one record: always read


def test_errors_are_not_kept(tree, users):
    api = client_for(users.county_staff)
    assert api.get(URL + "?page=99").status_code == 404
    assert api.get(URL + "?page=99").get("X-List-Cache") is None


def test_turned_off_with_zero(settings, tree, users):
    settings.API_LIST_CACHE_SECONDS = 0
    api = client_for(users.county_staff)
    api.get(URL)
    assert api.get(URL).get("X-List-Cache") is None


def test_query_strings_are_different_answers(tree, users):
    make_member(tree.a1v, name="张三")
    make_member(tree.a1v, name="李四")
    api = client_for(users.county_staff)
    assert names(api.get(URL + "?q=张三")) == {"张三"}
    assert names(api.get(URL + "?q=李四")) == {"李四"}


def test_a_cache_outage_costs_speed_not_answers(settings, tree, users):
    """CACHE_URL names a Redis that is down: lists and token checks still answer, from the database."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
        }
    }
    settings.API_AUTH_CACHE_SECONDS = 10
    make_member(tree.a1v, name="照常")
    api = client_for(users.county_staff)
    for _ in range(2):
        response = api.get(URL)
        assert names(response) == {"照常"}
        assert response["X-List-Cache"] == "miss"
