"""The REST API: regions, party organizations, accounts, tokens, errors, schema."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from organization.models import PartyOrganization
from tests.organization.factories import PASSWORD, PartyOrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users.county_staff)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_regions_list_is_scoped_and_shaped(api, tree):
    rows = results(api.get("/api/v1/regions/"))
    assert {row["code"] for row in rows} == {tree.a.code, tree.a1.code, tree.a1v.code, tree.a1c.code}
    village = next(row for row in rows if row["code"] == tree.a1v.code)
    assert village == {
        "code": "419921001001",
        "name": "张庄村",
        "level": "village",
        "parent": "419921001000",
        "path": "河洛市/青山县/青石镇/张庄村",
        "is_urban": False,
    }


def test_regions_filter_by_level_and_parent(tree, users):
    client = APIClient()
    client.force_authenticate(users.city_staff)
    counties = results(client.get("/api/v1/regions/", {"level": "county"}))
    assert {row["name"] for row in counties} == {"青山县", "白河县"}
    children = results(client.get("/api/v1/regions/", {"parent": tree.a1.code}))
    assert {row["name"] for row in children} == {"张庄村", "建设路社区"}
    city = results(client.get("/api/v1/regions/", {"level": "city"}))
    assert city[0]["parent"] is None
    assert city[0]["path"] == "河洛市"


def test_bad_filter_value_is_a_400_with_a_chinese_message(api, tree):
    response = api.get("/api/v1/regions/", {"level": "planet"})
    assert response.status_code == 400
    assert "level" in response.json()
    assert "选择" in response.json()["level"][0]


def test_region_of_another_county_is_404(api, tree):
    assert api.get(f"/api/v1/regions/{tree.a1v.code}/").status_code == 200
    response = api.get(f"/api/v1/regions/{tree.b1v.code}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_regions_are_read_only(api, tree):
    assert api.post("/api/v1/regions/", {"code": "1", "name": "x"}).status_code == 405


def test_anonymous_is_refused(tree):
    response = APIClient().get("/api/v1/regions/")
    assert response.status_code in (401, 403)
    assert "身份认证信息未提供" in response.json()["detail"]


def test_token_authentication(client, users):
    response = client.post(reverse("api:api_token"), {"username": "county_staff", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/me/").json()["region_path"] == "河洛市/青山县"


def test_token_with_wrong_password(client, users):
    response = client.post(reverse("api:api_token"), {"username": "county_staff", "password": "nope"})
    assert response.status_code == 400
    assert "无法使用提供的认证信息登录" in response.json()["non_field_errors"][0]


def test_create_party_organization_through_the_service(api, tree, users):
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "中共张庄村支部委员会", "kind": "branch", "region": tree.a1v.code, "leader_name": "王建国"},
        format="json",
    )
    assert response.status_code == 201, response.content
    organization = PartyOrganization.objects.get()
    assert response.json()["region_path"] == "河洛市/青山县/青石镇/张庄村"
    assert organization.history.get().history_user == users.county_staff


def test_create_in_another_county_is_refused(api, tree):
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "中共李家湾村支部委员会", "kind": "branch", "region": tree.b1v.code, "leader_name": "李四"},
        format="json",
    )
    assert response.status_code == 400
    assert "region" in response.json()
    assert not PartyOrganization.objects.exists()


def test_service_validation_error_becomes_field_errors(api, tree):
    PartyOrganizationFactory(name="中共张庄村支部委员会", region=tree.a1v)
    response = api.post(
        "/api/v1/party-organizations/",
        {"name": "中共张庄村支部委员会", "kind": "branch", "region": tree.a1v.code, "leader_name": "王建国"},
        format="json",
    )
    assert response.status_code == 400
    assert "该区划已有同名党组织" in str(response.json())


def test_malformed_json_is_a_400(api, tree):
    response = api.generic("POST", "/api/v1/party-organizations/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


def test_leader_cannot_write(tree, users):
    client = APIClient()
    client.force_authenticate(users.leader)
    response = client.post("/api/v1/party-organizations/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "您的角色没有这项权限。"


def test_unknown_api_url_is_json_404(api):
    response = api.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_list_query_count_is_flat(tree, users, django_assert_num_queries):
    # given: token authentication, so every request loads its user afresh
    from rest_framework.authtoken.models import Token

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=users.county_staff).key}")
    for i in range(3):
        PartyOrganizationFactory(region=tree.a1v, name=f"组织{i}")
    # then: token+user+region (and whether it has permissions of its own), count, page
    with django_assert_num_queries(3):
        assert len(results(api.get("/api/v1/party-organizations/"))) == 3
    for i in range(30):
        PartyOrganizationFactory(region=tree.a1c, name=f"更多组织{i}")
    with django_assert_num_queries(3):
        assert len(results(api.get("/api/v1/party-organizations/"))) == 33


def test_schema_and_docs_answer_with_local_assets(client, users):
    client.force_login(users.county_staff)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/regions/" in schema.content.decode()
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn." not in body
