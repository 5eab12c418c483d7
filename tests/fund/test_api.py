"""The fund's API: the same services, scoped, Chinese JSON errors, no edits to the ledger."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from fund import services
from fund.choices import ApplicationStatus, GuaranteeStatus
from fund.models import FollowUp, FundApplication, FundEntry, Guarantee

from .factories import (
    days_ago,
    eligible_member,
    guarantee_fields,
    make_application,
    make_fund,
    receive,
    support_fields,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_receipts_and_balances(users, city_fund):
    client = api(users.city_staff)
    response = client.post(
        f"{API}fund-entries/",
        {"fund": city_fund.pk, "date": days_ago(1), "amount": "1500.50", "source": "donation", "donor_name": "赵六"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "1500.50"
    assert response.json()["created_by"] == str(users.city_staff)
    balances = client.get(f"{API}funds/{city_fund.pk}/balances/").json()
    assert balances["cash"] == "1500.50"
    assert {row["source"]: row["free"] for row in balances["sources"]}["donation"] == "1500.50"
    assert client.get(f"{API}funds/summary/").json()["free"] == "1500.50"


@pytest.mark.parametrize(
    ("amount", "message"),
    [("0", "金额必须大于零。"), ("-3", "金额必须大于零。"), ("1.234", "金额最多保留两位小数（精确到分）。")],
)
def test_bad_amounts_get_chinese_json_errors_and_write_nothing(users, city_fund, amount, message):
    response = api(users.city_staff).post(
        f"{API}fund-entries/",
        {"fund": city_fund.pk, "date": days_ago(1), "amount": amount, "source": "party_dues"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["amount"] == [message]
    assert FundEntry.objects.count() == 0


def test_entries_have_no_update_or_delete_endpoint(users, city_fund):
    entry = receive(city_fund, "100", actor=users.city_staff)
    client = api(users.city_staff)
    url = f"{API}fund-entries/{entry.pk}/"
    assert client.put(url, {"amount": "1"}, format="json").status_code == 405
    assert client.patch(url, {"amount": "1"}, format="json").status_code == 405
    assert client.delete(url).status_code == 405
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00")


def test_reverse_once_through_the_api(users, city_fund):
    entry = receive(city_fund, "100", actor=users.city_staff)
    client = api(users.city_staff)
    response = client.post(f"{API}fund-entries/{entry.pk}/reverse/", {"reason": "重复"}, format="json")
    assert response.status_code == 201
    assert response.json()["reverses"] == entry.pk
    reversal_id = response.json()["id"]
    response = client.post(f"{API}fund-entries/{entry.pk}/reverse/", {"reason": "再次"}, format="json")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["该分录已冲正过，不能重复冲正。"]
    assert client.get(f"{API}fund-entries/{entry.pk}/").json()["reversed_by"] == reversal_id


def test_entries_are_scoped_and_another_countys_are_404(users, tree, city_fund):
    b_fund = make_fund(tree.b)
    b_entry = receive(b_fund, "100", actor=users.county_b)
    a_fund = make_fund(tree.a)
    receive(a_fund, "200", actor=users.county_staff)
    client = api(users.county_staff)
    assert [e["amount"] for e in client.get(f"{API}fund-entries/").json()["results"]] == ["200.00"]
    assert client.get(f"{API}fund-entries/{b_entry.pk}/").status_code == 404
    assert client.post(f"{API}fund-entries/{b_entry.pk}/reverse/", {"reason": "x"}, format="json").status_code == 404
    response = client.post(
        f"{API}fund-entries/", {"fund": b_fund.pk, "date": days_ago(1), "amount": "5", "source": "party_dues"}
    )
    assert response.status_code == 400
    assert "fund" in response.json()
    assert api(users.work_team).get(f"{API}fund-entries/").status_code == 403


def test_the_workflow_through_the_api(users, tree, city_fund):
    receive(city_fund, "10000", actor=users.city_staff)
    member, project = eligible_member(tree.a1v)
    eligibility = api(users.work_team).get(f"{API}fund-eligibility/{member.pk}/").json()
    assert eligibility == {"eligible": True, "reasons": []}
    response = api(users.work_team).post(
        f"{API}fund-applications/",
        {"member": member.pk, "project": project.pk, "kind": "support", "amount": "3000", "purpose": "购买饲料"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    url = f"{API}fund-applications/{pk}/"
    assert api(users.work_team).patch(url, {"amount": "3500"}, format="json").json()["amount"] == "3500.00"
    assert api(users.work_team).post(f"{url}submit/").json()["status"] == ApplicationStatus.SUBMITTED
    assert api(users.work_team).post(f"{url}review/", {"opinion": "好"}, format="json").status_code == 403
    response = api(users.township_staff).post(f"{url}review/", {"opinion": "情况属实"}, format="json")
    assert response.json()["status"] == ApplicationStatus.REVIEWED
    queue = api(users.county_staff).get(f"{API}fund-applications/queue/").json()
    assert [a["id"] for a in queue["results"]] == [pk]
    assert api(users.county_staff).post(f"{url}approve/").json()["status"] == ApplicationStatus.APPROVED
    response = api(users.county_staff).post(f"{url}disburse/", {"source": "party_dues"}, format="json")
    assert response.status_code == 400
    assert "由河洛市管理" in response.json()["non_field_errors"][0]
    response = api(users.city_staff).post(f"{url}disburse/", {"source": "party_dues"}, format="json")
    assert response.json()["status"] == ApplicationStatus.DISBURSED
    assert FundEntry.objects.get(application_id=pk).amount == Decimal("-3500.00")


def test_an_ineligible_member_is_refused_with_the_reason(users, tree, city_fund, trained):
    member, project = eligible_member(tree.a1v)
    trained.add(member.pk)
    client = api(users.work_team)
    eligibility = client.get(f"{API}fund-eligibility/{member.pk}/").json()
    assert eligibility == {"eligible": False, "reasons": ["尚未完成贫困党员培训班培训。"]}
    response = client.post(
        f"{API}fund-applications/",
        {"member": member.pk, "project": project.pk, "kind": "support", "amount": "3000", "purpose": "购买饲料"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["member"] == ["尚未完成贫困党员培训班培训。"]
    assert not FundApplication.objects.exists()


def test_a_guarantee_larger_than_the_loan_is_a_400(users, tree, city_fund):
    member, project = eligible_member(tree.a1v)
    fields = {**guarantee_fields(loan="10000", guaranteed="10000.01"), "member": member.pk, "project": project.pk}
    fields = {k: str(v) for k, v in fields.items()}
    response = api(users.work_team).post(f"{API}fund-applications/", fields, format="json")
    assert response.status_code == 400
    assert response.json()["guaranteed_amount"] == ["担保金额不能大于贷款金额。"]


def test_refusal_needs_a_reason(users, tree, city_fund):
    application = make_application(users, tree.a1v, stage="reviewed")
    url = f"{API}fund-applications/{application.pk}/refuse/"
    response = api(users.county_staff).post(url, {"reason": " "}, format="json")
    assert response.status_code == 400
    response = api(users.county_staff).post(url, {"reason": "项目不成熟"}, format="json")
    assert response.json()["refusal_reason"] == "项目不成熟"


def test_guarantees_through_the_api(users, tree, city_fund):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, **guarantee_fields(guaranteed="40000"))
    client = api(users.city_staff)
    response = client.post(
        f"{API}fund-applications/{application.pk}/issue-guarantee/", {"source": "party_dues"}, format="json"
    )
    assert response.json()["status"] == ApplicationStatus.GUARANTEE_ISSUED
    guarantee = Guarantee.objects.get()
    url = f"{API}guarantees/{guarantee.pk}/"
    assert client.get(url).json()["reserved_amount"] == "8000.00"
    response = client.post(f"{url}recoveries/", {"amount": "10"}, format="json")
    assert response.json()["amount"] == ["该担保尚未代偿，无需向党员追偿。"]
    assert client.post(f"{url}call/", {"amount": "5000"}, format="json").json()["status"] == GuaranteeStatus.CALLED
    assert client.post(f"{url}recoveries/", {"amount": "5000"}, format="json").status_code == 201
    assert client.get(url).json()["recovery_status"] == "recovered"
    # a released guarantee takes no repayment
    other = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="5000")).guarantee
    other_url = f"{API}guarantees/{other.pk}/"
    assert client.post(f"{other_url}release/", {}, format="json").json()["status"] == GuaranteeStatus.RELEASED
    response = client.post(f"{other_url}recoveries/", {"amount": "10"}, format="json")
    assert response.status_code == 400
    assert response.json()["amount"] == ["该担保已解除（贷款已还清），不能登记还款。"]
    assert api(users.county_b).get(url).status_code == 404


def test_inspections_and_follow_ups_through_the_api(users, tree, city_fund):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid")
    client = api(users.work_team)
    response = client.post(
        f"{API}fund-inspections/",
        {
            "application": application.pk,
            "inspected_on": days_ago(1),
            "findings": "挪作他用",
            "conclusion": "misuse",
            "required_action": "限期纠正",
            "deadline": days_ago(-15),
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    follow_up = FollowUp.objects.get()
    assert response.json()["follow_up"] == follow_up.pk
    response = client.post(f"{API}fund-follow-ups/{follow_up.pk}/close/", {"result": "已纠正"}, format="json")
    assert response.json()["status"] == "closed"


def test_policy_is_set_by_the_city_only(users, city_fund):
    body = {"support_sources": ["fiscal"], "guarantee_sources": ["party_dues"], "leverage": "4"}
    assert api(users.county_staff).post(f"{API}fund-policy/", body, format="json").status_code == 403
    response = api(users.city_staff).post(f"{API}fund-policy/", body, format="json")
    assert response.status_code == 200
    assert api(users.county_staff).get(f"{API}fund-policy/").json()["leverage"] == "4.00"
    response = api(users.city_staff).post(f"{API}fund-policy/", {**body, "support_sources": ["gold"]}, format="json")
    assert response.status_code == 400
    assert response.json()["support_sources"] == ["未知的资金来源：gold"]


def test_api_lists_pin_query_counts(users, tree, city_fund, django_assert_max_num_queries):
    receive(city_fund, "9000", actor=users.city_staff)

    def one_of_each():
        support = make_application(users, tree.a1v, stage="paid", **support_fields("10"))
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
    client = api(users.city_staff)
    counts = {}
    for name in ("fund-entries", "fund-applications", "guarantees", "fund-inspections", "fund-follow-ups", "funds"):
        with django_assert_max_num_queries(10) as captured:
            assert client.get(f"{API}{name}/").status_code == 200
        counts[name] = len(captured.captured_queries)
    for _ in range(3):
        one_of_each()
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            assert client.get(f"{API}{name}/").status_code == 200


def test_eligibility_of_another_countys_member_is_a_404(users, tree, city_fund):
    member, _project = eligible_member(tree.b1v)
    assert api(users.county_staff).get(f"{API}fund-eligibility/{member.pk}/").status_code == 404
    assert api(users.county_b).get(f"{API}fund-eligibility/{member.pk}/").json()["eligible"] is True
