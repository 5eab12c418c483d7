import pytest

from fund import selectors

# Members the fake training record says have not completed training.
UNTRAINED: set[int] = set()


@pytest.fixture(autouse=True)
def trained(monkeypatch):
    """Training completion as the training app would answer it: everyone but ``UNTRAINED``.

    The fund asks ``training.selectors.member_has_completed_training``; these tests fix its
    answer so that they test the fund's rules, not the training records."""
    UNTRAINED.clear()
    monkeypatch.setattr(selectors, "_completed_training", lambda member: member.pk not in UNTRAINED)
    yield UNTRAINED
    UNTRAINED.clear()


@pytest.fixture
def city_fund(tree):
    from tests.fund.factories import make_fund

    return make_fund(tree.city)


@pytest.fixture(autouse=True)
def stationed_work_team(request):
    """The test work-team account is stationed in 张庄村 (tree.a1v).

    A work team's jurisdiction is the villages its team is stationed in (the assistance
    app's ``member_scopes``); the fund's tests need the team to reach its village."""
    if "users" not in request.fixturenames:
        return None
    users = request.getfixturevalue("users")
    tree = request.getfixturevalue("tree")
    from assistance import services as assistance_services
    from tests.fund.factories import days_ago

    return assistance_services.helper_save(
        actor=None,
        kind="work_team",
        name="市农业农村局驻张庄村工作队",
        region=tree.a1,
        sending_unit="市农业农村局",
        captain="王队长",
        starts_on=days_ago(400),
        villages=[tree.a1v],
        accounts=[users.work_team],
    )
