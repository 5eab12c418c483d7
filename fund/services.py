"""Every write to the fund, with its rules.

Spending (a disbursement, a guarantee's reservation, a call payment, the reversal of a
receipt) locks the fund's row with ``select_for_update`` first, then sums the ledger,
checks, and appends, all in one transaction: two clerks paying at once queue on the
lock, so the balance never goes negative and the exposure limit is never exceeded (a
check-then-append without the lock lets 11 to 20 of 20 concurrent payments through when
10 fit). Locks are always taken fund first, then the application or guarantee.
"""

import calendar
from datetime import date
from decimal import ROUND_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Member
from organization.choices import RegionLevel

from . import selectors
from .choices import (
    REVERSIBLE_KINDS,
    Account,
    ApplicationKind,
    ApplicationStatus,
    EntryKind,
    FollowUpStatus,
    GuaranteeStatus,
    InspectionConclusion,
    RecoveryStatus,
    Source,
)
from .models import (
    FollowUp,
    Fund,
    FundApplication,
    FundEntry,
    FundInspection,
    FundPolicy,
    Guarantee,
    GuaranteeCall,
)

FEN = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")


# --- checks ----------------------------------------------------------------------------


def _either(labels) -> str:
    """The states a step needs, quoted for a message: “甲” or “甲”或“乙”."""
    quoted = [_("“%(label)s”") % {"label": label} for label in labels]
    if len(quoted) == 1:
        return quoted[0]
    return _("%(some)s或%(last)s") % {"some": "、".join(quoted[:-1]), "last": quoted[-1]}


def money(value, field: str = "amount") -> Decimal:
    """A positive amount in yuan to the fen, or a ValidationError on ``field`` saying what is wrong."""
    if value is None or value == "":
        raise ValidationError({field: _("请填写金额。")})
    try:
        value = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({field: _("金额须为数字（元）。")}) from None
    if not value.is_finite():
        raise ValidationError({field: _("金额须为数字（元）。")})
    if value <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if value != value.quantize(FEN):
        raise ValidationError({field: _("金额最多保留两位小数（精确到分）。")})
    if value > MAX_AMOUNT:
        raise ValidationError({field: _("金额过大，请核对。")})
    return value.quantize(FEN)


def _require(actor, permission: str) -> None:
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(_("您的角色没有这项权限。"))


def _require_keeper(actor, fund: Fund) -> None:
    """Only the staff whose jurisdiction holds the fund move its money."""
    if actor is None or actor.is_superuser:
        return
    if actor.region is None or not fund.region.path.startswith(actor.region.path):
        raise ValidationError(
            _("%(fund)s由%(region)s管理，您不能动用这笔基金。") % {"fund": fund.name, "region": fund.region.name}
        )


def _require_member_in_scope(actor, member: Member) -> None:
    if actor is not None and not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("该党员不在您的管辖范围内。")})


def _not_future(day: date, field: str) -> date:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})
    return day


def _lock_fund(fund: Fund) -> Fund:
    return Fund.objects.select_related("region").select_for_update(of=("self",)).get(pk=fund.pk)


def _append(**fields) -> FundEntry:
    entry = FundEntry(**fields)
    entry.full_clean()
    entry.save()
    return entry


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _check_exposure(fund: Fund, policy: FundPolicy, balances, *, new_guarantee=Decimal(0), cash_change=None) -> None:
    """Outstanding guarantees stay within N times the cash of the sources that back guarantees."""
    cash_change = cash_change or {}
    backing = sum(
        (balances[s].cash + cash_change.get(s, Decimal(0)) for s in policy.guarantee_sources), Decimal("0.00")
    )
    outstanding = selectors.outstanding_guarantees(fund) + new_guarantee
    limit = (backing * policy.leverage).quantize(FEN)
    if outstanding > limit:
        raise ValidationError(
            _(
                "在保余额将达 %(outstanding)s 元，超过上限 %(limit)s 元"
                "（可担保来源资金 %(backing)s 元 × 放大倍数 %(leverage)s）。"
            )
            % {"outstanding": outstanding, "limit": limit, "backing": backing, "leverage": policy.leverage}
        )


