"""The fund's rules, through its services."""

import importlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InternalError, connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from fund import selectors, services
from fund.choices import (
    Account,
    ApplicationKind,
    ApplicationStatus,
    EntryKind,
    FollowUpStatus,
    GuaranteeStatus,
    RecoveryStatus,
    Source,
)
from fund.models import FollowUp, Fund, FundApplication, FundEntry, Guarantee, LedgerImmutable
from members.choices import Track
from members.services import member_decide_track
from projects.choices import ProjectStatus
from tests.members.factories import make_member
from tests.projects.factories import make_project

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


def entry_count():
    return FundEntry.objects.count()


# --- receipts and balances ------------------------------------------------------------


def test_receipts_from_three_sources_sum_per_source(city_fund, users):
    receive(city_fund, "10000", actor=users.city_staff, source=Source.PARTY_DUES)
    receive(city_fund, "2500.50", actor=users.city_staff, source=Source.DONATION, donor_name="张建国")
    receive(city_fund, "30000", actor=users.city_staff, source=Source.FISCAL, budget_document="河财预〔2026〕3号")
    balances = selectors.fund_balances(city_fund)
    assert balances[Source.PARTY_DUES].cash == Decimal("10000.00")
    assert balances[Source.DONATION].cash == Decimal("2500.50")
    assert balances[Source.FISCAL].cash == Decimal("30000.00")
    assert balances.cash == Decimal("42500.50")
    assert balances.reserved == 0
    assert balances.free == Decimal("42500.50")
    entry = FundEntry.objects.get(source=Source.DONATION)
    assert entry.created_by == users.city_staff
    assert entry.donor_name == "张建国"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额必须大于零。"),
        ("-100", "金额必须大于零。"),
        ("10.001", "金额最多保留两位小数（精确到分）。"),
        ("abc", "金额须为数字（元）。"),
        ("NaN", "金额须为数字（元）。"),
        ("1000000000000", "金额过大，请核对。"),
    ],
)
def test_bad_amounts_are_refused_in_chinese_and_write_nothing(city_fund, users, amount, message):
    with pytest.raises(ValidationError) as error:
        services.receipt_record(
            actor=users.city_staff, fund=city_fund, date=days_ago(1), amount=amount, source=Source.PARTY_DUES
        )
    assert error.value.message_dict["amount"] == [message]
    assert entry_count() == 0


def test_a_donation_names_its_donor_and_a_subsidy_its_budget_document(city_fund, users):
    with pytest.raises(ValidationError) as error:
        services.receipt_record(
            actor=users.city_staff, fund=city_fund, date=days_ago(1), amount="10", source="donation"
        )
    assert "donor_name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.receipt_record(actor=users.city_staff, fund=city_fund, date=days_ago(1), amount="10", source="fiscal")
    assert "budget_document" in error.value.message_dict
    assert entry_count() == 0


def test_a_receipt_cannot_be_dated_in_the_future(city_fund, users):
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    with pytest.raises(ValidationError, match="日期不能晚于今天"):
        services.receipt_record(actor=users.city_staff, fund=city_fund, date=tomorrow, amount="10", source="party_dues")


def test_only_keepers_move_a_funds_money(city_fund, users, tree):
    with pytest.raises(ValidationError, match="您不能动用这笔基金"):
        receive(city_fund, "100", actor=users.county_staff)
    with pytest.raises(PermissionDenied):
        receive(city_fund, "100", actor=users.work_team)
    county_fund = make_fund(tree.a)
    receive(county_fund, "100", actor=users.county_staff)
    with pytest.raises(ValidationError, match="您不能动用这笔基金"):
        receive(make_fund(tree.b), "100", actor=users.county_staff)


# --- the ledger is append-only --------------------------------------------------------


def test_an_entry_cannot_be_edited_or_deleted_through_the_orm(city_fund, users):
    entry = receive(city_fund, "100", actor=users.city_staff)
    entry.amount = Decimal("1")
    with pytest.raises(LedgerImmutable):
        entry.save()
    with pytest.raises(LedgerImmutable):
        entry.delete()
    with pytest.raises(LedgerImmutable):
        FundEntry.objects.filter(pk=entry.pk).update(amount=Decimal("1"))
    with pytest.raises(LedgerImmutable):
        FundEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(LedgerImmutable):
        FundEntry.objects.all()._raw_delete(using="default")
    with pytest.raises(LedgerImmutable), transaction.atomic():
        FundEntry.objects.bulk_update([entry], ["amount"])
    with pytest.raises(ProtectedError), transaction.atomic():
        city_fund.delete()
    assert FundEntry.objects.get().amount == Decimal("100.00")


