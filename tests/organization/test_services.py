"""Rules of the region tree and of accounts, through the services."""

import pytest
from django.core.exceptions import ValidationError

from organization import services
from organization.choices import RegionLevel, Role
from organization.models import Region
from tests.organization.factories import make_region, make_user

pytestmark = pytest.mark.django_db


def test_paths_and_names_follow_the_tree(tree):
    assert tree.a1v.path == "/419900000000/419921000000/419921001000/419921001001/"
    assert tree.a1v.full_name == "河洛市/青山县/青石镇/张庄村"


def test_level_must_follow_the_parent(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_region("419921002000", "错层村", RegionLevel.VILLAGE, tree.a)
    assert "青山县 的下级应为“乡镇/街道”" in str(excinfo.value)
    assert not Region.objects.filter(code="419921002000").exists()


def test_nothing_below_a_village(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_region("419921001999", "村下村", RegionLevel.VILLAGE, tree.a1v)
    assert "不能再设下级" in str(excinfo.value)


def test_only_villages_can_be_urban(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_region("419921003000", "城关镇", RegionLevel.TOWNSHIP, tree.a, is_urban=True)
    assert "只有村/社区层级可以标记为城市社区" in str(excinfo.value)


def test_codes_are_twelve_digits_and_unique(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_region("4199", "短码县", RegionLevel.COUNTY, tree.city)
    assert "12位数字" in str(excinfo.value)
    with pytest.raises(ValidationError):
        make_region(tree.a.code, "重复县", RegionLevel.COUNTY, tree.city)


def test_a_second_city_needs_no_parent_but_others_do(tree):
    with pytest.raises(ValidationError):
        make_region("419923000000", "无上级县", RegionLevel.COUNTY, None)


def test_renaming_refreshes_names_below_and_keeps_history(tree, users):
    services.region_update(region=tree.a, actor=users.admin, name="青山区")
    tree.a1v.refresh_from_db()
    assert tree.a1v.full_name == "河洛市/青山区/青石镇/张庄村"
    assert tree.a.history.first().history_user == users.admin
    assert tree.a.history.first().name == "青山区"


def test_region_code_cannot_be_changed_through_update(tree):
    with pytest.raises(ValidationError):
        services.region_update(region=tree.a, code="419929000000")


def test_admin_accounts_are_superusers_and_others_are_not(tree):
    admin = make_user(Role.ADMIN, tree.city, username="root2")
    clerk = make_user(Role.COUNTY_STAFF, tree.a, username="clerk2")
    assert admin.is_superuser
    assert admin.is_staff
    assert not clerk.is_superuser
    assert not clerk.is_staff


def test_account_needs_a_jurisdiction(tree):
    with pytest.raises(ValidationError) as excinfo:
        make_user(Role.WORK_TEAM, None, username="nowhere")
    assert "管辖范围" in str(excinfo.value)


def test_role_permissions_cover_only_what_the_role_needs(tree, users):
    assert users.leader.has_perm("organization.view_partyorganization")
    assert not users.leader.has_perm("organization.change_partyorganization")
    assert users.county_staff.has_perm("organization.add_partyorganization")
    assert not users.county_staff.has_perm("organization.add_region")
    assert not users.work_team.has_perm("organization.view_user")