def _check_free(balances, source: str, amount: Decimal, field: str, what: str) -> None:
    free = balances[source].free
    if free < amount:
        raise ValidationError(
            {
                field: _("%(source)s可用余额 %(free)s 元，不足以%(what)s %(amount)s 元。")
                % {"source": Source(source).label, "free": free, "what": what, "amount": amount}
            }
        )


# --- funds and the city's rules --------------------------------------------------------


@transaction.atomic
def fund_create(*, actor, region, name: str = "") -> Fund:
    _require(actor, "fund.add_fund")
    if region.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"region": _("基金只能设在市或县区一级。")})
    if actor is not None and not actor.is_superuser and not region.path.startswith(actor.region.path):
        raise ValidationError({"region": _("只能在您管辖范围内设立基金。")})
    fund = Fund(region=region, name=name or _("%(region)s贫困党员脱困基金") % {"region": region.name})
    fund.full_clean()
    fund._history_user = actor
    fund.save()
    return fund


@transaction.atomic
def policy_set(*, actor, support_sources, guarantee_sources, leverage) -> FundPolicy:
    """Set the city's rules (which sources pay for what, the leverage N)."""
    _require(actor, "fund.change_fundpolicy")
    errors = {}
    for field, chosen in (("support_sources", support_sources), ("guarantee_sources", guarantee_sources)):
        unknown = [code for code in chosen if code not in Source.values]
        if unknown:
            errors[field] = _("未知的资金来源：%(codes)s") % {"codes": "、".join(map(str, unknown))}
        elif not chosen:
            errors[field] = _("请至少选择一个资金来源。")
    if errors:
        raise ValidationError(errors)
    policy = FundPolicy.objects.select_for_update().order_by("pk").first() or FundPolicy()
    policy.support_sources = list(support_sources)
    policy.guarantee_sources = list(guarantee_sources)
    policy.leverage = leverage
    policy.set_by = actor
    policy.full_clean()
    policy._history_user = actor
    policy.save()
    return policy


# --- the ledger ------------------------------------------------------------------------


@transaction.atomic
def receipt_record(
    *,
    actor,
    fund: Fund,
    date: date,
    amount,
    source: str,
    reference: str = "",
    donor_name: str = "",
    budget_document: str = "",
) -> FundEntry:
    """Money coming in from one of the three sources (党费拨付、党员捐款、财政补助)."""
    _require(actor, "fund.add_fundentry")
    _require_keeper(actor, fund)
    amount = money(amount)
    _not_future(date, "date")
    errors = {}
    if source not in Source.values:
        errors["source"] = _("请选择资金来源。")
    if source == Source.DONATION and not donor_name.strip():
        errors["donor_name"] = _("党员捐款须填写捐款人。")
    if source == Source.FISCAL and not budget_document.strip():
        errors["budget_document"] = _("财政补助须填写预算文件文号。")
    if errors:
        raise ValidationError(errors)
    return _append(
        fund=fund,
        date=date,
        amount=amount,
        source=source,
        account=Account.CASH,
        kind=EntryKind.RECEIPT,
        reference=reference.strip(),
        donor_name=donor_name.strip() if source == Source.DONATION else "",
        budget_document=budget_document.strip() if source == Source.FISCAL else "",
        created_by=actor,
    )


