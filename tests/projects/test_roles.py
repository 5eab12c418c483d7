"""Who may do each step: role and jurisdiction, through the service and the API."""

import pytest
from django.core.exceptions import PermissionDenied
from rest_framework.test import APIClient

from projects import services
from projects.choices import ProjectStatus
from tests.members.factories import make_member
from tests.projects.factories import PARTICIPANTS, make_project

pytestmark = pytest.mark.django_db

STAFF = {"city_staff", "county_staff", "township_staff", "admin"}
ALL_ROLES = [
    "city_staff",
    "county_staff",
    "township_staff",
    "work_team",
    "cadre",
    "expert",
    "enterprise",
    "urban_centre",
    "leader",
    "admin",
    "county_b",
]
MAY = {
    "propose": STAFF | {"work_team"},
    "review": STAFF | {"work_team"},
    "approve": STAFF,
    "start": STAFF,
    "support": STAFF,
    "progress": STAFF | {"work_team"},
    "close": STAFF,
}


def attempt(step, actor, tree):
    """Try ``step`` as ``actor`` on a 张庄村 project at the stage the step needs."""
    if step == "propose":
        return services.project_propose(
            actor=actor,
            member=make_member(tree.a1v),
            direction="agriculture",
            title="养鸡",
            description="养鸡",
            budget="100",
            expected_income="100",
        )
    stage = {"review": "proposed", "approve": "reviewing", "start": "approved"}.get(step, "running")
    project = make_project(village=tree.a1v, stage=stage)
    if step == "review":
        return services.review_record(
            actor=actor, project=project, conclusion="feasible", opinion="可行", participants=PARTICIPANTS
        )
    if step == "approve":
        return services.project_approve(actor=actor, project=project)
    if step == "start":
        return services.project_start(actor=actor, project=project)
    if step == "support":
        return services.support_record(
            actor=actor, project=project, kind="money", giver_name="企业", giver_kind="enterprise", value="1"
        )
    if step == "progress":
        return services.progress_record(actor=actor, project=project, text="好", income_to_date="1")
    return services.project_close(actor=actor, project=project, outcome="failed", failure_reason="亏损")


@pytest.mark.parametrize("step", list(MAY))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_step_by_role_and_jurisdiction(step, role, tree, users):
    actor = getattr(users, role)
    if role in MAY[step]:
        assert attempt(step, actor, tree) is not None
    else:
        with pytest.raises(PermissionDenied):
            attempt(step, actor, tree)


def test_township_staff_act_only_in_their_township(tree, users):
    project = make_project(village=tree.b1v, stage="reviewing")
    with pytest.raises(PermissionDenied):
        services.project_approve(actor=users.township_staff, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("city_staff", 200),
        ("county_staff", 200),
        ("township_staff", 200),
        ("work_team", 200),
        ("expert", 200),
        ("leader", 200),
        ("admin", 200),
        ("county_b", 404),
        ("enterprise", 403),
        ("urban_centre", 403),
    ],
)
def test_who_sees_a_project_through_the_api(role, expected, tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    client = APIClient()
    client.force_authenticate(getattr(users, role))
    assert client.get(f"/api/v1/income-projects/{project.pk}/").status_code == expected
    reviews = client.get("/api/v1/project-reviews/", {"project": project.pk})
    if expected == 403:
        assert reviews.status_code == 403
    else:
        # out of scope: the list answers, without the review
        assert len(reviews.json()["results"]) == (1 if expected == 200 else 0)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("county_staff", 200), ("township_staff", 200), ("work_team", 403), ("leader", 403), ("county_b", 404)],
)
def test_who_approves_through_the_api(role, expected, tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    client = APIClient()
    client.force_authenticate(getattr(users, role))
    response = client.post(f"/api/v1/income-projects/{project.pk}/approve/", {}, format="json")
    assert response.status_code == expected
    project.refresh_from_db()
    assert (project.status == ProjectStatus.APPROVED) == (expected == 200)


def test_refusals_in_the_api_say_why_in_chinese(tree, users):
    # A member outside the work team's village is not even a choice; a step its role lacks is a 403.
    stranger = make_member(tree.a1c)
    client = APIClient()
    client.force_authenticate(users.work_team)
    data = {
        "member": stranger.pk,
        "direction": "agriculture",
        "title": "养鸡",
        "description": "养鸡",
        "budget": "100",
        "expected_income": "100",
    }
    response = client.post("/api/v1/income-projects/", data, format="json")
    assert response.status_code == 400  # the member is not even a choice
    project = make_project(village=tree.a1v, stage="running")
    response = client.post(f"/api/v1/income-projects/{project.pk}/close/", {"outcome": "failed"}, format="json")
    assert response.status_code == 403
    assert "权限" in response.json()["detail"]


def test_the_recording_work_team_member_is_linked_to_the_review(tree, users):
    project = make_project(village=tree.a1v)
    me = {"role": "work_team", "name": users.work_team.display_name}
    review = services.review_record(
        actor=users.work_team, project=project, conclusion="feasible", opinion="可行", participants=[me]
    )
    assert review.participants.get().account == users.work_team
