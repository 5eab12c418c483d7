"""The project pages: list with filters and cards, detail timeline, step forms, history,
export, the member file section, the home panel and work items."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from projects import selectors, services
from projects.choices import ProjectStatus
from projects.models import IncomeProject, ProjectReview, ProjectSupport
from tests.members.factories import make_member
from tests.projects.factories import days_ago, make_project

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def names(response) -> set[str]:
    return {row.record.title for row in response.context["table"].page.object_list}


# --- list ----------------------------------------------------------------------------------


def test_list_shows_only_the_jurisdiction(county_client, tree):
    make_project(village=tree.a1v, title="青山养牛")
    make_project(village=tree.b1v, title="白河种菇")
    response = county_client.get(reverse("projects:project_list"))
    body = response.content.decode()
    assert "青山养牛" in body
    assert "白河种菇" not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "running"}, {"养牛"}),
        ({"direction": "commerce"}, {"小卖部"}),
        ({"q": "卖"}, {"小卖部"}),
        ({"year": str(days_ago(200).year)}, {"养牛", "小卖部"}),
        ({"year": "2001"}, set()),
    ],
)
def test_list_filters(county_client, tree, params, expected):
    make_project(village=tree.a1v, title="养牛", stage="running")
    make_project(village=tree.a1c, title="小卖部", direction="commerce")
    response = county_client.get(reverse("projects:project_list"), params)
    assert names(response) == expected


def test_list_filters_by_place(county_client, tree):
    make_project(village=tree.a1v, title="养牛")
    make_project(village=tree.a1c, title="小卖部")
    response = county_client.get(reverse("projects:project_list"), {"village": tree.a1c.pk})
    assert names(response) == {"小卖部"}
    response = county_client.get(reverse("projects:project_list"), {"township": tree.a1.pk})
    assert names(response) == {"养牛", "小卖部"}
    # another county's region is not even a choice
    response = county_client.get(reverse("projects:project_list"), {"county": tree.b.pk})
    assert "county" in response.context["filter"].form.errors


def test_list_query_count_does_not_grow(county_client, tree, django_assert_num_queries):
    member = make_member(tree.a1v)
    make_project(member)
    url = reverse("projects:project_list")
    county_client.get(url)
    # session, user+region, user permissions, count, page, plus the filter form's region choices (3)
    with django_assert_num_queries(8):
        county_client.get(url)
    for stage in ("running", "closed", "approved"):
        make_project(village=tree.a1c, stage=stage)
    with django_assert_num_queries(8):
        response = county_client.get(url)
    assert response.context["table"].paginator.count == 4


def test_phone_cards_show_each_project(county_client, tree):
    make_project(village=tree.a1v, title="养牛", stage="approved")
    body = county_client.get(reverse("projects:project_list")).content.decode()
    assert body.count('data-testid="status">已批准') == 1


# --- detail, timeline, history ---------------------------------------------------------------


def test_detail_shows_the_whole_timeline_in_fixed_queries(county_client, tree, django_assert_max_num_queries):
    project = make_project(village=tree.a1v, stage="running")
    services.support_record(
        actor=None, project=project, kind="money", giver_name="河洛农牧公司", giver_kind="enterprise", value="5000"
    )
    services.progress_record(actor=None, project=project, text="出栏3头", income_to_date="4200")
    # session, user, permissions, the project with its member, reviews, participants, supports, reports
    with django_assert_max_num_queries(8):
        response = county_client.get(project.get_absolute_url())
    body = response.content.decode()
    kinds = [event["kind"] for event in response.context["timeline"]]
    assert kinds == ["proposed", "review", "approved", "started", "support", "progress"]
    for text in ("刘专家", "技术成熟", "河洛农牧公司", "出栏3头", "4200.00"):
        assert text in body


def test_detail_offers_the_steps_the_role_may_take(client, tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    steps = login(client, users.county_staff).get(project.get_absolute_url()).context["steps"]
    assert steps["approve"]
    assert steps["refuse"]
    assert not steps["start"]
    steps = login(client, users.work_team).get(project.get_absolute_url()).context["steps"]
    assert steps["review"]
    assert not steps["approve"]
    steps = login(client, users.leader).get(project.get_absolute_url()).context["steps"]
    assert not any(steps.values())


def test_out_of_scope_project_is_404(county_client, tree):
    project = make_project(village=tree.b1v)
    for name in ("project_detail", "project_history", "project_approve", "project_edit"):
        assert county_client.get(reverse(f"projects:{name}", args=[project.pk])).status_code == 404
    assert county_client.get(reverse("projects:review_add", args=[project.pk])).status_code == 404
    member = project.member
    assert county_client.get(reverse("projects:project_add_for_member", args=[member.pk])).status_code == 404


def test_history_page_shows_steps_and_money(county_client, tree, users, django_assert_max_num_queries):
    project = make_project(village=tree.a1v, stage="running", actor=users.county_staff)
    services.support_record(
        actor=users.county_staff,
        project=project,
        kind="equipment",
        giver_name="农机站",
        giver_kind="other",
        value="1234.56",
    )
    services.progress_record(actor=None, project=project, text="好", income_to_date="10")
    # session, user, permissions, project, and one query for each history table
    with django_assert_max_num_queries(7):
        body = county_client.get(reverse("projects:project_history", args=[project.pk])).content.decode()
    assert "已批准" in body
    assert "实施中" in body
    assert "1234.56" in body
    assert users.county_staff.display_name in body


# --- forms for each step ---------------------------------------------------------------------


def test_work_team_proposes_from_the_member_file(client, tree, users):
    member = make_member(tree.a1v)
    login(client, users.work_team)
    url = reverse("projects:project_add_for_member", args=[member.pk])
    data = {
        "direction": "agriculture",
        "title": "林下养鸡",
        "description": "养鸡500只",
        "budget": "6000",
        "expected_income": "8000",
        "proposed_on": days_ago(1).isoformat(),
    }
    response = client.post(url, data)
    project = IncomeProject.objects.get()
    assert response["Location"] == project.get_absolute_url()
    assert project.member == member
    assert project.proposed_by == users.work_team


@pytest.mark.parametrize(
    ("budget", "message"), [("0", "金额必须大于零"), ("-1", "金额必须大于零"), ("1.234", "精确到分")]
)
def test_bad_budget_is_shown_on_the_form_and_saves_nothing(county_client, tree, budget, message):
    member = make_member(tree.a1v)
    data = {
        "member": member.pk,
        "direction": "agriculture",
        "title": "林下养鸡",
        "description": "养鸡500只",
        "budget": budget,
        "expected_income": "8000",
        "proposed_on": days_ago(1).isoformat(),
    }
    response = county_client.post(reverse("projects:project_add"), data)
    assert response.status_code == 200
    assert message in " ".join(
        response.context["form"].errors.get("budget", []) + response.context["form"].non_field_errors()
    )
    assert not IncomeProject.objects.exists()


def test_the_member_choice_is_narrowed_to_the_jurisdiction(county_client, tree):
    make_member(tree.a1v, name="本县党员")
    make_member(tree.b1v, name="外县党员")
    form = county_client.get(reverse("projects:project_add")).context["form"]
    assert [m.name for m in form.fields["member"].queryset] == ["本县党员"]


def test_review_form_records_participants_line_by_line(client, tree, users):
    project = make_project(village=tree.a1v)
    login(client, users.work_team)
    data = {
        "reviewed_on": days_ago(5).isoformat(),
        "work_team": "王队长\n李队员 县农业局",
        "experts": "刘明 市农科院",
        "others": "",
        "conclusion": "feasible",
        "opinion": "可行",
    }
    response = client.post(reverse("projects:review_add", args=[project.pk]), data)
    assert response.status_code == 302
    review = ProjectReview.objects.get()
    people = sorted(review.participants.values_list("role", "name", "unit"))
    assert people == [("expert", "刘明", "市农科院"), ("work_team", "李队员", "县农业局"), ("work_team", "王队长", "")]


def test_review_without_participants_is_refused_on_the_page(county_client, tree):
    project = make_project(village=tree.a1v)
    data = {"reviewed_on": days_ago(5).isoformat(), "conclusion": "feasible", "opinion": "可行"}
    response = county_client.post(reverse("projects:review_add", args=[project.pk]), data)
    assert response.status_code == 200
    assert "至少一人" in " ".join(response.context["form"].non_field_errors())
    assert not ProjectReview.objects.exists()


def test_approving_without_a_feasible_review_shows_why(county_client, tree):
    project = make_project(village=tree.a1v)
    services.review_record(
        actor=None,
        project=project,
        conclusion="not_feasible",
        opinion="缺水",
        participants=[{"role": "expert", "name": "刘"}],
    )
    response = county_client.post(
        reverse("projects:project_approve", args=[project.pk]), {"decided_on": days_ago(0).isoformat()}
    )
    assert response.status_code == 200
    assert "不能批准" in " ".join(response.context["form"].non_field_errors())
    project.refresh_from_db()
    assert project.status == ProjectStatus.REVIEWING


def test_roles_without_the_step_get_403(client, tree, users):
    project = make_project(village=tree.a1v, stage="reviewing")
    login(client, users.work_team)
    assert client.get(reverse("projects:project_approve", args=[project.pk])).status_code == 403
    login(client, users.leader)
    assert client.get(reverse("projects:review_add", args=[project.pk])).status_code == 403
    assert client.get(reverse("projects:project_add")).status_code == 403


def test_whole_workflow_through_the_pages(county_client, tree):
    project = make_project(village=tree.a1v, stage="reviewing")
    post = county_client.post
    today = days_ago(0).isoformat()
    assert post(reverse("projects:project_approve", args=[project.pk]), {"decided_on": today}).status_code == 302
    assert post(reverse("projects:project_start", args=[project.pk]), {"started_on": today}).status_code == 302
    support = {"kind": "money", "giver_kind": "fund", "giver_name": "脱困基金", "value": "3000", "given_on": today}
    assert post(reverse("projects:support_add", args=[project.pk]), support).status_code == 302
    progress = {"reported_on": today, "text": "进展顺利", "income_to_date": "1000"}
    assert post(reverse("projects:progress_add", args=[project.pk]), progress).status_code == 302
    close = {"outcome": "closed", "closed_on": today, "income_earned": "", "jobs_created": "2"}
    response = post(reverse("projects:project_close", args=[project.pk]), close)
    assert response.status_code == 200
    assert "实际收入" in " ".join(response.context["form"].errors["income_earned"])
    close["income_earned"] = "16000"
    assert post(reverse("projects:project_close", args=[project.pk]), close).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.CLOSED
    assert project.income_earned == Decimal("16000.00")
    assert ProjectSupport.objects.get().value == Decimal("3000.00")


def test_support_with_zero_value_saves_nothing(county_client, tree):
    project = make_project(village=tree.a1v, stage="running")
    data = {"kind": "money", "giver_kind": "fund", "giver_name": "脱困基金", "value": "0", "given_on": days_ago(0)}
    response = county_client.post(reverse("projects:support_add", args=[project.pk]), data)
    assert response.status_code == 200
    assert "大于零" in " ".join(response.context["form"].errors["value"])
    assert not ProjectSupport.objects.exists()


# --- export ----------------------------------------------------------------------------------


def test_export_is_scoped_filtered_and_formula_escaped(county_client, tree):
    make_project(village=tree.a1v, title='=HYPERLINK("http://x")')
    make_project(village=tree.a1v, title="养牛", stage="running")
    make_project(village=tree.b1v, title="白河种菇")
    response = county_client.get(reverse("projects:project_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert sorted(titles) == sorted(['\'=HYPERLINK("http://x")', "养牛"])
    response = county_client.get(reverse("projects:project_export"), {"status": "running"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)] == ["养牛"]


def test_export_needs_the_view_permission(client, users):
    login(client, users.enterprise)
    assert client.get(reverse("projects:project_export")).status_code == 403


# --- hooks -----------------------------------------------------------------------------------


def test_member_file_shows_the_projects(county_client, tree):
    project = make_project(village=tree.a1v, title="林下养鸡", stage="approved")
    body = county_client.get(project.member.get_absolute_url()).content.decode()
    assert 'data-testid="member-projects"' in body
    assert "林下养鸡" in body
    assert reverse("projects:project_add_for_member", args=[project.member.pk]) in body


def test_home_panel_counts_by_status(county_client, tree):
    make_project(village=tree.a1v, stage="running")
    make_project(village=tree.b1v, stage="running")
    response = county_client.get(reverse("home"))
    panel = next(s for s in response.context["home_panels"] if s["template"] == "projects/_home_panel.html")
    assert panel["total"] == 1


def test_work_items_for_staff_and_work_team(tree, users):
    proposed = make_project(village=tree.a1v)
    reviewing = make_project(village=tree.a1v, stage="reviewing")
    make_project(village=tree.b1v, stage="reviewing")
    overdue = make_project(village=tree.a1v, stage="running")  # started 180 days ago, never reported
    reported = make_project(village=tree.a1v, stage="running")
    services.progress_record(actor=None, project=reported, text="好", income_to_date="10")
    staff = {(i["kind"], i["url"]) for i in selectors.work_items(users.county_staff)}
    assert ("project_approval", reviewing.get_absolute_url()) in staff
    assert ("project_review", proposed.get_absolute_url()) in staff
    assert len([k for k, _ in staff if k == "project_approval"]) == 1  # not 白河县's
    team = selectors.work_items(users.work_team)
    kinds = {item["kind"] for item in team}
    assert "project_approval" not in kinds
    overdue_items = [item for item in team if item["kind"] == "project_progress"]
    assert [item["url"] for item in overdue_items] == [reverse("projects:progress_add", args=[overdue.pk])]
    assert overdue_items[0]["due"] == days_ago(90)
    assert selectors.work_items(users.leader) == []


def test_a_decided_project_cannot_be_edited(county_client, tree):
    project = make_project(village=tree.a1v, stage="approved")
    response = county_client.get(reverse("projects:project_edit", args=[project.pk]), follow=True)
    assert response.redirect_chain[-1][0] == project.get_absolute_url()
    assert "该项目当前状态为“已批准”，只有“提出”或“论证中”的项目才能修改。" in response.content.decode()
    response = county_client.post(
        reverse("projects:project_edit", args=[project.pk]),
        {
            "direction": "agriculture",
            "title": "改名",
            "description": "x",
            "budget": "1",
            "expected_income": "1",
            "proposed_on": days_ago(200).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "只有“提出”或“论证中”的项目才能修改" in " ".join(response.context["form"].non_field_errors())
    project.refresh_from_db()
    assert project.title == "肉牛养殖"


def test_edit_a_proposal_through_the_page(county_client, tree, users):
    project = make_project(village=tree.a1v)
    data = {
        "direction": "industry",
        "title": "竹编加工",
        "description": "竹编",
        "budget": "5000.5",
        "expected_income": "7000",
        "proposed_on": days_ago(100).isoformat(),
    }
    response = county_client.post(reverse("projects:project_edit", args=[project.pk]), data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.budget, project.direction) == ("竹编加工", Decimal("5000.50"), "industry")
    assert project.history.first().history_user == users.county_staff


def test_hooks_keep_to_one_query_each(rf, tree, users, django_assert_num_queries):
    from projects.views import home_panel, member_file_section

    member = make_member(tree.a1v)
    for stage in ("proposed", "running", "closed"):
        make_project(member, stage=stage)
    request = rf.get("/")
    request.user = users.county_staff
    users.county_staff.has_perm("projects.view_incomeproject")  # permissions cached, as on a page
    with django_assert_num_queries(1):
        section = member_file_section(request, member)
    assert len(section["projects"]) == 3
    with django_assert_num_queries(1):
        panel = home_panel(request)
    assert panel["total"] == 3


def test_work_items_take_a_query_per_kind(tree, users, django_assert_max_num_queries):
    for _ in range(3):
        make_project(village=tree.a1v, stage="running")
        make_project(village=tree.a1v, stage="reviewing")
    users.county_staff.has_perm("projects.view_incomeproject")
    with django_assert_max_num_queries(3):
        items = selectors.work_items(users.county_staff)
    assert len(items) == 6


def test_approve_is_offered_only_after_a_feasible_review(county_client, tree):
    project = make_project(village=tree.a1v)
    services.review_record(
        actor=None,
        project=project,
        conclusion="not_feasible",
        opinion="缺水",
        participants=[{"role": "expert", "name": "刘"}],
    )
    response = county_client.get(project.get_absolute_url())
    assert not response.context["steps"]["approve"]
    assert response.context["steps"]["refuse"]
    assert 'data-testid="not-feasible"' in response.content.decode()