@transaction.atomic
def entry_reverse(*, actor, entry: FundEntry, reason: str, date: date | None = None) -> FundEntry:
    """Correct a receipt or a recovery by a reversing entry that points at it (冲正)."""
    _require(actor, "fund.reverse_fundentry")
    fund = _lock_fund(entry.fund)
    _require_keeper(actor, fund)
    entry = FundEntry.objects.select_related("guarantee").get(pk=entry.pk)
    if entry.kind == EntryKind.REVERSAL:
        raise ValidationError(_("冲正分录不能再冲正。"))
    if entry.kind not in REVERSIBLE_KINDS:
        raise ValidationError(_("只有收入和代偿追回可以冲正；拨付和担保的分录随申请、担保办理。"))
    if FundEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("该分录已冲正过，不能重复冲正。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明冲正原因。")})
    day = _not_future(date or timezone.localdate(), "date")
    if day < entry.date:
        raise ValidationError({"date": _("冲正日期不能早于原分录日期。")})
    balances = selectors.fund_balances(fund)
    policy = selectors.current_policy()
    # Taking money back out of the fund is spending: it must fit the free balance and the exposure limit.
    _check_free(balances, entry.source, entry.amount, "reason", _("冲正"))
    _check_exposure(fund, policy, balances, cash_change={entry.source: -entry.amount})
    reversal = _append(
        fund=fund,
        date=day,
        amount=-entry.amount,
        source=entry.source,
        account=entry.account,
        kind=EntryKind.REVERSAL,
        reference=reason.strip()[:128],
        donor_name=entry.donor_name,
        budget_document=entry.budget_document,
        application=entry.application,
        guarantee=entry.guarantee,
        reverses=entry,
        created_by=actor,
    )
    if entry.kind == EntryKind.RECOVERY:
        call = GuaranteeCall.objects.select_for_update().get(guarantee=entry.guarantee)
        if call.status == RecoveryStatus.RECOVERED:
            call.status, call.closed_on = RecoveryStatus.RECOVERING, None
            call._history_user = actor
            call.save()
    return reversal


# --- applications ----------------------------------------------------------------------

GUARANTEE_FIELDS = ("bank", "loan_amount", "guaranteed_amount", "term_months")
SUPPORT_FIELDS = ("amount", "purpose")
APPLICATION_FIELDS = ("project", "kind", *GUARANTEE_FIELDS, *SUPPORT_FIELDS)


def _check_eligible(member: Member) -> None:
    reasons = selectors.application_eligibility(member)
    if reasons:
        raise ValidationError({"member": reasons})


def _clean_application(application: FundApplication) -> None:
    """The fields the kind needs, amounts to the fen, the project the member's and approved."""
    from projects.choices import APPROVED_STATES, ProjectStatus

    errors = {}
    project = application.project if application.project_id else None
    if project is None:
        errors["project"] = _("请选择已批准的致富项目。")
    elif project.member_id != application.member_id:
        errors["project"] = _("所选致富项目不属于该党员。")
    elif project.status not in APPROVED_STATES:
        errors["project"] = _(
            "所选致富项目当前状态为“%(status)s”，只有%(allowed)s的项目才能申请基金；请选择其他项目。"
        ) % {
            "status": project.get_status_display(),
            "allowed": _either(
                ProjectStatus(state).label for state in ProjectStatus.values if state in APPROVED_STATES
            ),
        }
    if application.kind == ApplicationKind.GUARANTEE:
        application.amount, application.purpose = None, ""
        if not application.bank.strip():
            errors["bank"] = _("请填写贷款银行。")
        for name in ("loan_amount", "guaranteed_amount"):
            try:
                setattr(application, name, money(getattr(application, name), name))
            except ValidationError as error:
                errors.update(error.message_dict)
        if not application.term_months:
            errors["term_months"] = _("请填写贷款期限（月）。")
        if (
            "loan_amount" not in errors
            and "guaranteed_amount" not in errors
            and application.guaranteed_amount > application.loan_amount
        ):
            errors["guaranteed_amount"] = _("担保金额不能大于贷款金额。")
    elif application.kind == ApplicationKind.SUPPORT:
        application.bank, application.loan_amount, application.guaranteed_amount, application.term_months = (
            "",
            None,
            None,
            None,
        )
        try:
            application.amount = money(application.amount, "amount")
        except ValidationError as error:
            errors.update(error.message_dict)
        if not application.purpose.strip():
            errors["purpose"] = _("请填写资金用途。")
    else:
        errors["kind"] = _("请选择申请类型。")
    if errors:
        raise ValidationError(errors)
    application.full_clean()


@transaction.atomic
def application_create(*, actor, member: Member, **fields) -> FundApplication:
    """A draft, prepared with the work team; the member must be eligible (有能力、有项目、缺资金)."""
    _require(actor, "fund.add_fundapplication")
    _require_member_in_scope(actor, member)
    _check_eligible(member)
    fund = selectors.fund_for_member(member)
    if fund is None:
        raise ValidationError(_("尚未设立服务该党员的脱困基金，请联系市委组织部。"))
    application = FundApplication(member=member, fund=fund, prepared_by=actor, **fields)
    _clean_application(application)
    application._history_user = actor
    application.save()
    return application