def test_a_receipt_is_corrected_by_one_reversal(city_fund, users):
    entry = receive(city_fund, "100", actor=users.city_staff)
    reversal = services.entry_reverse(actor=users.city_staff, entry=entry, reason="重复录入")
    assert reversal.amount == Decimal("-100.00")
    assert reversal.reverses == entry
    assert reversal.kind == EntryKind.REVERSAL
    assert reversal.created_by == users.city_staff
    assert selectors.fund_balances(city_fund).cash == 0
    with pytest.raises(ValidationError, match="已冲正过"):
        services.entry_reverse(actor=users.city_staff, entry=entry, reason="再冲一次")
    with pytest.raises(ValidationError, match="冲正分录不能再冲正"):
        services.entry_reverse(actor=users.city_staff, entry=reversal, reason="冲正冲正")
    assert entry_count() == 2


def test_a_reversal_needs_a_reason_and_the_permission(city_fund, users):
    entry = receive(city_fund, "100", actor=users.city_staff)
    with pytest.raises(ValidationError, match="请写明冲正原因"):
        services.entry_reverse(actor=users.city_staff, entry=entry, reason=" ")
    with pytest.raises(PermissionDenied):
        services.entry_reverse(actor=users.leader, entry=entry, reason="错")
    assert entry_count() == 1


def test_reversing_a_receipt_that_is_already_spent_is_refused(city_fund, users, tree):
    entry = receive(city_fund, "5000", actor=users.city_staff)
    make_application(users, tree.a1v, stage="paid", **support_fields("4000"))
    with pytest.raises(ValidationError, match="可用余额 1000.00 元"):
        services.entry_reverse(actor=users.city_staff, entry=entry, reason="录错")


def test_workflow_entries_are_not_reversed_by_hand(city_fund, users, tree):
    receive(city_fund, "5000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid", **support_fields("4000"))
    payment = application.entries.get()
    with pytest.raises(ValidationError, match="只有收入和代偿追回可以冲正"):
        services.entry_reverse(actor=users.city_staff, entry=payment, reason="错")


# --- fund per jurisdiction ------------------------------------------------------------


def test_a_member_draws_on_the_county_fund_where_the_county_keeps_one(city_fund, tree, users):
    county_fund = make_fund(tree.a)
    a_member = make_member(tree.a1v)
    b_member = make_member(tree.b1v)
    assert selectors.fund_for_member(a_member) == county_fund
    assert selectors.fund_for_member(b_member) == city_fund


def test_funds_are_seen_within_the_jurisdiction(city_fund, tree, users):
    county_fund = make_fund(tree.a)
    b_fund = make_fund(tree.b)
    assert set(Fund.objects.visible_to(users.city_staff)) == {city_fund, county_fund, b_fund}
    assert set(Fund.objects.visible_to(users.county_staff)) == {county_fund}
    assert not Fund.objects.visible_to(users.work_team).exists()
    receive(b_fund, "100", actor=users.county_b)
    receive(county_fund, "200", actor=users.county_staff)
    assert [e.amount for e in FundEntry.objects.visible_to(users.county_staff)] == [Decimal("200.00")]
    assert FundEntry.objects.visible_to(users.leader).count() == 2


def test_a_fund_sits_at_city_or_county_level(tree, users):
    with pytest.raises(ValidationError, match="只能设在市或县区一级"):
        make_fund(tree.a1)


# --- eligibility and applications -----------------------------------------------------


def test_an_eligible_member_has_no_reasons(city_fund, tree):
    member, _project = eligible_member(tree.a1v)
    assert selectors.application_eligibility(member) == []


def test_each_failed_condition_is_a_chinese_reason(city_fund, tree, users, trained):
    member = make_member(tree.a1v)  # no project
    trained.add(member.pk)
    member_decide_track(actor=users.county_staff, member=member, track=Track.RELIEF, reason="年老体弱")
    member.refresh_from_db()
    reasons = selectors.application_eligibility(member)
    assert reasons == [
        "尚未完成贫困党员培训班培训。",
        "没有已批准的致富项目。",
        "不属于脱困示范行动对象（帮扶类别为“社会救济”）。",
    ]


