"""Training tests: the test work-team account is stationed in its village.

A work team's member jurisdiction belongs to the assistance app (``member_scopes``
hook: the villages its team is stationed in). When that app scopes work teams, the
team of ``users.work_team`` is stationed in 张庄村 (``tree.a1v``), its account's village,
through the assistance app's own factory, so the training rules see the jurisdiction
a real work team has.
"""

import pytest

from organization.choices import Role
from organization.hooks import role_hooks


@pytest.fixture(autouse=True)
def stationed_work_team(request):
    if "users" not in request.fixturenames or Role.WORK_TEAM not in role_hooks("member_scopes"):
        return None
    from tests.assistance.factories import make_team

    users = request.getfixturevalue("users")
    tree = request.getfixturevalue("tree")
    return make_team(tree.a1, [tree.a1v], [users.work_team])