def _lock_application(application: FundApplication, *statuses, step: str) -> FundApplication:
    """Lock the application; ``step`` (a verb: 批准, 拨付 ...) names what needs one of ``statuses``."""
    locked = (
        FundApplication.objects.select_for_update(of=("self",))
        .select_related("member", "fund__region")
        .get(pk=application.pk)
    )
    if statuses and locked.status not in statuses:
        raise ValidationError(
            _("该申请当前状态为“%(status)s”，只有%(allowed)s的申请才能%(step)s。")
            % {
                "status": locked.get_status_display(),
                "allowed": _either(label for value, label in ApplicationStatus.choices if value in statuses),
                "step": step,
            }
        )
    return locked


@transaction.atomic
def application_update(*, actor, application: FundApplication, **fields) -> FundApplication:
    _require(actor, "fund.change_fundapplication")
    application = _lock_application(application, ApplicationStatus.DRAFT, step=_("修改"))
    for name, value in fields.items():
        if name not in APPLICATION_FIELDS:
            raise ValidationError(_("字段“%(name)s”不能修改。") % {"name": name})
        setattr(application, name, value)
    _clean_application(application)
    application._history_user = actor
    application.save()
    return application


def _move(application: FundApplication, actor, status: str, **changes) -> FundApplication:
    application.status = status
    for name, value in changes.items():
        setattr(application, name, value)
    application.full_clean()
    application._history_user = actor
    application.save()
    return application


