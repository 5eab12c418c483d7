"""The projects tests' accounts: the work-team account is stationed in 张庄村 (tree.a1v).

Where an app gives work teams a member scope of their own (assistance: the villages a
team is stationed in), the account reaches members only once stationed there."""

from datetime import date

import pytest

from organization.choices import Role
from organization.hooks import role_hooks


def station_work_team(tree, user):
    if Role.WORK_TEAM not in role_hooks("member_scopes"):
        return
    from assistance import services

    services.helper_save(
        actor=None,
        kind="work_team",
        name="张庄村驻村工作队",
        region=tree.a1,
        sending_unit="青山县农业农村局",
        captain="王队长",
        starts_on=date(2020, 1, 1),
        accounts=[user],
        villages=[tree.a1v],
    )


@pytest.fixture
def users(users, tree):
    station_work_team(tree, users.work_team)
    return users