def test_a_member_out_of_poverty_is_not_eligible(city_fund, tree):
    member, _project = eligible_member(tree.a1v)
    FundApplication.objects.none()  # nothing else needed: set the status as an income check would
    type(member).objects.filter(pk=member.pk).update(status="out")
    member.refresh_from_db()
    assert selectors.application_eligibility(member) == ["脱贫状态为“脱贫”，基金只扶持贫困党员。"]


def test_an_ineligible_member_is_refused_with_the_reason(city_fund, tree, users, trained):
    member, project = eligible_member(tree.a1v)
    trained.add(member.pk)
    with pytest.raises(ValidationError) as error:
        services.application_create(actor=users.work_team, member=member, project=project, **support_fields())
    assert error.value.message_dict["member"] == ["尚未完成贫困党员培训班培训。"]
    assert not FundApplication.objects.exists()


def test_the_project_must_be_the_members_and_approved(city_fund, tree, users):
    member, _project = eligible_member(tree.a1v)
    other_project = make_project(make_member(tree.a1v), stage=ProjectStatus.APPROVED)
    with pytest.raises(ValidationError) as error:
        services.application_create(actor=users.work_team, member=member, project=other_project, **support_fields())
    assert error.value.message_dict["project"] == ["所选致富项目不属于该党员。"]
    proposed = make_project(member, stage=ProjectStatus.PROPOSED, title="蔬菜大棚")
    with pytest.raises(ValidationError, match="当前状态为“提出”，只有“已批准”或“实施中”的项目才能申请基金"):
        services.application_create(actor=users.work_team, member=member, project=proposed, **support_fields())


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (guarantee_fields(loan="30000", guaranteed="30000.01"), "guaranteed_amount", "担保金额不能大于贷款金额。"),
        (guarantee_fields(guaranteed="0"), "guaranteed_amount", "金额必须大于零。"),
        (guarantee_fields(loan="-5"), "loan_amount", "金额必须大于零。"),
        (guarantee_fields(bank=""), "bank", "请填写贷款银行。"),
        ({**guarantee_fields(), "term_months": None}, "term_months", "请填写贷款期限（月）。"),
        (support_fields(amount="100.555"), "amount", "金额最多保留两位小数（精确到分）。"),
        (support_fields(purpose=""), "purpose", "请填写资金用途。"),
    ],
)
def test_bad_application_input_is_refused_field_by_field(city_fund, tree, users, fields, field, message):
    member, project = eligible_member(tree.a1v)
    with pytest.raises(ValidationError) as error:
        services.application_create(actor=users.work_team, member=member, project=project, **fields)
    assert error.value.message_dict[field] == [message]
    assert not FundApplication.objects.exists()


def test_the_workflow_and_who_may_take_each_step(city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="draft")
    assert application.status == ApplicationStatus.DRAFT
    assert application.prepared_by == users.work_team
    with pytest.raises(PermissionDenied):
        services.application_submit(actor=users.leader, application=application)
    application = services.application_submit(actor=users.work_team, application=application)
    with pytest.raises(PermissionDenied):
        services.application_review(actor=users.work_team, application=application, opinion="好")
    with pytest.raises(ValidationError, match="请填写审核意见"):
        services.application_review(actor=users.township_staff, application=application, opinion="")
    with pytest.raises(ValidationError, match="当前状态为“已提交”，只有“已审核”的申请才能批准"):
        services.application_approve(actor=users.county_staff, application=application)
    application = services.application_review(actor=users.township_staff, application=application, opinion="属实")
    with pytest.raises(PermissionDenied):
        services.application_approve(actor=users.township_staff, application=application)
    application = services.application_approve(actor=users.county_staff, application=application)
    assert application.status == ApplicationStatus.APPROVED
    assert application.decided_by == users.county_staff
    with pytest.raises(PermissionDenied):
        services.application_disburse(actor=users.township_staff, application=application, source="party_dues")
    # history keeps every step with who took it
    assert [h.history_user for h in application.history.order_by("history_id")] == [
        users.work_team,
        users.work_team,
        users.township_staff,
        users.county_staff,
    ]


def test_a_refusal_needs_a_reason(city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="reviewed")
    with pytest.raises(ValidationError) as error:
        services.application_refuse(actor=users.county_staff, application=application, reason="  ")
    assert error.value.message_dict["reason"] == ["不予批准须写明理由。"]
    application = services.application_refuse(actor=users.county_staff, application=application, reason="项目风险大")
    assert application.status == ApplicationStatus.REFUSED
    assert application.refusal_reason == "项目风险大"