@transaction.atomic
def application_submit(*, actor, application: FundApplication) -> FundApplication:
    _require(actor, "fund.submit_fundapplication")
    application = _lock_application(application, ApplicationStatus.DRAFT, step=_("提交"))
    _check_eligible(application.member)
    _clean_application(application)
    return _move(application, actor, ApplicationStatus.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def application_review(*, actor, application: FundApplication, opinion: str) -> FundApplication:
    _require(actor, "fund.review_fundapplication")
    application = _lock_application(application, ApplicationStatus.SUBMITTED, step=_("审核"))
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写审核意见。")})
    return _move(application, actor, ApplicationStatus.REVIEWED, reviewed_by=actor, review_opinion=opinion.strip())


@transaction.atomic
def application_approve(*, actor, application: FundApplication) -> FundApplication:
    _require(actor, "fund.approve_fundapplication")
    application = _lock_application(application, ApplicationStatus.REVIEWED, step=_("批准"))
    _check_eligible(application.member)
    return _move(application, actor, ApplicationStatus.APPROVED, decided_by=actor, decided_at=timezone.now())


@transaction.atomic
def application_refuse(*, actor, application: FundApplication, reason: str) -> FundApplication:
    _require(actor, "fund.approve_fundapplication")
    application = _lock_application(
        application, ApplicationStatus.SUBMITTED, ApplicationStatus.REVIEWED, step=_("决定不予批准")
    )
    if not reason.strip():
        raise ValidationError({"reason": _("不予批准须写明理由。")})
    return _move(
        application,
        actor,
        ApplicationStatus.REFUSED,
        decided_by=actor,
        decided_at=timezone.now(),
        refusal_reason=reason.strip(),
    )


def _check_source(policy: FundPolicy, source: str, allowed, what: str) -> None:
    if source not in Source.values:
        raise ValidationError({"source": _("请选择资金来源。")})
    if source not in allowed:
        raise ValidationError(
            {
                "source": _("按基金使用规则，%(source)s不能用于%(what)s。")
                % {"source": Source(source).label, "what": what}
            }
        )


@transaction.atomic
def application_disburse(
    *, actor, application: FundApplication, source: str, paid_on: date | None = None, reference: str = ""
) -> FundEntry:
    """Pay approved direct support out of one source's free balance (资金扶持拨付)."""
    _require(actor, "fund.disburse_fundapplication")
    fund = _lock_fund(application.fund)
    application = _lock_application(application, ApplicationStatus.APPROVED, step=_("拨付资金"))
    if application.kind != ApplicationKind.SUPPORT:
        raise ValidationError(_("贷款担保申请应出具担保，不直接拨付。"))
    _require_keeper(actor, fund)
    day = _not_future(paid_on or timezone.localdate(), "paid_on")
    policy = selectors.current_policy()
    _check_source(policy, source, policy.support_sources, _("资金扶持"))
    balances = selectors.fund_balances(fund)
    _check_free(balances, source, application.amount, "source", _("拨付"))
    _check_exposure(fund, policy, balances, cash_change={source: -application.amount})
    entry = _append(
        fund=fund,
        date=day,
        amount=-application.amount,
        source=source,
        account=Account.CASH,
        kind=EntryKind.DISBURSEMENT,
        reference=reference.strip() or _("资金扶持：%(member)s") % {"member": application.member.name},
        application=application,
        created_by=actor,
    )
    _move(application, actor, ApplicationStatus.DISBURSED)
    return entry


def reservation_for(guaranteed_amount: Decimal, leverage: Decimal) -> Decimal:
    """The cash a guarantee sets aside: guaranteed amount ÷ N, rounded up to the fen."""
    return (guaranteed_amount / leverage).quantize(FEN, rounding=ROUND_UP)


@transaction.atomic
def guarantee_issue(*, actor, application: FundApplication, source: str, issued_on: date | None = None) -> Guarantee:
    """Give an approved loan guarantee: reserve guaranteed ÷ N of one source, within the exposure limit."""
    _require(actor, "fund.disburse_fundapplication")
    fund = _lock_fund(application.fund)
    application = _lock_application(application, ApplicationStatus.APPROVED, step=_("出具担保"))
    if application.kind != ApplicationKind.GUARANTEE:
        raise ValidationError(_("资金扶持申请应拨付资金，不出具担保。"))
    _require_keeper(actor, fund)
    day = _not_future(issued_on or timezone.localdate(), "issued_on")
    policy = selectors.current_policy()
    _check_source(policy, source, policy.guarantee_sources, _("贷款担保"))
    reserved = reservation_for(application.guaranteed_amount, policy.leverage)
    balances = selectors.fund_balances(fund)
    _check_free(balances, source, reserved, "source", _("占用担保"))
    _check_exposure(fund, policy, balances, new_guarantee=application.guaranteed_amount)
    guarantee = Guarantee(
        application=application,
        member=application.member,
        fund=fund,
        source=source,
        bank=application.bank,
        loan_amount=application.loan_amount,
        guaranteed_amount=application.guaranteed_amount,
        reserved_amount=reserved,
        term_months=application.term_months,
        issued_on=day,
        due_on=add_months(day, application.term_months),
        issued_by=actor,
    )
    guarantee.full_clean()
    guarantee._history_user = actor
    guarantee.save()
    _append(
        fund=fund,
        date=day,
        amount=reserved,
        source=source,
        account=Account.RESERVED,
        kind=EntryKind.RESERVATION,
        reference=_("担保占用：%(member)s %(bank)s") % {"member": application.member.name, "bank": application.bank},
        application=application,
        guarantee=guarantee,
        created_by=actor,
    )
    _move(application, actor, ApplicationStatus.GUARANTEE_ISSUED)
    return guarantee


def _lock_guarantee(guarantee: Guarantee) -> tuple[Fund, Guarantee]:
    fund = _lock_fund(guarantee.fund)
    locked = Guarantee.objects.select_for_update(of=("self",)).select_related("member").get(pk=guarantee.pk)
    return fund, locked


def _end_reservation(guarantee: Guarantee, actor, day: date, kind: str, reference: str) -> FundEntry:
    return _append(
        fund_id=guarantee.fund_id,
        date=day,
        amount=-guarantee.reserved_amount,
        source=guarantee.source,
        account=Account.RESERVED,
        kind=kind,
        reference=reference,
        application_id=guarantee.application_id,
        guarantee=guarantee,
        created_by=actor,
    )


def _check_in_force(guarantee: Guarantee) -> None:
    if guarantee.status == GuaranteeStatus.RELEASED:
        raise ValidationError(_("该担保已解除（贷款已还清），不能再办理。"))
    if guarantee.status == GuaranteeStatus.CALLED:
        raise ValidationError(_("该担保已代偿，不能再办理。"))


@transaction.atomic
def guarantee_release(*, actor, guarantee: Guarantee, released_on: date | None = None) -> Guarantee:
    """The bank loan is repaid: the guarantee ends and its reservation is freed."""
    _require(actor, "fund.change_guarantee")
    fund, guarantee = _lock_guarantee(guarantee)
    _require_keeper(actor, fund)
    _check_in_force(guarantee)
    day = _not_future(released_on or timezone.localdate(), "released_on")
    if day < guarantee.issued_on:
        raise ValidationError({"released_on": _("解除日期不能早于出具日期。")})
    _end_reservation(guarantee, actor, day, EntryKind.RELEASE, _("贷款还清，解除担保"))
    guarantee.status, guarantee.ended_on = GuaranteeStatus.RELEASED, day
    guarantee._history_user = actor
    guarantee.save()
    return guarantee


@transaction.atomic
def guarantee_call(*, actor, guarantee: Guarantee, amount, paid_on: date | None = None) -> GuaranteeCall:
    """The member defaulted: the fund pays the bank (代偿) and starts recovering from the member."""
    _require(actor, "fund.change_guarantee")
    fund, guarantee = _lock_guarantee(guarantee)
    _require_keeper(actor, fund)
    _check_in_force(guarantee)
    amount = money(amount)
    if amount > guarantee.guaranteed_amount:
        raise ValidationError(
            {"amount": _("代偿金额不能超过担保金额 %(limit)s 元。") % {"limit": guarantee.guaranteed_amount}}
        )
    day = _not_future(paid_on or timezone.localdate(), "paid_on")
    if day < guarantee.issued_on:
        raise ValidationError({"paid_on": _("代偿日期不能早于出具日期。")})
    # The reservation is freed first: the payment may use it and whatever else is free.
    balances = selectors.fund_balances(fund)
    balances[guarantee.source].reserved -= guarantee.reserved_amount
    _check_free(balances, guarantee.source, amount, "amount", _("代偿"))
    _end_reservation(guarantee, actor, day, EntryKind.RELEASE, _("代偿，解除担保占用"))
    _append(
        fund=fund,
        date=day,
        amount=-amount,
        source=guarantee.source,
        account=Account.CASH,
        kind=EntryKind.CALL_PAYMENT,
        reference=_("代偿 %(bank)s：%(member)s") % {"bank": guarantee.bank, "member": guarantee.member.name},
        application_id=guarantee.application_id,
        guarantee=guarantee,
        created_by=actor,
    )
    guarantee.status, guarantee.ended_on = GuaranteeStatus.CALLED, day
    guarantee._history_user = actor
    guarantee.save()
    call = GuaranteeCall(guarantee=guarantee, member=guarantee.member, paid_on=day, paid_amount=amount)
    call.full_clean()
    call._history_user = actor
    call.save()
    return call


@transaction.atomic
def recovery_record(
    *, actor, guarantee: Guarantee, amount, received_on: date | None = None, reference: str = ""
) -> FundEntry:
    """A repayment from the member after a call (追偿还款); the call ends when all is back."""
    _require(actor, "fund.change_guaranteecall")
    fund, guarantee = _lock_guarantee(guarantee)
    _require_keeper(actor, fund)
    if guarantee.status == GuaranteeStatus.RELEASED:
        raise ValidationError({"amount": _("该担保已解除（贷款已还清），不能登记还款。")})
    if guarantee.status == GuaranteeStatus.ISSUED:
        raise ValidationError({"amount": _("该担保尚未代偿，无需向党员追偿。")})
    call = GuaranteeCall.objects.select_for_update().get(guarantee=guarantee)
    if call.status != RecoveryStatus.RECOVERING:
        raise ValidationError({"amount": _("追偿已终结，不能再登记还款。")})
    amount = money(amount)
    day = _not_future(received_on or timezone.localdate(), "received_on")
    if day < call.paid_on:
        raise ValidationError({"received_on": _("还款日期不能早于代偿日期。")})
    owed = call.paid_amount - selectors.recovered_amount(call)
    if amount > owed:
        raise ValidationError(
            {"amount": _("还款 %(amount)s 元超过尚欠的 %(owed)s 元。") % {"amount": amount, "owed": owed}}
        )
    entry = _append(
        fund=fund,
        date=day,
        amount=amount,
        source=guarantee.source,
        account=Account.CASH,
        kind=EntryKind.RECOVERY,
        reference=reference.strip() or _("追偿还款：%(member)s") % {"member": guarantee.member.name},
        application_id=guarantee.application_id,
        guarantee=guarantee,
        created_by=actor,
    )
    if amount == owed:
        call.status, call.closed_on = RecoveryStatus.RECOVERED, day
        call._history_user = actor
        call.save()
    return entry


@transaction.atomic
def recovery_close(*, actor, call: GuaranteeCall, reason: str, closed_on: date | None = None) -> GuaranteeCall:
    """End the recovery with what is still owed written off (核销), with the reason."""
    _require(actor, "fund.change_guaranteecall")
    fund, _guarantee = _lock_guarantee(call.guarantee)
    _require_keeper(actor, fund)
    call = GuaranteeCall.objects.select_for_update().get(pk=call.pk)
    if call.status != RecoveryStatus.RECOVERING:
        raise ValidationError(_("追偿已终结。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请写明核销理由。")})
    day = _not_future(closed_on or timezone.localdate(), "closed_on")
    call.status, call.closed_on, call.close_reason = RecoveryStatus.WRITTEN_OFF, day, reason.strip()
    call.full_clean()
    call._history_user = actor
    call.save()
    return call


