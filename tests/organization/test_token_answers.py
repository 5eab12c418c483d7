"""A token client's repeated API list, served before sessions, URLs, DRF and the database
(organization.api.caching.TokenAnswerMiddleware), and only while the token is trusted."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organization.api.authentication import cache_key, digest, stamp_key
from tests.members.factories import make_member
from tests.organization.test_list_cache import URL, client_for, names

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def both_caches(settings):
    settings.API_LIST_CACHE_SECONDS = 10
    settings.API_AUTH_CACHE_SECONDS = 10
    cache.clear()
    yield
    cache.clear()


def token_of(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def test_a_repeated_list_costs_no_query_and_is_the_same_answer(tree, users):
    make_member(tree.a1v, name="甲")
    api = client_for(users.county_staff)
    first = api.get(URL)
    assert first["X-List-Cache"] == "miss"
    with CaptureQueriesContext(connection) as captured:
        again = api.get(URL)
    assert captured.captured_queries == []
    assert again["X-List-Cache"] == "hit"
    assert again.content == first.content
    for header in ("Content-Type", "Content-Language", "Vary", "Allow", "X-Frame-Options"):
        assert again[header] == first[header], header


def test_never_served_to_another_token_or_a_wrong_one(tree, users):
    make_member(tree.a1v, name="青山的")
    make_member(tree.b1v, name="白河的")
    assert names(client_for(users.county_staff).get(URL)) == {"青山的"}
    assert names(client_for(users.county_b).get(URL)) == {"白河的"}
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    refused = stranger.get(URL)
    # 403 rather than 401: the first authentication class (sessions) sends no challenge
    assert refused.status_code == 403
    assert refused.json()["detail"] == "认证令牌无效。"


def test_a_deleted_token_or_a_deactivated_account_is_refused_at_once(tree, users):
    make_member(tree.a1v)
    api = client_for(users.county_staff)
    assert api.get(URL).status_code == 200
    assert api.get(URL)["X-List-Cache"] == "hit"
    users.county_staff.is_active = False
    users.county_staff.save()
    assert api.get(URL).json()["detail"] == "该账号已停用，请联系管理员。"

    other = client_for(users.township_staff)
    assert other.get(URL).status_code == 200
    assert other.get(URL)["X-List-Cache"] == "hit"
    Token.objects.filter(user=users.township_staff).delete()
    assert other.get(URL).json()["detail"] == "认证令牌无效。"


def test_the_answer_is_not_trusted_longer_than_the_token(tree, users):
    """The stamp lives as long as the remembered token: once the token must be checked against
    the database again (expired, evicted), the answer kept under the old stamp is not served
    before that check."""
    api = client_for(users.county_staff)
    api.get(URL)
    key = token_of(users.county_staff)
    cache.delete_many([cache_key(key), stamp_key(digest(key))])  # as their common expiry does
    with CaptureQueriesContext(connection) as captured:
        assert api.get(URL).status_code == 200
    assert any("authtoken_token" in query["sql"] for query in captured.captured_queries)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(URL)["X-List-Cache"] == "hit"
    assert captured.captured_queries == []  # kept again, under the new check's stamp


def test_a_session_beside_the_token_is_answered_for_the_session(tree, users):
    """DRF authenticates a session before a token: the early answer, kept for the token, must
    not stand in for what the session's account sees."""
    make_member(tree.a1v, name="青山的")
    make_member(tree.b1v, name="白河的")
    api = client_for(users.county_staff)
    assert names(api.get(URL)) == {"青山的"}
    api.force_login(users.county_b)
    assert names(api.get(URL)) == {"白河的"}


def test_the_chosen_language_and_format_are_different_answers(settings, tree, users):
    make_member(tree.a1v)
    api = client_for(users.county_staff)
    chinese = api.get(URL)
    assert api.get(URL)["X-List-Cache"] == "hit"
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = api.get(URL)
    assert english["X-List-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert chinese["Content-Language"] == "zh-hans"
    assert api.get(URL, HTTP_ACCEPT="text/html").get("X-List-Cache") is None


def test_records_and_errors_are_never_kept(tree, users):
    member = make_member(tree.a1v)
    api = client_for(users.county_staff)
    for _ in range(2):
        assert api.get(f"{URL}{member.pk}/").get("X-List-Cache") is None
        assert api.get(URL + "?page=99").status_code == 404


def test_off_unless_tokens_are_remembered(settings, tree, users):
    settings.API_AUTH_CACHE_SECONDS = 0
    api = client_for(users.county_staff)
    api.get(URL)
    with CaptureQueriesContext(connection) as captured:
        again = api.get(URL)
    assert again["X-List-Cache"] == "hit"  # the list cache, reached through DRF
    assert captured.captured_queries, "without remembered tokens the token is checked in the database"


def test_a_records_get_pays_no_early_cache_lookup(tree, users, monkeypatch):
    """Only paths a list answer was kept for are looked up before DRF: a record never hits."""
    from organization.api import caching

    lookups = []
    get_many = caching.cache.get_many
    monkeypatch.setattr(caching.cache, "get_many", lambda keys: lookups.append(keys) or get_many(keys))
    member = make_member(tree.a1v)
    api = client_for(users.county_staff)
    for _ in range(2):
        assert api.get(f"{URL}{member.pk}/").status_code == 200
    assert lookups == []
    api.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(URL)["X-List-Cache"] == "hit"
    assert captured.captured_queries == []  # served early, not by DRF's list cache
    assert any("api-token-stamp" in key for keys in lookups for key in keys)