def test_only_a_draft_is_changed(city_fund, tree, users):
    application = make_application(users, tree.a1v, stage="draft")
    application = services.application_update(actor=users.work_team, application=application, amount=Decimal("6000"))
    assert application.amount == Decimal("6000.00")
    services.application_submit(actor=users.work_team, application=application)
    with pytest.raises(ValidationError, match="只有“草稿”的申请才能修改"):
        services.application_update(actor=users.work_team, application=application, amount=Decimal("7000"))


def test_approval_rechecks_eligibility(city_fund, tree, users, trained):
    application = make_application(users, tree.a1v, stage="reviewed")
    trained.add(application.member_id)
    with pytest.raises(ValidationError) as error:
        services.application_approve(actor=users.county_staff, application=application)
    assert error.value.message_dict["member"] == ["尚未完成贫困党员培训班培训。"]


# --- disbursement ----------------------------------------------------------------------


def test_disbursement_pays_from_the_chosen_source(city_fund, tree, users):
    receive(city_fund, "8000", actor=users.city_staff, source=Source.FISCAL)
    application = make_application(users, tree.a1v, **support_fields("5000"))
    entry = services.application_disburse(actor=users.city_staff, application=application, source=Source.FISCAL)
    assert entry.amount == Decimal("-5000.00")
    assert entry.kind == EntryKind.DISBURSEMENT
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DISBURSED
    assert selectors.fund_balances(city_fund)[Source.FISCAL].cash == Decimal("3000.00")
    with pytest.raises(ValidationError, match="当前状态为“已拨付”，只有“已批准”的申请才能拨付资金"):
        services.application_disburse(actor=users.city_staff, application=application, source=Source.FISCAL)


def test_a_disbursement_larger_than_the_free_balance_is_refused(city_fund, tree, users):
    receive(city_fund, "4999.99", actor=users.city_staff)
    receive(city_fund, "9000", actor=users.city_staff, source=Source.FISCAL)
    application = make_application(users, tree.a1v, **support_fields("5000"))
    with pytest.raises(ValidationError) as error:
        services.application_disburse(actor=users.city_staff, application=application, source=Source.PARTY_DUES)
    assert error.value.message_dict["source"] == ["党费拨付可用余额 4999.99 元，不足以拨付 5000.00 元。"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert entry_count() == 2


def test_the_policy_says_which_sources_pay_for_what(city_fund, tree, users):
    services.policy_set(
        actor=users.city_staff, support_sources=["fiscal"], guarantee_sources=["party_dues"], leverage=Decimal("5")
    )
    receive(city_fund, "90000", actor=users.city_staff)
    application = make_application(users, tree.a1v, **support_fields("5000"))
    with pytest.raises(ValidationError) as error:
        services.application_disburse(actor=users.city_staff, application=application, source="party_dues")
    assert error.value.message_dict["source"] == ["按基金使用规则，党费拨付不能用于资金扶持。"]
    with pytest.raises(PermissionDenied):
        services.policy_set(
            actor=users.county_staff, support_sources=["fiscal"], guarantee_sources=["fiscal"], leverage=Decimal(2)
        )


def test_a_county_clerk_cannot_pay_out_of_the_citys_fund(city_fund, tree, users):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v)
    with pytest.raises(ValidationError, match="由河洛市管理"):
        services.application_disburse(actor=users.county_staff, application=application, source="party_dues")


# --- guarantees ------------------------------------------------------------------------


def test_a_guarantee_reserves_guaranteed_amount_over_n(city_fund, tree, users):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, **guarantee_fields(loan="50000", guaranteed="40000"))
    guarantee = services.guarantee_issue(actor=users.city_staff, application=application, source="party_dues")
    assert guarantee.reserved_amount == Decimal("8000.00")  # 40000 / 5
    assert guarantee.due_on.month == (guarantee.issued_on.month + 24 - 1) % 12 + 1
    balances = selectors.fund_balances(city_fund)
    assert balances.cash == Decimal("20000.00")
    assert balances.reserved == Decimal("8000.00")
    assert balances.free == Decimal("12000.00")
    assert selectors.outstanding_guarantees(city_fund) == Decimal("40000.00")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.GUARANTEE_ISSUED


def test_reservation_rounds_up_to_the_fen(city_fund, users):
    assert services.reservation_for(Decimal("10000.00"), Decimal("3")) == Decimal("3333.34")


