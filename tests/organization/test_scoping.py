"""visible_to: role permission first, then the jurisdiction's subtree."""

import pytest
from django.contrib.auth.models import AnonymousUser

from organization.choices import Role
from organization.models import PartyOrganization, Region, User
from tests.organization.factories import PartyOrganizationFactory, make_user

pytestmark = pytest.mark.django_db


def codes(queryset):
    return set(queryset.values_list("code", flat=True))


def test_county_sees_its_own_subtree_only(tree, users):
    # when
    visible = codes(Region.objects.visible_to(users.county_staff))
    # then
    assert visible == {tree.a.code, tree.a1.code, tree.a1v.code, tree.a1c.code}


def test_city_staff_sees_the_whole_city(tree, users):
    assert codes(Region.objects.visible_to(users.city_staff)) == codes(Region.objects.all())


def test_work_team_sees_its_village_only(tree, users):
    assert codes(Region.objects.visible_to(users.work_team)) == {tree.a1v.code}


def test_anonymous_and_inactive_see_nothing(tree, users):
    assert not Region.objects.visible_to(AnonymousUser()).exists()
    assert not Region.objects.visible_to(None).exists()
    users.county_staff.is_active = False
    assert not Region.objects.visible_to(users.county_staff).exists()


def test_superuser_sees_everything(tree, users):
    assert users.admin.is_superuser
    assert Region.objects.visible_to(users.admin).count() == Region.objects.count()


def test_role_without_permission_sees_nothing(tree, users):
    # given: experts hold no permission on party organizations
    PartyOrganizationFactory(region=tree.city)
    # then
    assert not PartyOrganization.objects.visible_to(users.expert).exists()
    assert PartyOrganization.objects.visible_to(users.city_staff).count() == 1


def test_read_only_leader_cannot_change(tree, users):
    PartyOrganizationFactory(region=tree.a)
    assert PartyOrganization.objects.visible_to(users.leader).count() == 1
    assert not PartyOrganization.objects.visible_to(users.leader, "change").exists()


def test_account_without_jurisdiction_sees_nothing(tree):
    user = User.objects.create_user(username="stray", password="x", role=Role.COUNTY_STAFF)
    assert not Region.objects.visible_to(user).exists()


def test_accounts_are_scoped_too(tree, users):
    visible = set(User.objects.visible_to(users.county_staff).values_list("username", flat=True))
    assert "county_b" not in visible
    assert {"county_staff", "township_staff", "work_team"} <= visible


def test_user_in_another_county_is_not_within(tree):
    assert tree.a1v.is_within(tree.a)
    assert not tree.b1v.is_within(tree.a)
    # a code that is a prefix of another must not leak: paths end with the separator
    assert not tree.a.path.startswith(tree.a1.path)


def test_sibling_with_prefix_code_is_not_visible(tree, users):
    from tests.organization.factories import make_region

    # given: a county whose code string starts like 青山县's would if paths had no separator
    make_region("419921000001", "误配区", "county", tree.city)
    # then
    assert "419921000001" not in codes(Region.objects.visible_to(users.county_staff))


def test_role_regions_are_enforced_on_accounts(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as excinfo:
        make_user(Role.COUNTY_STAFF, tree.a1, username="misplaced")
    assert "县区" in str(excinfo.value)
