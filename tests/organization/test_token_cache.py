"""Token authentication: one query, none for a token checked moments ago, and any change
to the account, its permissions or the token forgets what was remembered."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from organization import services
from organization.api.authentication import cache_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/regions/"


@pytest.fixture
def remembering(settings):
    settings.API_AUTH_CACHE_SECONDS = 10
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> tuple[APIClient, str]:
    key = Token.objects.get_or_create(user=user)[0].key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, key


def queries(client, url=URL) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured.captured_queries]


def test_a_remembered_token_needs_no_query(remembering, users):
    api, key = token_client(users.county_staff)
    first = queries(api)
    assert any("authtoken_token" in sql for sql in first)
    second = queries(api)
    assert not any("authtoken_token" in sql for sql in second)
    assert len(second) == len(first) - 1


def test_what_is_remembered_holds_no_password_hash(remembering, users):
    api, key = token_client(users.county_staff)
    queries(api)
    user, token = cache.get(cache_key(key))
    assert user.pk == users.county_staff.pk
    assert "password" in user.get_deferred_fields()
    assert users.county_staff.password not in repr(user.__dict__)
    assert key not in str(cache_key(key))


def test_a_deactivated_account_is_refused_at_once(remembering, users):
    api, _key = token_client(users.county_staff)
    queries(api)
    services.user_update(actor=users.admin, user=users.county_staff, is_active=False)
    response = api.get(URL)
    # 403 rather than 401: the first authentication class (sessions) sends no challenge
    assert response.status_code == 403
    assert response.json()["detail"] == "该账号已停用，请联系管理员。"


def test_a_deleted_token_is_refused_at_once(remembering, users):
    api, key = token_client(users.county_staff)
    queries(api)
    Token.objects.filter(key=key).delete()
    response = api.get(URL)
    assert response.status_code == 403
    assert response.json()["detail"] == "认证令牌无效。"


def test_a_moved_account_sees_its_new_jurisdiction_at_once(remembering, tree, users):
    api, _key = token_client(users.county_staff)
    codes = {row["code"] for row in api.get(URL).json()["results"]}
    assert tree.a.code in codes
    services.user_update(actor=users.admin, user=users.county_staff, region=tree.b)
    codes = {row["code"] for row in api.get(URL).json()["results"]}
    assert tree.b.code in codes
    assert tree.a.code not in codes


@pytest.mark.parametrize("remember", [0, 10])
def test_a_permission_granted_to_one_account_applies_at_once(settings, remember, users):
    settings.API_AUTH_CACHE_SECONDS = remember
    cache.clear()
    api, _key = token_client(users.leader)  # a leader reads; it may not add regions
    api.get(URL)
    add_region = Permission.objects.get(codename="add_region", content_type__app_label="organization")
    assert api.post(URL, {}, format="json").status_code in (403, 405)
    users.leader.user_permissions.add(add_region)
    assert "organization.add_region" in {
        f"{p.content_type.app_label}.{p.codename}" for p in users.leader.user_permissions.all()
    }
    # the account's own permission is read again (no stale "none of its own")
    with CaptureQueriesContext(connection) as captured:
        api.get(URL)
    assert any("auth_permission" in query["sql"] for query in captured.captured_queries)
    cache.clear()


def test_an_account_without_permissions_of_its_own_needs_no_permission_query(users):
    api, _key = token_client(users.county_staff)
    assert not any("auth_permission" in sql for sql in queries(api))
