"""Training tests: the test work-team account is stationed in its village.

A work team's member jurisdiction belongs to the assistance app (``member_scopes``
hook: the villages its team is stationed in). When that app scopes work teams, the
team of ``users.work_team`` is stationed in 张庄村 (``tree.a1v``), its account's village,
so the training rules see the same jurisdiction either way.
"""

from datetime import date

import pytest
from django.apps import apps

from organization.choices import Role
from organization.hooks import role_hooks


def station(user, villages, *, name="张庄村驻村工作队"):
    if Role.WORK_TEAM not in role_hooks("member_scopes"):
        return None
    work_team_model = apps.get_model("assistance", "WorkTeam")
    account_model = apps.get_model("assistance", "HelperAccount")
    team = work_team_model.objects.create(
        kind="work_team",
        name=name,
        region=villages[0].parent,
        sending_unit="市委组织部",
        captain="王队长",
        starts_on=date(2020, 1, 1),
    )
    team.villages.set(villages)
    account_model.objects.create(helper=team, user=user)
    return team


@pytest.fixture(autouse=True)
def stationed_work_team(request):
    if "users" not in request.fixturenames:
        return None
    users = request.getfixturevalue("users")
    tree = request.getfixturevalue("tree")
    return station(users.work_team, [tree.a1v])
