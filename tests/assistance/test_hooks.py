"""What the assistance area adds elsewhere: work items, the member file, role permissions."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assistance import selectors, services
from assistance.choices import HelperKind
from assistance.models import Difficulty

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def kinds(items) -> list[str]:
    return sorted(item["kind"] for item in items)


def test_work_items_for_a_cadre_staff_and_a_team(world, users):
    services.visit_policy_set(actor=users.city_staff, kind=HelperKind.CADRE, every_days=7)
    # the cadre's paired member has not been visited for a month
    items = selectors.work_items(users.cadre)
    assert kinds(items) == ["visit_due"]
    assert "张庄党员" in items[0]["title"]
    assert items[0]["url"].endswith(f"?member={world.zhang.pk}")
    # the team's difficulty runs past its deadline
    difficulty = services.difficulty_raise(
        actor=users.work_team,
        member=world.zhang,
        kind="funds",
        description="缺资金",
        coordinator=world.team,
        deadline=TODAY,
    )
    Difficulty.objects.filter(pk=difficulty.pk).update(deadline=TODAY - timedelta(days=1))
    assert kinds(selectors.work_items(users.work_team)) == ["difficulty_overdue"]
    # staff: the overdue difficulty, both cadres' overdue visits, and a referral to confirm
    services.referrals_propose()
    staff = kinds(selectors.work_items(users.county_staff))
    assert staff.count("referral_proposal") == 1
    assert staff.count("difficulty_overdue") == 1
    assert staff.count("visit_due") == 2
    # another county sees none of it
    assert selectors.work_items(users.county_b) == []


def test_work_items_in_fixed_queries(world, users, django_assert_max_num_queries):
    users.county_staff.has_perm("assistance.view_pairing")
    with django_assert_max_num_queries(6):
        selectors.work_items(users.county_staff)


def test_member_file_shows_support_services_and_referral(world, users, tree, client):
    services.enterprise_support_record(
        actor=users.enterprise,
        member=world.zhang2,
        enterprise=world.enterprise,
        kind="equipment",
        description="饲草粉碎机",
        value=Decimal("3800"),
    )
    services.centre_service_save(
        actor=users.urban_centre,
        member=world.urban,
        centre=world.centre,
        kind="job_referral",
        description="推荐就业",
        employer="安居物业",
        post="保洁班长",
    )
    services.referral_create(actor=users.county_staff, member=world.old)
    client.force_login(users.county_staff)
    assert "饲草粉碎机" in client.get(world.zhang2.get_absolute_url()).content.decode()
    assert "安居物业" in client.get(world.urban.get_absolute_url()).content.decode()
    assert "五保供养" in client.get(world.old.get_absolute_url()).content.decode()
    # the enterprise reads its paired member's file, and nobody else's
    client.force_login(users.enterprise)
    assert client.get(world.zhang2.get_absolute_url()).status_code == 200
    assert client.get(world.zhang.get_absolute_url()).status_code == 404


def test_member_file_section_in_three_queries(world, users, rf, django_assert_max_num_queries):
    from assistance.views import member_file_section

    request = rf.get("/")
    request.user = users.county_staff
    users.county_staff.has_perm("assistance.view_pairing")
    with django_assert_max_num_queries(3):
        section = member_file_section(request, world.zhang)
    assert [p.helper.name for p in section["pairings"]] == ["李副县长"]


def test_roles_that_only_read(world, users, client):
    client.force_login(users.leader)
    assert client.get("/assistance/visits/").status_code == 200
    assert client.get("/assistance/visits/add/").status_code == 403
    client.force_login(users.expert)
    assert client.get("/assistance/visits/").status_code == 403