def test_the_exposure_limit_holds(city_fund, tree, users):
    receive(city_fund, "10000", actor=users.city_staff)
    services.policy_set(
        actor=users.city_staff,
        support_sources=list(Source.values),
        guarantee_sources=list(Source.values),
        leverage=Decimal("5"),
    )
    first = make_application(users, tree.a1v, **guarantee_fields(loan="40000", guaranteed="40000"))
    services.guarantee_issue(actor=users.city_staff, application=first, source="party_dues")
    # the city lowers N: 40000 outstanding against 10000 × 3 = 30000 allowed; nothing new fits
    services.policy_set(
        actor=users.city_staff,
        support_sources=list(Source.values),
        guarantee_sources=list(Source.values),
        leverage=Decimal("3"),
    )
    second = make_application(users, tree.a1v, **guarantee_fields(loan="1000", guaranteed="1000"))
    with pytest.raises(ValidationError, match="超过上限 30000.00 元"):
        services.guarantee_issue(actor=users.city_staff, application=second, source="party_dues")
    support = make_application(users, tree.a1v, **support_fields("100"))
    with pytest.raises(ValidationError, match="在保余额将达 40000.00 元，超过上限 29700.00 元"):
        services.application_disburse(actor=users.city_staff, application=support, source="party_dues")
    assert Guarantee.objects.count() == 1


def test_release_frees_the_reservation(city_fund, tree, users):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid", **guarantee_fields())
    guarantee = application.guarantee
    services.guarantee_release(actor=users.city_staff, guarantee=guarantee)
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.RELEASED
    assert selectors.fund_balances(city_fund).reserved == 0
    assert selectors.outstanding_guarantees(city_fund) == 0
    with pytest.raises(ValidationError, match="已解除"):
        services.guarantee_release(actor=users.city_staff, guarantee=guarantee)
    with pytest.raises(ValidationError) as error:
        services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="100")
    assert error.value.message_dict["amount"] == ["该担保已解除（贷款已还清），不能登记还款。"]
    with pytest.raises(ValidationError, match="已解除"):
        services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="100")


def test_a_call_pays_the_bank_and_recovery_runs_to_its_end(city_fund, tree, users):
    receive(city_fund, "20000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="40000"))
    guarantee = application.guarantee
    with pytest.raises(ValidationError) as error:
        services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="100")
    assert error.value.message_dict["amount"] == ["该担保尚未代偿，无需向党员追偿。"]
    with pytest.raises(ValidationError, match="不能超过担保金额"):
        services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="40000.01")
    call = services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="15000")
    balances = selectors.fund_balances(city_fund)
    assert balances.reserved == 0
    assert balances.cash == Decimal("5000.00")
    services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="6000")
    assert selectors.recovered_amount(call) == Decimal("6000.00")
    with pytest.raises(ValidationError, match="超过尚欠的 9000.00 元"):
        services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="9000.01")
    services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="9000")
    call.refresh_from_db()
    assert call.status == RecoveryStatus.RECOVERED
    assert selectors.fund_balances(city_fund).cash == Decimal("20000.00")
    with pytest.raises(ValidationError, match="追偿已终结"):
        services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="1")


def test_reversing_a_recovery_reopens_the_recovery(city_fund, tree, users):
    receive(city_fund, "20000", actor=users.city_staff)
    guarantee = make_application(users, tree.a1v, stage="paid", **guarantee_fields()).guarantee
    call = services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="1000")
    entry = services.recovery_record(actor=users.city_staff, guarantee=guarantee, amount="1000")
    call.refresh_from_db()
    assert call.status == RecoveryStatus.RECOVERED
    services.entry_reverse(actor=users.city_staff, entry=entry, reason="银行退票")
    call.refresh_from_db()
    assert call.status == RecoveryStatus.RECOVERING
    assert selectors.recovered_amount(call) == 0


def test_a_recovery_is_closed_by_write_off_with_a_reason(city_fund, tree, users):
    receive(city_fund, "20000", actor=users.city_staff)
    guarantee = make_application(users, tree.a1v, stage="paid", **guarantee_fields()).guarantee
    call = services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="1000")
    with pytest.raises(ValidationError, match="请写明核销理由"):
        services.recovery_close(actor=users.city_staff, call=call, reason="")
    call = services.recovery_close(actor=users.city_staff, call=call, reason="本人因病丧失劳动能力，经研究核销")
    assert call.status == RecoveryStatus.WRITTEN_OFF


