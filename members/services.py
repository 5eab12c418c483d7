"""Writes with rules for the per-person files: registration, routing, plans, income and status."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organization.choices import RegionLevel
from organization.models import Region

from . import idnumbers
from .choices import ABLE_TO_WORK, STATUS_RANK, NoticeState, Status, Track
from .models import (
    FileNumberSequence,
    HouseholdMember,
    IdNumberReveal,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
    TrackDecision,
)

RELIEF_AGE = 60

# The fields a clerk types, in the order forms show them; everything else on Member is
# derived or set by a workflow.
MEMBER_INPUT_FIELDS = (
    "name",
    "id_number",
    "ethnicity",
    "phone",
    "village",
    "party_branch",
    "party_organization",
    "joined_party_on",
    "education",
    "health",
    "labour_capacity",
    "has_living_source",
    "household_size",
    "poverty_causes",
    "income_per_head",
    "registered_on",
    "notes",
)


# --- routing -----------------------------------------------------------------------------


def route(*, age: int, labour_capacity: str, has_living_source: bool) -> str:
    """The track the rules give (分流): never applied silently where they do not decide.

    Under 60 and able to work: the demonstration action. 60 or over with no source of
    living: social relief. Anything else is left to a person.
    """
    if age < RELIEF_AGE and labour_capacity in ABLE_TO_WORK:
        return Track.DEMONSTRATION
    if age >= RELIEF_AGE and not has_living_source:
        return Track.RELIEF
    return Track.UNDECIDED


def resolve_track(member: Member, standing: TrackDecision | None, today: date | None = None):
    """Set the member's computed and effective track from the rule and the standing decision.

    A person's decision stands only while the rule's result it overrode is unchanged (new
    facts need a new decision). Returns the decision that lapses, for the caller to mark;
    pure, so that a bulk import can route thousands of members without a query each.
    """
    today = today or timezone.localdate()
    computed = route(
        age=idnumbers.age_on(member.id_number, today),
        labour_capacity=member.labour_capacity,
        has_living_source=member.has_living_source,
    )
    member.computed_track = computed
    if standing is not None and standing.computed_track == computed:
        member.track, member.track_override_reason = standing.track, standing.reason
        return None
    member.track, member.track_override_reason = computed, ""
    return standing


def _apply_route(member: Member, today: date | None = None) -> None:
    standing = member.track_decisions.filter(lapsed_at__isnull=True).first() if member.pk else None
    lapsed = resolve_track(member, standing, today)
    if lapsed is not None:
        lapsed.lapsed_at = timezone.now()
        lapsed.save(update_fields=["lapsed_at", "updated_at"])


# --- registration ------------------------------------------------------------------------


def _check_village(actor, village: Region | None) -> None:
    if village is None:
        raise ValidationError({"village": _("请选择所在村（社区）。")})
    if village.level != RegionLevel.VILLAGE:
        raise ValidationError({"village": _("请选择到村（社区）一级。")})
    if actor is not None and not actor.is_superuser and (actor.region is None or not village.is_within(actor.region)):
        raise ValidationError({"village": _("只能选择您管辖范围内的村（社区）。")})


def _place(member: Member) -> None:
    """Township, county and urban flag follow from the village."""
    village = member.village
    township = village.parent
    member.township, member.county, member.is_urban = township, township.parent, village.is_urban


def _identify(member: Member) -> None:
    try:
        member.id_number = idnumbers.validate(member.id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    member.birth_date = idnumbers.birth_date(member.id_number)
    member.gender = idnumbers.gender(member.id_number)


def next_file_numbers(county: Region, count: int = 1) -> list[str]:
    """Take ``count`` file numbers of the county, readable and in sequence: 419921-00042."""
    sequence, _created = FileNumberSequence.objects.select_for_update().get_or_create(county=county)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [f"{county.code[:6]}-{n:05d}" for n in range(first, first + count)]


def _check_fields(fields: dict) -> None:
    if unknown := set(fields) - set(MEMBER_INPUT_FIELDS):
        raise ValidationError(_("不能直接修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})


def _check_unique_id(member: Member, actor) -> None:
    clash = Member.objects.filter(id_number=member.id_number).exclude(pk=member.pk).first()
    if clash is None:
        return
    if actor is None or Member.objects.visible_to(actor).filter(pk=clash.pk).exists():
        message = _("该身份证号码已建档：%(member)s。同一人不能重复建档。") % {"member": clash}
    else:
        # Do not name a person outside the user's jurisdiction.
        message = _("该身份证号码已在其他地区建档，同一人不能重复建档；如有疑问请与市委组织部核实。")
    raise ValidationError({"id_number": message}, code="duplicate_id")


def _check_possible_duplicates(member: Member, actor) -> None:
    """Same name and birth date in the same township: perhaps one person twice (another ID
    typed wrongly). A person must look and confirm before a second file is made."""
    others = Member.objects.filter(name=member.name, birth_date=member.birth_date, township=member.township).exclude(
        pk=member.pk
    )
    if not others.exists():
        return
    visible = others.visible_to(actor) if actor is not None else others
    names = "、".join(f"{other.name}（{other.file_number}，{other.village.name}）" for other in visible[:5])
    raise ValidationError(
        _("同一乡镇已有同名、同出生日期的档案：%(names)s。请核对是否为同一人；确认不是后再保存。")
        % {"names": names or _("不在您管辖范围内")},
        code="possible_duplicate",
    )


@transaction.atomic
def member_create(*, actor, confirm_not_duplicate: bool = False, **fields) -> Member:
    """Register a poor party member (逐人登记、建档立卡).

    A possible duplicate (same name and birth date in the township) is refused with
    code ``possible_duplicate`` until the caller confirms it is another person.
    """
    _check_fields(fields)
    member = Member(**fields)
    _check_village(actor, member.village if member.village_id else None)
    _identify(member)
    _check_unique_id(member, actor)
    _place(member)
    if not confirm_not_duplicate:
        _check_possible_duplicates(member, actor)
    _apply_route(member)
    member.file_number = next_file_numbers(member.county)[0]
    member._history_user = actor
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **fields) -> Member:
    _check_fields(fields)
    for field, value in fields.items():
        setattr(member, field, value)
    _check_village(actor, member.village)
    _identify(member)
    _check_unique_id(member, actor)
    _place(member)
    _apply_route(member)
    member._history_user = actor
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_decide_track(*, actor, member: Member, track: str, reason: str) -> Member:
    """A person decides the track where the rule does not, or overrides it, with a reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("人工调整分流必须填写理由。")})
    if track not in Track.values or track == Track.UNDECIDED:
        raise ValidationError({"track": _("请选择“脱困示范行动”或“社会救济”。")})
    _apply_route(member)
    member.track_decisions.filter(lapsed_at__isnull=True).update(lapsed_at=timezone.now())
    TrackDecision.objects.create(
        member=member, computed_track=member.computed_track, track=track, reason=reason.strip(), decided_by=actor
    )
    member.track, member.track_override_reason = track, reason.strip()
    member._history_user = actor
    member.save(update_fields=["computed_track", "track", "track_override_reason", "updated_at"])
    return member


