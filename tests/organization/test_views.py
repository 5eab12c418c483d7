"""Pages: login, home per role, scoped lists and details, editing through services."""

import pytest
from django.urls import reverse

from organization.choices import Role
from organization.models import PartyOrganization
from tests.organization.factories import PASSWORD, PartyOrganizationFactory, make_region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_lands_on_its_home_page(client, users, role):
    # when
    response = client.post(reverse("login"), {"username": str(role), "password": PASSWORD}, follow=True)
    # then
    assert response.redirect_chain[-1][0] == reverse("home")
    assert f"home/{role}.html" in [t.name for t in response.templates]
    assert response.context["user"].username == str(role)
    assert 'data-testid="home-title"' in response.content.decode()


def test_wrong_password_gets_a_chinese_message(client, users):
    response = client.post(reverse("login"), {"username": "county_staff", "password": "wrong-password1"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()


def test_pages_need_login(client, tree):
    response = client.get(reverse("organization:region_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_counts_only_the_jurisdiction(county_client, tree):
    response = county_client.get(reverse("home"))
    counts = dict(response.context["region_counts"])
    assert counts["县区"] == 1
    assert counts["村/社区"] == 2
    assert "青山县" in response.content.decode()


def test_region_in_another_county_is_404(county_client, tree):
    assert county_client.get(tree.a1v.get_absolute_url()).status_code == 200
    assert county_client.get(tree.b1v.get_absolute_url()).status_code == 404
    assert county_client.get(tree.b.get_absolute_url()).status_code == 404


def test_region_list_shows_only_own_county(county_client, tree):
    body = county_client.get(reverse("organization:region_list")).content.decode()
    assert "张庄村" in body
    assert "李家湾村" not in body
    assert "白河县" not in body


def test_region_list_filters_by_level(county_client, tree):
    response = county_client.get(reverse("organization:region_list"), {"level": "village"})
    names = {row.record.name for row in response.context["table"].page.object_list}
    assert names == {"张庄村", "建设路社区"}


def test_region_list_query_count_does_not_grow_with_rows(county_client, tree, django_assert_num_queries):
    url = reverse("organization:region_list")
    county_client.get(url)  # warm the permission cache path once
    with django_assert_num_queries(5) as small:
        county_client.get(url)
    for i in range(30):
        make_region(f"419921001{100 + i:03d}", f"新村{i}", "village", tree.a1)
    with django_assert_num_queries(len(small.captured_queries)):
        county_client.get(url)


def test_role_without_permission_gets_403(client, users):
    client.force_login(users.expert)
    assert client.get(reverse("organization:party_organization_list")).status_code == 403


def test_create_party_organization(county_client, tree, users):
    # when
    response = county_client.post(
        reverse("organization:party_organization_add"),
        {"name": "中共张庄村支部委员会", "kind": "branch", "region": tree.a1v.pk, "leader_name": "王建国"},
    )
    # then
    organization = PartyOrganization.objects.get(name="中共张庄村支部委员会")
    assert response.status_code == 302
    assert response["Location"] == organization.get_absolute_url()
    assert organization.history.first().history_user == users.county_staff


def test_create_with_errors_shows_chinese_messages_and_saves_nothing(county_client, tree):
    response = county_client.post(
        reverse("organization:party_organization_add"),
        {"name": "", "kind": "branch", "region": tree.a1v.pk, "leader_phone": "abc"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "该字段是必填项" in body
    assert "请输入有效的电话号码" in body
    assert not PartyOrganization.objects.exists()


def test_cannot_create_in_another_county(county_client, tree):
    response = county_client.post(
        reverse("organization:party_organization_add"),
        {"name": "中共李家湾村支部委员会", "kind": "branch", "region": tree.b1v.pk, "leader_name": "李四"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not PartyOrganization.objects.exists()


def test_duplicate_name_in_region_is_refused(county_client, tree):
    PartyOrganizationFactory(name="中共张庄村支部委员会", region=tree.a1v)
    response = county_client.post(
        reverse("organization:party_organization_add"),
        {"name": "中共张庄村支部委员会", "kind": "branch", "region": tree.a1v.pk, "leader_name": "王建国"},
    )
    assert "该区划已有同名党组织" in response.content.decode()
    assert PartyOrganization.objects.count() == 1


def test_edit_keeps_history_with_who_and_what(county_client, tree, users):
    organization = PartyOrganizationFactory(region=tree.a1v, leader_name="王建国")
    url = reverse("organization:party_organization_edit", args=[organization.pk])
    county_client.post(
        url, {"name": organization.name, "kind": "branch", "region": tree.a1v.pk, "leader_name": "赵卫东"}
    )
    body = county_client.get(reverse("organization:party_organization_history", args=[organization.pk])).content
    text = body.decode()
    assert "王建国" in text
    assert "赵卫东" in text
    assert users.county_staff.display_name in text


def test_leader_cannot_edit(client, tree, users):
    organization = PartyOrganizationFactory(region=tree.a1v)
    client.force_login(users.leader)
    assert client.get(organization.get_absolute_url()).status_code == 200
    assert client.get(reverse("organization:party_organization_edit", args=[organization.pk])).status_code == 403


def test_edit_in_another_county_is_404(county_client, tree):
    organization = PartyOrganizationFactory(region=tree.b1v)
    assert county_client.get(reverse("organization:party_organization_edit", args=[organization.pk])).status_code == 404


def test_unknown_url_is_a_chinese_404(county_client):
    response = county_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_logout(county_client):
    response = county_client.post(reverse("logout"))
    assert response.status_code == 302
    assert county_client.get(reverse("home")).status_code == 302


def test_pages_are_phone_ready_and_use_local_assets(county_client):
    body = county_client.get(reverse("home")).content.decode()
    assert 'name="viewport"' in body
    assert "/static/bootstrap/css/bootstrap.min.css" in body
    assert "cdn" not in body.lower()
    assert 'lang="zh-hans"' in body


def test_english_interface(county_client):
    county_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = county_client.get(reverse("home")).content.decode()
    assert "County organization department" in body


def test_chinese_even_when_the_browser_asks_for_english(county_client):
    response = county_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "县区组织部门工作台" in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_filters_collapse_on_phones_and_keep_chinese_choices(county_client, tree):
    body = county_client.get(reverse("organization:region_list")).content.decode()
    assert 'id="filters"' in body
    assert "城市（社区）" in body


def test_one_menu_item_is_current(county_client):
    items = county_client.get("/members/import/").context["nav_items"]
    assert [item["label"] for item in items if item["active"]] == ["台账导入"]
    items = county_client.get("/members/").context["nav_items"]
    assert [item["label"] for item in items if item["active"]] == ["贫困党员档案"]


def test_the_menu_has_one_entry_per_area(county_client):
    """An area with several pages is a drop-down named after the area; a single page is a link."""
    groups = county_client.get("/members/import/").context["nav_groups"]
    labels = [str(group["label"]) for group in groups]
    assert labels[:2] == ["首页", "贫困党员档案"]
    assert len(labels) == len(set(labels))
    register = groups[1]
    assert register["active"]
    assert [str(item["label"]) for item in register["items"]][:2] == ["贫困党员档案", "台账导入"]
    assert [str(group["label"]) for group in groups if group["active"]] == ["贫困党员档案"]
