from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from projects import selectors, services
from projects.choices import ProjectStatus
from projects.models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport, ReviewParticipant
from tests.members.factories import make_member
from tests.projects.factories import PARTICIPANTS, days_ago, make_project

pytestmark = pytest.mark.django_db


def proposal(**overrides):
    values = {
        "direction": "commerce",
        "title": "农家小卖部",
        "description": "在村口开小卖部。",
        "budget": "8000",
        "expected_income": "6000",
    }
    values.update(overrides)
    return values


def messages(error: ValidationError, field=None) -> str:
    if field is None:
        return " ".join(error.messages)
    return " ".join(error.message_dict[field])


# --- propose ---------------------------------------------------------------------------


def test_work_team_proposes_for_a_member_of_its_village(tree, users):
    member = make_member(tree.a1v)
    project = services.project_propose(actor=users.work_team, member=member, **proposal())
    assert project.status == ProjectStatus.PROPOSED
    assert project.budget == Decimal("8000.00")
    assert project.proposed_by == users.work_team
    assert project.history.get().history_user == users.work_team


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("budget", "0", "金额必须大于零"),
        ("budget", "-5", "金额必须大于零"),
        ("budget", "10.005", "精确到分"),
        ("expected_income", "abc", "有效的金额"),
        ("expected_income", "", "请填写金额"),
        ("title", "", "不能为空"),
    ],
)
def test_bad_proposal_is_refused_with_a_message_and_saves_nothing(tree, field, value, expected):
    member = make_member(tree.a1v)
    with pytest.raises(ValidationError) as caught:
        services.project_propose(actor=None, member=member, **proposal(**{field: value}))
    assert expected in messages(caught.value, field)
    assert not IncomeProject.objects.exists()


def test_proposal_date_cannot_be_in_the_future(tree):
    with pytest.raises(ValidationError) as caught:
        services.project_propose(actor=None, member=make_member(tree.a1v), **proposal(proposed_on=days_ago(-1)))
    assert "不能晚于今天" in messages(caught.value, "proposed_on")


def test_work_team_cannot_propose_outside_its_village(tree, users):
    stranger = make_member(tree.b1v)
    with pytest.raises(PermissionDenied):
        services.project_propose(actor=users.work_team, member=stranger, **proposal())
    assert not IncomeProject.objects.exists()


def test_cadre_cannot_propose(tree, users):
    with pytest.raises(PermissionDenied):
        services.project_propose(actor=users.cadre, member=make_member(tree.a1v), **proposal())


def test_proposal_can_be_changed_until_decided(tree, users):
    project = make_project(village=tree.a1v)
    services.project_update(actor=users.county_staff, project=project, budget="9000.50", title="改良肉牛")
    project.refresh_from_db()
    assert project.budget == Decimal("9000.50")
    services.project_approve(actor=None, project=make_project(project.member, stage="reviewing"))
    approved = make_project(project.member, stage="approved")
    with pytest.raises(ValidationError) as caught:
        services.project_update(actor=users.county_staff, project=approved, title="x")
    assert "只有“提出”或“论证中”的项目才能修改" in messages(caught.value)


# --- review and approval -----------------------------------------------------------------


