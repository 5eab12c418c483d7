"""The income projects API: the same services, scoped, Chinese JSON errors."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from projects.choices import ProjectStatus
from projects.models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport
from tests.members.factories import make_member
from tests.projects.factories import days_ago, make_project

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(users):
    return client_for(users.county_staff)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def proposal(member, **extra):
    return {
        "member": member.pk,
        "direction": "agriculture",
        "title": "林下养鸡",
        "description": "养鸡500只",
        "budget": "6000.00",
        "expected_income": "8000",
        **extra,
    }


# --- projects ------------------------------------------------------------------------------


def test_list_is_scoped_and_filtered(api, tree):
    make_project(village=tree.a1v, title="青山养牛", stage="running")
    make_project(village=tree.a1c, title="青山小卖部", direction="commerce")
    make_project(village=tree.b1v, title="白河种菇")
    assert {row["title"] for row in results(api.get(f"{BASE}income-projects/"))} == {"青山养牛", "青山小卖部"}
    rows = results(api.get(f"{BASE}income-projects/", {"status": "running"}))
    assert [row["title"] for row in rows] == ["青山养牛"]
    rows = results(api.get(f"{BASE}income-projects/", {"village": tree.a1c.code}))
    assert [row["title"] for row in rows] == ["青山小卖部"]
    assert rows[0]["status_label"] == "提出"


def test_out_of_scope_project_is_404_everywhere(api, tree):
    project = make_project(village=tree.b1v, stage="reviewing")
    assert api.get(f"{BASE}income-projects/{project.pk}/").status_code == 404
    for step in ("approve", "refuse", "start", "close"):
        assert api.post(f"{BASE}income-projects/{project.pk}/{step}/", {}).status_code == 404
    response = api.post(f"{BASE}project-supports/", {"project": project.pk, "kind": "money"}, format="json")
    assert response.status_code == 400
    assert "project" in response.json()
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING


def test_propose_and_bad_amounts(api, tree):
    member = make_member(tree.a1v)
    response = api.post(f"{BASE}income-projects/", proposal(member), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["budget"] == "6000.00"
    assert response.json()["status"] == "proposed"
    for bad, message in (("0", "大于零"), ("-3", "大于零"), ("1.001", "精确到分"), ("十元", "有效的金额")):
        response = api.post(f"{BASE}income-projects/", proposal(member, budget=bad), format="json")
        assert response.status_code == 400
        assert message in response.json()["budget"][0]
    assert IncomeProject.objects.count() == 1


def test_cannot_propose_for_a_member_out_of_scope(api, tree):
    stranger = make_member(tree.b1v)
    response = api.post(f"{BASE}income-projects/", proposal(stranger), format="json")
    assert response.status_code == 400
    assert not IncomeProject.objects.exists()


def test_update_only_before_decision(api, tree):
    project = make_project(village=tree.a1v)
    response = api.patch(f"{BASE}income-projects/{project.pk}/", {"budget": "7000"}, format="json")
    assert response.json()["budget"] == "7000.00"
    running = make_project(project.member, stage="running")
    response = api.patch(f"{BASE}income-projects/{running.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert "只有“提出”或“论证中”的项目才能修改" in str(response.json())


def test_workflow_through_the_api(api, users, tree):
    project = make_project(village=tree.a1v)
    response = api.post(f"{BASE}income-projects/{project.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "只有“论证中”的项目才能批准" in response.json()["non_field_errors"][0]
    team = client_for(users.work_team)
    review = {
        "project": project.pk,
        "conclusion": "feasible",
        "opinion": "可行",
        "reviewed_on": days_ago(3).isoformat(),
        "participants": [{"role": "work_team", "name": "王队长"}, {"role": "expert", "name": "刘明", "unit": "农科院"}],
    }
    response = team.post(f"{BASE}project-reviews/", review, format="json")
    assert response.status_code == 201, response.content
    assert sorted(p["name"] for p in response.json()["participants"]) == sorted(["王队长", "刘明"])
    assert team.post(f"{BASE}income-projects/{project.pk}/approve/", {}, format="json").status_code == 403
    response = api.post(f"{BASE}income-projects/{project.pk}/approve/", {"note": "同意"}, format="json")
    assert response.json()["status"] == "approved"
    assert response.json()["decided_by"] == users.county_staff.display_name
    assert api.post(f"{BASE}income-projects/{project.pk}/start/", {}, format="json").json()["status"] == "running"
    support = {"project": project.pk, "kind": "money", "giver_name": "脱困基金", "giver_kind": "fund", "value": "0"}
    response = api.post(f"{BASE}project-supports/", support, format="json")
    assert response.status_code == 400
    assert "大于零" in response.json()["value"][0]
    support["value"] = "2500.5"
    assert api.post(f"{BASE}project-supports/", support, format="json").json()["value"] == "2500.50"
    progress = {"project": project.pk, "text": "出栏", "income_to_date": "300"}
    assert team.post(f"{BASE}project-progress/", progress, format="json").status_code == 201
    close = {"outcome": "closed", "jobs_created": 1}
    response = api.post(f"{BASE}income-projects/{project.pk}/close/", close, format="json")
    assert response.status_code == 400
    assert "实际收入" in response.json()["income_earned"][0]
    close["income_earned"] = "9000"
    response = api.post(f"{BASE}income-projects/{project.pk}/close/", close, format="json")
    assert response.json()["status"] == "closed"
    assert response.json()["income_earned"] == "9000.00"
    assert ProjectSupport.objects.get().value == Decimal("2500.50")
    assert ProgressReport.objects.count() == 1


def test_failed_close_needs_a_reason(api, tree):
    project = make_project(village=tree.a1v, stage="running")
    response = api.post(f"{BASE}income-projects/{project.pk}/close/", {"outcome": "failed"}, format="json")
    assert response.status_code == 400
    assert "原因" in response.json()["failure_reason"][0]
    response = api.post(
        f"{BASE}income-projects/{project.pk}/close/", {"outcome": "failed", "failure_reason": "洪灾"}, format="json"
    )
    assert response.json()["status"] == "failed"


def test_refuse_needs_a_reason(api, tree):
    project = make_project(village=tree.a1v, stage="reviewing")
    response = api.post(f"{BASE}income-projects/{project.pk}/refuse/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "理由" in response.json()["reason"][0]


def test_review_without_participants_is_refused(api, tree):
    project = make_project(village=tree.a1v)
    response = api.post(
        f"{BASE}project-reviews/", {"project": project.pk, "conclusion": "feasible", "opinion": "可行"}, format="json"
    )
    assert response.status_code == 400
    assert "至少一人" in response.json()["participants"][0]
    assert not ProjectReview.objects.exists()


def test_read_only_roles(users, tree):
    project = make_project(village=tree.a1v, stage="reviewing")
    leader = client_for(users.leader)
    assert leader.get(f"{BASE}income-projects/{project.pk}/").status_code == 200
    assert leader.post(f"{BASE}income-projects/{project.pk}/approve/", {}).status_code == 403
    assert leader.post(f"{BASE}project-progress/", {"project": project.pk}).status_code == 403
    assert client_for(users.enterprise).get(f"{BASE}income-projects/").status_code == 403


def test_records_are_scoped_lists(api, tree):
    mine = make_project(village=tree.a1v, stage="running")
    other = make_project(village=tree.b1v, stage="running")
    for project in (mine, other):
        project.refresh_from_db()
    rows = results(api.get(f"{BASE}project-reviews/"))
    assert [row["project"] for row in rows] == [mine.pk]
    rows = results(api.get(f"{BASE}project-reviews/", {"project": other.pk}))
    assert rows == []


def test_schema_of_the_projects_endpoints_has_no_warnings():
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    ours = ("project", "Project", "SupportKind", "ParticipantRole", "Review", "Progress")
    warnings = [
        w for w in list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache) if any(o in w for o in ours)
    ]
    assert warnings == []
    # our choice sets keep their own names, not ones derived from clashing field names ("kind", "role")
    assert schema["components"]["schemas"]["SupportKindEnum"]["enum"] == ["technology", "equipment", "money"]
    assert "expert" in schema["components"]["schemas"]["ParticipantRoleEnum"]["enum"]
    assert "/api/v1/income-projects/{id}/approve/" in schema["paths"]


def test_filter_by_member_and_year(api, tree):
    member = make_member(tree.a1v)
    mine = make_project(member)
    make_project(village=tree.a1v)
    rows = results(api.get(f"{BASE}income-projects/", {"member": member.pk}))
    assert [row["id"] for row in rows] == [mine.pk]
    assert results(api.get(f"{BASE}income-projects/", {"year": 2001})) == []
    assert api.get(f"{BASE}income-projects/", {"year": "abc"}).status_code == 400