def member_reroute(*, member: Member, today: date | None = None) -> bool:
    """Re-apply the rules (a birthday can move a member to 60); True if the track changed."""
    before = (member.computed_track, member.track)
    _apply_route(member, today)
    if (member.computed_track, member.track) == before:
        return False
    member.save(update_fields=["computed_track", "track", "track_override_reason", "updated_at"])
    return True


@transaction.atomic
def household_member_save(*, actor, member: Member, household_member: HouseholdMember | None = None, **fields):
    household_member = household_member or HouseholdMember(member=member)
    for field, value in fields.items():
        setattr(household_member, field, value)
    if household_member.id_number:
        try:
            household_member.id_number = idnumbers.validate(household_member.id_number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from None
        if household_member.id_number == member.id_number:
            raise ValidationError({"id_number": _("家庭成员的身份证号码不能与户主相同。")})
    household_member._history_user = actor
    household_member.full_clean()
    household_member.save()
    return household_member


@transaction.atomic
def household_member_delete(*, actor, household_member: HouseholdMember) -> None:
    household_member._history_user = actor
    household_member.delete()


@transaction.atomic
def id_number_reveal(*, actor, member: Member, purpose: str = "") -> str:
    """The full number, for those whose role needs it; every reveal is logged."""
    if not actor.has_perm("members.reveal_id_number"):
        raise ValidationError(_("您的角色不能查看完整身份证号码。"))
    IdNumberReveal.objects.create(member=member, user=actor, purpose=purpose[:64])
    return member.id_number


# --- plans -------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, member: Member, **fields) -> PovertyExitPlan:
    """A new current poverty-exit plan; the previous one is kept as history."""
    Member.objects.select_for_update().filter(pk=member.pk).first()
    plan = PovertyExitPlan(member=member, created_by=actor, **fields)
    plan.full_clean(exclude=["is_current"])
    if plan.target_year < timezone.localdate().year - 1:
        raise ValidationError({"target_year": _("目标年度不能早于去年。")})
    previous = list(member.plans.filter(is_current=True))
    for old in previous:
        old.is_current = False
        old._history_user = actor
        old.save(update_fields=["is_current", "updated_at"])
    plan._history_user = actor
    plan.save()
    return plan


# --- income, status and public notice --------------------------------------------------


@transaction.atomic
def threshold_set(*, actor, year: int, out_of_poverty: Decimal, well_off: Decimal, notice_days: int = 7):
    threshold = IncomeThreshold.objects.filter(year=year).first() or IncomeThreshold(year=year)
    threshold.out_of_poverty, threshold.well_off, threshold.notice_days = out_of_poverty, well_off, notice_days
    threshold.set_by = actor
    threshold._history_user = actor
    threshold.full_clean()
    threshold.save()
    return threshold


def status_for_income(income: Decimal, threshold: IncomeThreshold) -> str:
    if income >= threshold.well_off:
        return Status.WELL_OFF
    if income >= threshold.out_of_poverty:
        return Status.OUT
    return Status.POOR


@transaction.atomic
def income_check_record(
    *, actor, member: Member, year: int, income_per_head: Decimal, checked_on: date | None = None, note: str = ""
) -> IncomeCheck:
    """Record (or correct) a year's income; a status change follows from the latest check."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    threshold = IncomeThreshold.objects.filter(year=year).first()
    if threshold is None:
        raise ValidationError({"year": _("市里尚未设定 %(year)s 年度的收入标准，请先设定后再录入。") % {"year": year}})
    check = member.income_checks.filter(year=year).first() or IncomeCheck(member=member, year=year)
    check.income_per_head, check.note, check.recorded_by = income_per_head, note, actor
    check.checked_on = checked_on or timezone.localdate()
    check._history_user = actor
    check.full_clean()
    check.save()
    latest_year = member.income_checks.order_by("-year").values_list("year", flat=True).first()
    if year == latest_year:
        _propose_status(actor=actor, member=member, check=check, threshold=threshold)
    return check


def _propose_status(*, actor, member: Member, check: IncomeCheck, threshold: IncomeThreshold) -> None:
    implied = status_for_income(check.income_per_head, threshold)
    open_change = member.status_changes.filter(state=NoticeState.NOTICING).first()
    if open_change is not None:
        if open_change.to_status == implied:
            return
        # A corrected figure supersedes the notice under way.
        _close(open_change, actor, NoticeState.WITHDRAWN, _("收入核查数据已更正，原公示撤回。"))
    if implied == member.status:
        return
    relapse = STATUS_RANK[implied] < STATUS_RANK[member.status]
    today = timezone.localdate()
    reason = _("%(year)s 年度人均纯收入 %(income)s 元，%(rule)s。") % {
        "year": check.year,
        "income": check.income_per_head,
        "rule": _describe_rule(implied, threshold),
    }
    change = StatusChange(
        member=member,
        income_check=check,
        from_status=member.status,
        to_status=implied,
        is_relapse=relapse,
        reason=reason,
        notice_starts=today,
        notice_ends=today + timedelta(days=threshold.notice_days),
        proposed_by=actor,
    )
    change._history_user = actor
    change.full_clean()
    change.save()


def _describe_rule(status: str, threshold: IncomeThreshold) -> str:
    if status == Status.WELL_OFF:
        return _("达到小康标准（%(line)s 元）") % {"line": threshold.well_off}
    if status == Status.OUT:
        return _("达到脱贫标准（%(line)s 元）、未达小康标准") % {"line": threshold.out_of_poverty}
    return _("低于脱贫标准（%(line)s 元）") % {"line": threshold.out_of_poverty}


def _close(change: StatusChange, actor, state: str, note: str) -> None:
    change.state, change.decided_by, change.decided_at, change.decision_note = state, actor, timezone.now(), note
    change._history_user = actor
    change.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "updated_at"])


def _lock_open(change: StatusChange) -> StatusChange:
    change = StatusChange.objects.select_for_update().select_related("member").get(pk=change.pk)
    if change.state != NoticeState.NOTICING:
        raise ValidationError(_("该状态变更%(state)s，不能再操作。") % {"state": change.get_state_display()})
    return change


@transaction.atomic
def objection_record(*, actor, status_change: StatusChange, raised_by: str, content: str, raised_on=None) -> Objection:
    change = _lock_open(status_change)
    raised_on = raised_on or timezone.localdate()
    if raised_on > change.notice_ends:
        raise ValidationError({"raised_on": _("公示已于 %(day)s 截止，不能再登记异议。") % {"day": change.notice_ends}})
    objection = Objection(status_change=change, raised_by=raised_by, content=content, raised_on=raised_on)
    objection.recorded_by = actor
    objection._history_user = actor
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def objection_resolve(*, actor, objection: Objection, resolution: str) -> Objection:
    if not resolution.strip():
        raise ValidationError({"resolution": _("请填写核实处理情况。")})
    _lock_open(objection.status_change)
    objection.resolution = resolution.strip()
    objection._history_user = actor
    objection.save(update_fields=["resolution", "updated_at"])
    return objection


@transaction.atomic
def status_change_confirm(*, actor, status_change: StatusChange, note: str = "") -> Member:
    """After the notice period, with every objection answered, the new status takes effect."""
    change = _lock_open(status_change)
    if timezone.localdate() <= change.notice_ends:
        raise ValidationError(_("公示期至 %(day)s 结束，期满后才能确认。") % {"day": change.notice_ends})
    if change.objections.filter(resolution="").exists():
        raise ValidationError(_("还有未核实处理的异议，处理后才能确认。"))
    _close(change, actor, NoticeState.CONFIRMED, note)
    member = change.member
    member.status = change.to_status
    member.is_relapsed = change.is_relapse or (member.is_relapsed and change.to_status == Status.POOR)
    member._history_user = actor
    member._change_reason = change.reason
    member.save(update_fields=["status", "is_relapsed", "updated_at"])
    return member


@transaction.atomic
def status_change_withdraw(*, actor, status_change: StatusChange, note: str) -> StatusChange:
    if not note.strip():
        raise ValidationError({"note": _("撤回公示必须说明理由。")})
    change = _lock_open(status_change)
    _close(change, actor, NoticeState.WITHDRAWN, note.strip())
    return change