def test_review_records_participants_and_moves_to_reviewing(tree, users):
    project = make_project(village=tree.a1v)
    review = services.review_record(
        actor=users.work_team,
        project=project,
        conclusion="with_changes",
        opinion="规模减半后可行。",
        participants=[*PARTICIPANTS, {"role": "expert", "name": "  "}],
        reviewed_on=days_ago(150),
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING
    assert sorted(review.participants.values_list("name", flat=True)) == ["刘专家", "王队长"]
    assert review.recorded_by == users.work_team


def test_review_needs_a_participant_an_opinion_and_a_conclusion(tree):
    project = make_project(village=tree.a1v)
    for bad, field in [
        ({"participants": []}, "participants"),
        ({"opinion": " "}, "opinion"),
        ({"conclusion": "maybe"}, "conclusion"),
        ({"reviewed_on": days_ago(300)}, "reviewed_on"),
    ]:
        values = {"conclusion": "feasible", "opinion": "可行", "participants": PARTICIPANTS, **bad}
        with pytest.raises(ValidationError) as caught:
            services.review_record(actor=None, project=project, **values)
        assert field in caught.value.message_dict
    assert not ProjectReview.objects.exists()
    assert not ReviewParticipant.objects.exists()
    project.refresh_from_db()
    assert project.status == ProjectStatus.PROPOSED


def test_expert_and_cadre_cannot_record_a_review(tree, users):
    project = make_project(village=tree.a1v)
    for actor in (users.expert, users.cadre):
        with pytest.raises(PermissionDenied):
            services.review_record(
                actor=actor, project=project, conclusion="feasible", opinion="可行", participants=PARTICIPANTS
            )


def test_approval_needs_a_feasible_review(tree, users):
    project = make_project(village=tree.a1v)
    with pytest.raises(ValidationError) as caught:
        services.project_approve(actor=users.county_staff, project=project)
    assert "“提出”" in messages(caught.value)
    assert "论证中" in messages(caught.value)
    services.review_record(
        actor=None, project=project, conclusion="not_feasible", opinion="缺水", participants=PARTICIPANTS
    )
    with pytest.raises(ValidationError) as caught:
        services.project_approve(actor=users.county_staff, project=project)
    assert "不能批准" in messages(caught.value)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING
    assert project.decided_by is None


def test_a_later_feasible_review_allows_approval(tree, users):
    project = make_project(village=tree.a1v)
    services.review_record(
        actor=None,
        project=project,
        conclusion="not_feasible",
        opinion="缺水",
        participants=PARTICIPANTS,
        reviewed_on=days_ago(20),
    )
    services.review_record(
        actor=None,
        project=project,
        conclusion="feasible",
        opinion="打井后可行",
        participants=PARTICIPANTS,
        reviewed_on=days_ago(10),
    )
    project = services.project_approve(actor=users.township_staff, project=project, note="同意")
    assert project.status == ProjectStatus.APPROVED
    assert project.decided_by == users.township_staff


def test_only_staff_of_the_jurisdiction_approve(tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    for actor in (users.work_team, users.cadre, users.leader, users.expert, users.county_b):
        with pytest.raises(PermissionDenied):
            services.project_approve(actor=actor, project=project)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING
    assert services.project_approve(actor=users.city_staff, project=project).status == ProjectStatus.APPROVED


def test_refusal_needs_a_reason(tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    with pytest.raises(ValidationError) as caught:
        services.project_refuse(actor=users.county_staff, project=project, reason="  ")
    assert "理由" in messages(caught.value, "reason")
    project = services.project_refuse(actor=users.county_staff, project=project, reason="市场饱和")
    assert project.status == ProjectStatus.REFUSED
    assert project.decision_note == "市场饱和"
    with pytest.raises(ValidationError):
        services.project_approve(actor=users.county_staff, project=project)


# --- running -----------------------------------------------------------------------------


def test_only_an_approved_project_starts(tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    with pytest.raises(ValidationError) as caught:
        services.project_start(actor=users.county_staff, project=project)
    assert "当前状态为“论证中”，只有“已批准”的项目才能开始实施" in messages(caught.value)
    project = services.project_approve(actor=None, project=project)
    with pytest.raises(PermissionDenied):
        services.project_start(actor=users.work_team, project=project)
    project = services.project_start(actor=users.county_staff, project=project)
    assert project.status == ProjectStatus.RUNNING
    assert project.started_on is not None


@pytest.mark.parametrize(("value", "expected"), [("0", "大于零"), ("-100", "大于零"), ("12.345", "精确到分")])
def test_support_value_must_be_positive_yuan_and_fen(tree, value, expected):
    project = make_project(village=tree.a1v, stage="running")
    with pytest.raises(ValidationError) as caught:
        services.support_record(
            actor=None, project=project, kind="money", giver_name="河洛农牧公司", giver_kind="enterprise", value=value
        )
    assert expected in messages(caught.value, "value")
    assert not ProjectSupport.objects.exists()


def test_support_is_recorded_on_approved_or_running_projects_only(tree, users):
    proposed = make_project(village=tree.a1v)
    values = {"kind": "equipment", "giver_name": "河洛农机站", "giver_kind": "other", "value": "2500.50"}
    with pytest.raises(ValidationError):
        services.support_record(actor=users.county_staff, project=proposed, **values)
    approved = make_project(proposed.member, stage="approved")
    support = services.support_record(actor=users.county_staff, project=approved, **values)
    assert support.value == Decimal("2500.50")
    assert support.member == approved.member
    with pytest.raises(PermissionDenied):
        services.support_record(actor=users.work_team, project=approved, **values)
    with pytest.raises(PermissionDenied):
        services.support_record(actor=users.county_b, project=approved, **values)


def test_progress_reports_on_running_projects_by_the_work_team(tree, users):
    project = make_project(village=tree.a1v, stage="approved")
    with pytest.raises(ValidationError) as caught:
        services.progress_record(actor=users.work_team, project=project, text="进展顺利", income_to_date="100")
    assert "“已批准”" in messages(caught.value)
    project = services.project_start(actor=None, project=project, started_on=days_ago(30))
    report = services.progress_record(actor=users.work_team, project=project, text="出栏3头", income_to_date="4200")
    assert report.income_to_date == Decimal("4200.00")
    with pytest.raises(ValidationError) as caught:
        services.progress_record(actor=users.work_team, project=project, text="x", income_to_date="-1")
    assert "负数" in messages(caught.value, "income_to_date")
    with pytest.raises(ValidationError) as caught:
        services.progress_record(
            actor=users.work_team, project=project, text="x", income_to_date="1", reported_on=days_ago(40)
        )
    assert "开工日期" in messages(caught.value, "reported_on")
    with pytest.raises(PermissionDenied):
        services.progress_record(actor=users.cadre, project=project, text="x", income_to_date="1")
    assert ProgressReport.objects.count() == 1


# --- closing -----------------------------------------------------------------------------


def test_closing_needs_the_income_earned_and_jobs(tree, users):
    project = make_project(village=tree.a1v, stage="running")
    with pytest.raises(ValidationError) as caught:
        services.project_close(actor=users.county_staff, project=project, outcome="closed", jobs_created=1)
    assert "实际收入" in messages(caught.value, "income_earned")
    with pytest.raises(ValidationError) as caught:
        services.project_close(actor=users.county_staff, project=project, outcome="closed", income_earned="1000")
    assert "就业" in messages(caught.value, "jobs_created")
    with pytest.raises(ValidationError) as caught:
        services.project_close(actor=users.county_staff, project=project, outcome="done", income_earned="1000")
    assert "outcome" in caught.value.message_dict
    project.refresh_from_db()
    assert project.status == ProjectStatus.RUNNING
    assert project.closed_on is None
    project = services.project_close(
        actor=users.county_staff, project=project, outcome="closed", income_earned="18000.5", jobs_created=3
    )
    assert (project.status, project.income_earned, project.jobs_created) == ("closed", Decimal("18000.50"), 3)
    with pytest.raises(ValidationError):
        services.project_close(actor=users.county_staff, project=project, outcome="failed", failure_reason="x")


def test_failure_needs_the_reason(tree, users):
    project = make_project(village=tree.a1v, stage="approved")
    with pytest.raises(ValidationError) as caught:
        services.project_close(actor=users.county_staff, project=project, outcome="failed")
    assert "原因" in messages(caught.value, "failure_reason")
    with pytest.raises(ValidationError):
        services.project_close(actor=users.county_staff, project=project, outcome="closed", income_earned="1")
    project = services.project_close(
        actor=users.county_staff, project=project, outcome="failed", failure_reason="资金未落实"
    )
    assert project.status == ProjectStatus.FAILED
    assert project.failure_reason == "资金未落实"


def test_history_keeps_each_step_with_who(tree, users):
    project = make_project(village=tree.a1v, stage="closed", actor=users.county_staff)
    reasons = list(project.history.order_by("history_id").values_list("history_change_reason", "status"))
    assert [status for _reason, status in reasons] == ["proposed", "reviewing", "approved", "running", "closed"]
    assert reasons[2][0] == "批准"
    assert set(project.history.values_list("history_user", flat=True)) == {users.county_staff.pk}


def test_approved_projects_for_the_fund(tree):
    member = make_member(tree.a1v)
    assert not selectors.member_has_approved_project(member)
    make_project(member, stage="reviewing")
    make_project(member, stage="closed")
    assert not selectors.member_has_approved_project(member)
    approved = make_project(member, stage="approved")
    running = make_project(member, stage="running")
    assert set(selectors.member_approved_projects(member)) == {approved, running}
    assert selectors.member_has_approved_project(member)


def test_only_members_in_the_demonstration_action_get_projects(tree):
    from datetime import date

    # over 60 with no source of living: social relief; over 60 with one: left to a person
    relief = make_member(tree.a1v, born=date(1950, 1, 1), labour_capacity="none", has_living_source=False)
    undecided = make_member(tree.a1v, born=date(1955, 1, 1), labour_capacity="weak")
    for member, track in ((relief, "社会救济"), (undecided, "待人工判定")):
        with pytest.raises(ValidationError) as caught:
            services.project_propose(actor=None, member=member, **proposal())
        assert track in messages(caught.value, "member")
    assert not IncomeProject.objects.exists()
