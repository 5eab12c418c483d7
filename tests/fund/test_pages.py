"""The fund's pages: thin over the same services, scoped, Chinese errors, pinned query counts."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from fund import services
from fund.choices import ApplicationStatus, GuaranteeStatus, Source
from fund.models import FollowUp, FundApplication, FundEntry, Guarantee
from organization.choices import Role
from tests.organization.factories import make_user

from .factories import days_ago, eligible_member, guarantee_fields, make_application, make_fund, receive

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


# --- dashboard and ledger -------------------------------------------------------------


def test_dashboard_shows_balances_by_source_and_year_in_fixed_queries(
    client, users, tree, city_fund, django_assert_max_num_queries
):
    receive(city_fund, "10000", actor=users.city_staff, day=days_ago(400))
    receive(city_fund, "5000", actor=users.city_staff, source=Source.DONATION, donor_name="李四")
    guarantee = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="20000")).guarantee
    services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="3000")
    services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="1000")
    login(client, users.city_staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("fund:dashboard"))
    assert response.status_code == 200
    totals = response.context["balances"]
    assert totals.cash == Decimal("13000.00")  # 15000 - 3000 + 1000
    assert response.context["called"] == Decimal("3000.00")
    assert response.context["recovered"] == Decimal("1000.00")
    assert len(response.context["per_year"]) == 2
    assert "13,000.00" in response.content.decode()  # as people write amounts
    # more data, same number of queries
    for _ in range(5):
        receive(city_fund, "10", actor=users.city_staff, source=Source.FISCAL)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("fund:dashboard")).status_code == 200


def test_the_dashboard_is_scoped_to_the_users_funds(client, users, tree, city_fund):
    county_fund = make_fund(tree.a)
    receive(county_fund, "700", actor=users.county_staff)
    receive(city_fund, "9000", actor=users.city_staff)
    response = login(client, users.county_staff).get(reverse("fund:dashboard"))
    assert response.context["balances"].cash == Decimal("700.00")
    assert response.context["funds"] == [county_fund]


def test_the_work_team_has_no_fund_dashboard(client, users, city_fund):
    assert login(client, users.work_team).get(reverse("fund:dashboard")).status_code == 403


def test_ledger_list_filters_and_pins_queries(client, users, city_fund, django_assert_max_num_queries):
    for i in range(3):
        receive(city_fund, f"{i + 1}00", actor=users.city_staff, reference=f"党费{i}")
    receive(city_fund, "999", actor=users.city_staff, source=Source.FISCAL, reference="财政")
    login(client, users.city_staff)
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse("fund:entry_list"), {"source": "fiscal"})
    assert response.context["table"].paginator.count == 1
    for _ in range(27):
        receive(city_fund, "1", actor=users.city_staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("fund:entry_list"))
    assert response.context["table"].paginator.count == 31


def test_ledger_export_is_scoped_filtered_and_formula_escaped(client, users, tree, city_fund):
    receive(city_fund, "100", actor=users.city_staff, reference='=HYPERLINK("http://x")')
    receive(city_fund, "200", actor=users.city_staff, source=Source.DONATION, donor_name="@王五")
    county_fund = make_fund(tree.a)
    receive(county_fund, "300", actor=users.county_staff, reference="青山县")
    response = login(client, users.city_staff).get(reverse("fund:entry_export"), {"fund": city_fund.pk})
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 2
    cells = [cell for row in rows for cell in row if isinstance(cell, str)]
    assert '\'=HYPERLINK("http://x")' in cells
    assert "'@王五" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    # a county clerk exports only the county's fund
    response = login(client, users.county_staff).get(reverse("fund:entry_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=4, values_only=True))
    assert [row[6] for row in rows] == ["青山县"]
    assert login(client, users.work_team).get(reverse("fund:entry_export")).status_code == 403


def test_receipt_form_records_and_refuses_bad_amounts_in_chinese(client, users, city_fund):
    login(client, users.city_staff)
    url = reverse("fund:receipt_add")
    data = {"fund": city_fund.pk, "date": days_ago(1).isoformat(), "source": "party_dues", "reference": "党费"}
    for amount, message in (("0", "金额必须大于零。"), ("-5", "金额必须大于零。"), ("1.005", "最多保留两位小数")):
        response = client.post(url, {**data, "amount": amount})
        assert response.status_code == 200
        assert message in response.content.decode()
    response = client.post(url, {**data, "source": "fiscal", "amount": "10"})
    assert "财政补助须填写预算文件文号。" in response.content.decode()
    assert FundEntry.objects.count() == 0
    response = client.post(url, {**data, "amount": "1234.56"})
    assert response.status_code == 302
    entry = FundEntry.objects.get()
    assert entry.amount == Decimal("1234.56")
    assert entry.created_by == users.city_staff


def test_a_county_clerk_cannot_pick_the_citys_fund(client, users, tree, city_fund):
    make_fund(tree.a)
    response = login(client, users.county_staff).post(
        reverse("fund:receipt_add"),
        {"fund": city_fund.pk, "date": days_ago(1).isoformat(), "source": "party_dues", "amount": "10"},
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert FundEntry.objects.count() == 0


def test_reversal_page_reverses_once(client, users, city_fund):
    entry = receive(city_fund, "100", actor=users.city_staff)
    login(client, users.city_staff)
    url = reverse("fund:entry_reverse", args=[entry.pk])
    response = client.post(url, {"reason": ""})
    assert "该字段是必填项" in response.content.decode()
    assert client.post(url, {"reason": "录错金额"}).status_code == 302
    response = client.post(url, {"reason": "再来"})
    assert "该分录已冲正过，不能重复冲正。" in response.content.decode()
    assert FundEntry.objects.count() == 2
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "已冲正" in detail


# --- the admin is read-only -----------------------------------------------------------


def test_the_admin_cannot_change_or_delete_an_entry(client, users, city_fund):
    entry = receive(city_fund, "100", actor=users.city_staff)
    admin_user = make_user(Role.ADMIN, users.admin.region, username="root", is_superuser=True, is_staff=True)
    login(client, admin_user)
    change_url = reverse("admin:fund_fundentry_change", args=[entry.pk])
    response = client.get(change_url)
    assert response.status_code == 200
    assert 'name="amount"' not in response.content.decode()  # shown, not editable
    client.post(change_url, {"amount": "1", "date": entry.date, "reference": "x"})
    assert client.post(reverse("admin:fund_fundentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:fund_fundentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00")
    assert FundEntry.objects.count() == 1


# --- applications ---------------------------------------------------------------------


def test_the_application_form_shows_why_a_member_is_not_eligible(client, users, tree, city_fund, trained):
    member, project = eligible_member(tree.a1v)
    trained.add(member.pk)
    login(client, users.work_team)
    url = reverse("fund:application_add", args=[member.pk])
    page = client.get(url).content.decode()
    assert "尚未完成贫困党员培训班培训。" in page
    response = client.post(url, {"kind": "support", "project": project.pk, "amount": "100", "purpose": "购牛"})
    assert response.status_code == 200
    assert "尚未完成贫困党员培训班培训。" in response.content.decode()
    assert not FundApplication.objects.exists()


def test_a_guarantee_larger_than_the_loan_is_refused_on_the_form(client, users, tree, city_fund):
    member, project = eligible_member(tree.a1v)
    login(client, users.work_team)
    data = {
        "kind": "guarantee",
        "project": project.pk,
        "bank": "河洛农商银行",
        "loan_amount": "30000",
        "guaranteed_amount": "30000.01",
        "term_months": "24",
    }
    response = client.post(reverse("fund:application_add", args=[member.pk]), data)
    assert "担保金额不能大于贷款金额。" in response.content.decode()
    assert not FundApplication.objects.exists()
    response = client.post(reverse("fund:application_add", args=[member.pk]), {**data, "guaranteed_amount": "25000"})
    assert response.status_code == 302
    assert FundApplication.objects.get().guaranteed_amount == Decimal("25000.00")


def test_the_whole_workflow_through_the_pages(client, users, tree, city_fund):
    receive(city_fund, "10000", actor=users.city_staff)
    member, project = eligible_member(tree.a1v)
    login(client, users.work_team)
    client.post(
        reverse("fund:application_add", args=[member.pk]),
        {"kind": "support", "project": project.pk, "amount": "4000", "purpose": "购买种牛"},
    )
    application = FundApplication.objects.get()
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("fund:application_submit", args=[application.pk]) in page
    assert client.post(reverse("fund:application_submit", args=[application.pk])).status_code == 302
    # the work team cannot review: 403
    assert client.post(reverse("fund:application_review", args=[application.pk]), {"opinion": "好"}).status_code == 403
    login(client, users.township_staff)
    response = client.post(reverse("fund:application_review", args=[application.pk]), {"opinion": ""})
    assert "该字段是必填项" in response.content.decode()
    client.post(reverse("fund:application_review", args=[application.pk]), {"opinion": "情况属实"})
    login(client, users.county_staff)
    client.post(reverse("fund:application_approve", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    # a county clerk may not pay out of the city's fund
    response = client.post(reverse("fund:application_disburse", args=[application.pk]), {"source": "party_dues"})
    assert "由河洛市管理" in response.content.decode()
    login(client, users.city_staff)
    response = client.post(reverse("fund:application_disburse", args=[application.pk]), {"source": "party_dues"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DISBURSED
    assert FundEntry.objects.get(application=application).amount == Decimal("-4000.00")
    history = client.get(reverse("fund:application_history", args=[application.pk]))
    assert history.status_code == 200


def test_refusal_needs_a_reason_on_the_page(client, users, tree, city_fund):
    application = make_application(users, tree.a1v, stage="reviewed")
    login(client, users.county_staff)
    url = reverse("fund:application_refuse", args=[application.pk])
    assert "该字段是必填项" in client.post(url, {"reason": ""}).content.decode()
    client.post(url, {"reason": "资金用途不明确"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REFUSED
    assert "资金用途不明确" in client.get(application.get_absolute_url()).content.decode()


def test_queue_shows_this_users_step_in_fixed_queries(client, users, tree, city_fund, django_assert_max_num_queries):
    make_application(users, tree.a1v, stage="submitted")
    login(client, users.township_staff)
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse("fund:application_queue"))
    assert response.context["table"].paginator.count == 1
    for _ in range(3):
        make_application(users, tree.a1v, stage="submitted")
    make_application(users, tree.a1v, stage="reviewed")  # the county's step, not the township's
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("fund:application_queue"))
    assert response.context["table"].paginator.count == 4


def test_application_list_pins_queries(client, users, tree, city_fund, django_assert_max_num_queries):
    make_application(users, tree.a1v, stage="draft")
    login(client, users.county_staff)
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("fund:application_list"))
    for _ in range(3):
        make_application(users, tree.a1v, stage="draft")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("fund:application_list"), {"status": "draft"})
    assert response.context["table"].paginator.count == 4


def test_another_countys_application_is_a_404(client, users, tree, city_fund):
    application = make_application(users, tree.a1v, stage="submitted")
    login(client, users.county_b)
    assert client.get(application.get_absolute_url()).status_code == 404
    response = client.post(reverse("fund:application_review", args=[application.pk]), {"opinion": "x"})
    assert response.status_code == 404


# --- guarantees, inspections ----------------------------------------------------------


def test_guarantee_pages_issue_call_recover_and_refuse_repayment_after_release(client, users, tree, city_fund):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, **guarantee_fields(guaranteed="40000"))
    login(client, users.city_staff)
    client.post(reverse("fund:guarantee_issue", args=[application.pk]), {"source": "party_dues"})
    guarantee = Guarantee.objects.get()
    assert guarantee.reserved_amount == Decimal("8000.00")
    response = client.post(reverse("fund:guarantee_call", args=[guarantee.pk]), {"amount": "0"})
    assert "金额必须大于零。" in response.content.decode()
    client.post(reverse("fund:guarantee_call", args=[guarantee.pk]), {"amount": "5000"})
    client.post(reverse("fund:recovery_add", args=[guarantee.pk]), {"amount": "2000"})
    page = client.get(guarantee.get_absolute_url()).content.decode()
    assert "尚欠" in page
    assert "3000.00" in page
    # a released guarantee takes no repayment
    other = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="10000")).guarantee
    client.post(reverse("fund:guarantee_release", args=[other.pk]), {})
    other.refresh_from_db()
    assert other.status == GuaranteeStatus.RELEASED
    response = client.post(reverse("fund:recovery_add", args=[other.pk]), {"amount": "100"})
    assert "该担保已解除（贷款已还清），不能登记还款。" in response.content.decode()
    assert client.get(reverse("fund:guarantee_list")).status_code == 200


def test_inspection_and_follow_up_pages(client, users, tree, city_fund):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid")
    login(client, users.work_team)
    url = reverse("fund:inspection_add", args=[application.pk])
    data = {"inspected_on": days_ago(1).isoformat(), "findings": "部分挪用", "conclusion": "misuse"}
    response = client.post(url, data)
    assert "存在违规使用时须提出整改要求。" in response.content.decode()
    client.post(url, {**data, "required_action": "补足投入", "deadline": days_ago(-30).isoformat()})
    follow_up = FollowUp.objects.get()
    response = client.post(reverse("fund:follow_up_close", args=[follow_up.pk]), {"result": "已补足"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.result == "已补足"
    for name in ("fund:inspection_list", "fund:follow_up_list"):
        assert client.get(reverse(name)).status_code == 200


# --- hooks ----------------------------------------------------------------------------


def test_the_members_file_shows_their_fund_history(client, users, tree, city_fund, django_assert_max_num_queries):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid", **guarantee_fields())
    services.guarantee_call(actor=users.city_staff, guarantee=application.guarantee, amount="100")
    login(client, users.county_staff)
    response = client.get(application.member.get_absolute_url())
    page = response.content.decode()
    assert application.get_absolute_url() in page
    assert "已代偿" in page
    assert "追偿中" in page


def test_the_home_page_says_what_waits(client, users, tree, city_fund):
    make_application(users, tree.a1v, stage="submitted")
    page = login(client, users.township_staff).get(reverse("home")).content.decode()
    assert "有 1 件基金申请等待您办理" in page


def test_the_member_file_section_costs_fixed_queries(client, users, tree, city_fund, django_assert_max_num_queries):
    receive(city_fund, "50000", actor=users.city_staff)
    member, project = eligible_member(tree.a1v)
    make_application(users, tree.a1v, member=member, project=project, stage="paid", **guarantee_fields())
    login(client, users.county_staff)
    url = member.get_absolute_url()
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for _ in range(3):
        make_application(users, tree.a1v, member=member, project=project, stage="paid", **guarantee_fields())
        make_application(users, tree.a1v, member=member, project=project, stage="draft")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("/fund/applications/") >= 7


def test_the_city_sets_the_policy_and_opens_funds_on_pages(client, users, tree, city_fund):
    login(client, users.county_staff)
    assert client.get(reverse("fund:policy_edit")).status_code == 403
    login(client, users.city_staff)
    response = client.post(
        reverse("fund:policy_edit"),
        {"support_sources": ["fiscal"], "guarantee_sources": ["party_dues"], "leverage": "0.5"},
    )
    assert "担保放大倍数" in response.content.decode()
    response = client.post(
        reverse("fund:policy_edit"),
        {"support_sources": ["fiscal"], "guarantee_sources": ["party_dues"], "leverage": "4"},
    )
    assert response.status_code == 302
    from fund.selectors import current_policy

    policy = current_policy()
    assert policy.support_sources == ["fiscal"]
    assert policy.leverage == Decimal("4.00")
    response = client.post(reverse("fund:fund_add"), {"region": tree.b.pk, "name": ""})
    assert response.status_code == 302
    assert client.get(response.url).context["object"].name == "白河县贫困党员脱困基金"
    response = client.post(reverse("fund:fund_add"), {"region": tree.a1.pk, "name": ""})
    assert response.status_code == 200  # a township is not offered


@pytest.mark.parametrize("name", ["fund:guarantee_list", "fund:inspection_list", "fund:follow_up_list"])
def test_other_lists_pin_queries(client, users, tree, city_fund, django_assert_max_num_queries, name):
    receive(city_fund, "90000", actor=users.city_staff)

    def one_of_each():
        support = make_application(users, tree.a1v, stage="paid")
        make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="1000"))
        services.inspection_record(
            actor=users.work_team,
            application=support,
            inspected_on=days_ago(1),
            findings="挪用",
            conclusion="misuse",
            required_action="纠正",
            deadline=days_ago(-5),
        )

    one_of_each()
    login(client, users.county_staff)
    with django_assert_max_num_queries(10) as few:
        response = client.get(reverse(name))
    assert response.context["table"].paginator.count == 1
    for _ in range(3):
        one_of_each()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name))
    assert response.context["table"].paginator.count == 4


def test_a_draft_is_changed_on_its_form_and_a_submitted_one_is_not(client, users, tree, city_fund):
    application = make_application(users, tree.a1v, stage="draft")
    login(client, users.work_team)
    url = reverse("fund:application_edit", args=[application.pk])
    page = client.get(url).content.decode()
    assert 'value="5000.00"' in page
    data = {"kind": "support", "project": application.project_id, "amount": "6500", "purpose": "购买饲料"}
    assert client.post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.amount == Decimal("6500.00")
    services.application_submit(actor=users.work_team, application=application)
    response = client.post(url, {**data, "amount": "7000"})
    assert "只有“草稿”的申请才能修改" in response.content.decode()
    application.refresh_from_db()
    assert application.amount == Decimal("6500.00")
