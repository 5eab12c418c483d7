"""Yearly evaluation: indicators computed from known records, staff's score, the 优秀 → commendation path."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assistance import services as assistance_services
from reports import services
from reports.choices import CommendationState, EvaluationGrade, EvaluationSubject
from reports.models import Commendation, Evaluation
from tests.assistance.factories import make_cadre, make_team, pair
from tests.members.factories import make_member
from tests.organization.factories import PartyOrganizationFactory

from .factories import make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def records(tree, users):
    make_programme(start_year=YEAR - 1, phase1_end_year=YEAR - 1)
    make_plan(tree.a1, year=YEAR, out=2)
    m1, m2, m3 = (make_member(tree.a1v, name=n) for n in ("甲", "乙", "丙"))
    make_exit(m1, year=YEAR)
    team = make_team(tree.a1, [tree.a1v], accounts=[users.work_team])
    pair(m1, team)
    pair(m2, team)
    assistance_services.visit_note_create(actor=users.work_team, member=m1, findings="情况良好", helper=team)
    assistance_services.visit_note_create(
        actor=users.work_team,
        member=m2,
        findings="缺资金",
        helper=team,
        visited_on=timezone.localdate() - timedelta(days=45),
    )
    assistance_services.difficulty_raise(
        actor=users.work_team,
        member=m2,
        kind="funds",
        description="缺饲料款",
        coordinator=team,
        deadline=timezone.localdate() + timedelta(days=10),
    )
    organization = PartyOrganizationFactory(region=tree.a1, name="中共青石镇委员会")
    return {"team": team, "organization": organization, "members": (m1, m2, m3)}


def values(evaluation):
    return {item["key"]: item["value"] for item in evaluation.indicators["items"]}


def test_organization_indicators_from_known_records(tree, users, records):
    evaluation = services.evaluation_create(
        actor=users.county_staff,
        year=YEAR,
        subject_kind=EvaluationSubject.PARTY_ORGANIZATION,
        party_organization=records["organization"],
    )
    got = values(evaluation)
    assert (got["members"], got["target"], got["exits"], got["target_met"]) == (3, 2, 1, "未完成")
    assert (got["visits"], got["difficulties_resolved"], got["difficulties_overdue"]) == (2, 0, 0)
    assert evaluation.region == tree.a1
    assert evaluation.subject_name == "中共青石镇委员会"


def test_work_team_indicators_from_known_records(tree, users, records):
    evaluation = services.evaluation_create(
        actor=users.county_staff, year=YEAR, subject_kind=EvaluationSubject.WORK_TEAM, helper=records["team"]
    )
    got = values(evaluation)
    # two paired, both visited this year, one visit 45 days ago is past the 30-day interval
    assert (got["paired"], got["visits"], got["visits_overdue"], got["exits"]) == (2, 2, 1, 1)


def test_subject_must_match_its_kind_and_lie_in_the_jurisdiction(tree, users, records):
    cadre = make_cadre(tree.b)
    with pytest.raises(ValidationError, match="不符"):
        services.evaluation_create(
            actor=users.city_staff, year=YEAR, subject_kind=EvaluationSubject.WORK_TEAM, helper=cadre
        )
    with pytest.raises(ValidationError, match="本辖区"):
        services.evaluation_create(
            actor=users.county_staff, year=YEAR, subject_kind=EvaluationSubject.CADRE, helper=cadre
        )
    with pytest.raises(ValidationError, match="请选择被考核的党组织"):
        services.evaluation_create(actor=users.city_staff, year=YEAR, subject_kind=EvaluationSubject.PARTY_ORGANIZATION)
    services.evaluation_create(actor=users.city_staff, year=YEAR, subject_kind="work_team", helper=records["team"])
    with pytest.raises(ValidationError, match="已有考核"):
        services.evaluation_create(actor=users.city_staff, year=YEAR, subject_kind="work_team", helper=records["team"])


def test_staff_score_an_evaluation_and_an_excellent_one_is_proposed_for_commendation(client, users, records):
    client.force_login(users.county_staff)
    response = client.post(
        reverse("reports:evaluation_add"),
        {"year": YEAR, "subject_kind": "work_team", "helper": records["team"].pk},
    )
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    page = client.get(evaluation.get_absolute_url()).content.decode()
    assert "在结对帮扶党员（人）" in page
    response = client.post(reverse("reports:evaluation_assess", args=[evaluation.pk]), {"score": "120", "grade": ""})
    assert "score" in response.context["form"].errors
    response = client.post(reverse("reports:evaluation_commend", args=[evaluation.pk]), {})
    assert "只有考核等次为“优秀”" in response.content.decode()
    client.post(
        reverse("reports:evaluation_assess", args=[evaluation.pk]),
        {"score": "95.5", "grade": EvaluationGrade.EXCELLENT, "comment": "走访扎实"},
    )
    evaluation.refresh_from_db()
    assert (evaluation.score, evaluation.grade, evaluation.evaluated_by) == (95.5, "excellent", users.county_staff)
    response = client.post(reverse("reports:evaluation_commend", args=[evaluation.pk]), {})
    commendation = Commendation.objects.get()
    assert response["Location"] == commendation.get_absolute_url()
    assert (commendation.kind, commendation.name, commendation.state) == (
        "organization",
        records["team"].name,
        CommendationState.PROPOSED,
    )
    client.post(reverse("reports:evaluation_commend", args=[evaluation.pk]), {})
    assert Commendation.objects.count() == 1
    assert client.post(reverse("reports:evaluation_recompute", args=[evaluation.pk]), {}).status_code == 302
    assert evaluation.history.count() >= 3


def test_evaluations_are_scoped(client, users, tree, records):
    evaluation = services.evaluation_create(
        actor=None, year=YEAR, subject_kind="party_organization", party_organization=records["organization"]
    )
    client.force_login(users.county_b)
    assert client.get(evaluation.get_absolute_url()).status_code == 404
    assert "中共青石镇委员会" not in client.get(reverse("reports:evaluation_list")).content.decode()
    client.force_login(users.leader)
    assert "中共青石镇委员会" in client.get(reverse("reports:evaluation_list")).content.decode()


def test_evaluation_api(users, tree, records):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(users.county_staff)
    response = api.post(
        "/api/v1/evaluations/", {"year": YEAR, "subject_kind": "work_team", "helper": records["team"].pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert {i["key"]: i["value"] for i in response.json()["indicators"]["items"]}["paired"] == 2
    response = api.post(f"/api/v1/evaluations/{pk}/assess/", {"score": "88", "grade": "competent"}, format="json")
    assert response.json()["grade_label"] == "称职"
    bad = api.post(f"/api/v1/evaluations/{pk}/assess/", {"grade": "nonsense", "score": "50"}, format="json")
    assert bad.status_code == 400
    assert "grade" in bad.json()
    api.force_authenticate(users.county_b)
    assert api.get(f"/api/v1/evaluations/{pk}/").status_code == 404
    assert api.post(f"/api/v1/evaluations/{pk}/assess/", {"score": "1"}, format="json").status_code == 404
