"""The demo city's members: plausible, varied and idempotent."""

import pytest

from members.choices import NoticeState, Status, Track
from members.demo import build_demo_members
from members.models import Member, StatusChange
from organization.demo import build_demo_city

pytestmark = pytest.mark.django_db


def test_demo_members_are_varied_and_a_rerun_adds_nothing():
    build_demo_city()
    first = build_demo_members(per_village=(0, 1))
    # then: every county has members, and the casework shows each stage
    assert first["created"] > 100
    assert Member.objects.values("county").distinct().count() == 6
    assert set(Member.objects.values_list("track", flat=True)) == set(Track.values)
    assert Member.objects.filter(status=Status.OUT).exists()
    assert StatusChange.objects.filter(state=NoticeState.NOTICING).exists()
    assert StatusChange.objects.filter(state=NoticeState.CONFIRMED).exists()
    assert Member.objects.filter(plans__is_current=True).exists()
    assert Member.objects.filter(is_urban=True).exists()
    # when: it runs again
    second = build_demo_members(per_village=(0, 1))
    # then
    assert second == {"created": 0, "total": first["total"]}