def test_a_call_cannot_overdraw_the_source(city_fund, tree, users):
    receive(city_fund, "8000", actor=users.city_staff)
    guarantee = make_application(users, tree.a1v, stage="paid", **guarantee_fields(guaranteed="40000")).guarantee
    with pytest.raises(ValidationError, match="可用余额 8000.00 元，不足以代偿"):
        services.guarantee_call(actor=users.city_staff, guarantee=guarantee, amount="8000.01")
    guarantee.refresh_from_db()
    assert guarantee.status == GuaranteeStatus.ISSUED
    assert selectors.fund_balances(city_fund).reserved == Decimal("8000.00")


# --- supervision of use ---------------------------------------------------------------


def test_misuse_opens_a_follow_up_closed_with_its_result(city_fund, tree, users):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid")
    with pytest.raises(ValidationError) as error:
        services.inspection_record(
            actor=users.work_team,
            application=application,
            inspected_on=days_ago(1),
            findings="部分资金用于家庭开支",
            conclusion="misuse",
        )
    assert set(error.value.message_dict) == {"required_action", "deadline"}
    inspection = services.inspection_record(
        actor=users.work_team,
        application=application,
        inspected_on=days_ago(1),
        findings="部分资金用于家庭开支",
        conclusion="misuse",
        required_action="一个月内补足养殖投入",
        deadline=days_ago(-30),
    )
    follow_up = inspection.follow_up
    assert follow_up.status == FollowUpStatus.OPEN
    with pytest.raises(ValidationError, match="请填写整改结果"):
        services.follow_up_close(actor=users.work_team, follow_up=follow_up, result="")
    follow_up = services.follow_up_close(actor=users.township_staff, follow_up=follow_up, result="已补足投入")
    assert follow_up.status == FollowUpStatus.CLOSED
    assert follow_up.closed_by == users.township_staff
    with pytest.raises(ValidationError, match="已办结"):
        services.follow_up_close(actor=users.work_team, follow_up=follow_up, result="再办")


def test_proper_use_opens_nothing_and_undisbursed_money_is_not_inspected(city_fund, tree, users):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid")
    services.inspection_record(
        actor=users.work_team,
        application=application,
        inspected_on=days_ago(1),
        findings="用于购牛",
        conclusion="proper",
    )
    assert not FollowUp.objects.exists()
    approved = make_application(users, tree.a1v)
    with pytest.raises(ValidationError, match="尚未拨付"):
        services.inspection_record(
            actor=users.work_team, application=approved, inspected_on=days_ago(1), findings="x", conclusion="proper"
        )


# --- hooks -----------------------------------------------------------------------------


def test_work_items_show_each_users_step(city_fund, tree, users):
    draft = make_application(users, tree.a1v, stage="draft")
    submitted = make_application(users, tree.a1v, stage="submitted")
    reviewed = make_application(users, tree.a1v, stage="reviewed")
    approved = make_application(users, tree.a1v)

    def urls(user):
        return {item["url"] for item in selectors.work_items(user)}

    assert urls(users.work_team) == {draft.get_absolute_url()}
    assert urls(users.township_staff) == {submitted.get_absolute_url()}
    # the county approves and reviews, but pays only from its own fund (the city's here)
    assert urls(users.county_staff) == {submitted.get_absolute_url(), reviewed.get_absolute_url()}
    assert approved.get_absolute_url() in urls(users.city_staff)
    assert urls(users.county_b) == set()


def test_work_items_list_follow_ups_due(city_fund, tree, users):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="paid")
    services.inspection_record(
        actor=users.work_team,
        application=application,
        inspected_on=days_ago(1),
        findings="挪用",
        conclusion="misuse",
        required_action="退回",
        deadline=days_ago(-10),
    )
    items = [i for i in selectors.work_items(users.work_team) if i["kind"] == "fund_follow_up"]
    assert len(items) == 1
    assert items[0]["due"] == days_ago(-10)


def test_application_kind_choices_are_the_two_forms_of_help():
    assert set(ApplicationKind.values) == {"guarantee", "support"}
    assert set(Account.values) == {"cash", "reserved"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's (migration 0002)"
)
def test_the_database_refuses_raw_updates_and_deletes(city_fund, users):
    # The test database is built without migrations (--no-migrations): install the
    # trigger with the migration's own function.
    trigger = importlib.import_module("fund.migrations.0002_ledger_append_only_trigger")
    with connection.schema_editor() as editor:
        trigger.create_trigger(None, editor)
    entry = receive(city_fund, "100", actor=users.city_staff)
    for sql in (
        "UPDATE fund_fundentry SET amount = 1 WHERE id = %s",
        "DELETE FROM fund_fundentry WHERE id = %s",
    ):
        with pytest.raises(InternalError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert FundEntry.objects.get().amount == Decimal("100.00")
