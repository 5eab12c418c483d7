import pytest

from projects import selectors
from projects.choices import ProjectStatus
from projects.models import IncomeProject
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db


def test_approved_projects_are_approved_or_running(tree):
    member = make_member(tree.a1v)
    other = make_member(tree.a1v)
    made = {
        status: IncomeProject.objects.create(
            member=member,
            direction="agriculture",
            title=status,
            description="x",
            budget=1,
            expected_income=1,
            status=status,
            failure_reason="x",
            income_earned=0,
        )
        for status in ProjectStatus.values
    }
    assert not selectors.member_has_approved_project(other)
    assert set(selectors.member_approved_projects(member)) == {made["approved"], made["running"]}
    assert selectors.member_has_approved_project(member)