# --- supervision of use ----------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    actor,
    application: FundApplication,
    inspected_on: date,
    findings: str,
    conclusion: str,
    required_action: str = "",
    deadline: date | None = None,
) -> FundInspection:
    """The work team's check of how the money is used; misuse opens a follow-up (整改)."""
    _require(actor, "fund.add_fundinspection")
    application = FundApplication.objects.select_related("member").get(pk=application.pk)
    if application.status not in (ApplicationStatus.DISBURSED, ApplicationStatus.GUARANTEE_ISSUED):
        raise ValidationError(_("资金尚未拨付或担保尚未出具，还没有资金使用情况可查。"))
    _not_future(inspected_on, "inspected_on")
    errors = {}
    if not findings.strip():
        errors["findings"] = _("请填写检查情况。")
    if conclusion not in InspectionConclusion.values:
        errors["conclusion"] = _("请选择检查结论。")
    if conclusion == InspectionConclusion.MISUSE:
        if not required_action.strip():
            errors["required_action"] = _("存在违规使用时须提出整改要求。")
        if deadline is None:
            errors["deadline"] = _("存在违规使用时须定出整改期限。")
        elif deadline < inspected_on:
            errors["deadline"] = _("整改期限不能早于检查日期。")
    if errors:
        raise ValidationError(errors)
    inspection = FundInspection(
        application=application,
        member=application.member,
        inspected_on=inspected_on,
        findings=findings.strip(),
        conclusion=conclusion,
        inspector=actor,
    )
    inspection.full_clean()
    inspection._history_user = actor
    inspection.save()
    if conclusion == InspectionConclusion.MISUSE:
        follow_up = FollowUp(
            inspection=inspection, member=application.member, required_action=required_action.strip(), deadline=deadline
        )
        follow_up.full_clean()
        follow_up._history_user = actor
        follow_up.save()
    return inspection


@transaction.atomic
def follow_up_close(*, actor, follow_up: FollowUp, result: str, closed_on: date | None = None) -> FollowUp:
    _require(actor, "fund.change_followup")
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.status != FollowUpStatus.OPEN:
        raise ValidationError(_("该整改已办结。"))
    if not result.strip():
        raise ValidationError({"result": _("请填写整改结果。")})
    follow_up.status = FollowUpStatus.CLOSED
    follow_up.result = result.strip()
    follow_up.closed_on = _not_future(closed_on or timezone.localdate(), "closed_on")
    follow_up.closed_by = actor
    follow_up.full_clean()
    follow_up._history_user = actor
    follow_up.save()
    return follow_up
