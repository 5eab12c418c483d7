"""Writes with rules for helpers, pairings, visits, difficulties, support, relief and mentors.

Every service checks that the actor may reach the member (and, for a helper account,
that it writes as its own helper): the pages and the API narrow their choices too, but
the rule lives here, so a crafted request gets the same Chinese message.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members import idnumbers
from members.choices import Status, Track
from members.models import Member
from organization.choices import RegionLevel

from .choices import (
    OPEN_REFERRAL,
    CentreServiceKind,
    DifficultyStatus,
    HelperKind,
    ReferralStatus,
    ReliefScheme,
)
from .models import (
    HELPER_ROLES,
    ROLE_KIND,
    CentreService,
    Difficulty,
    Enterprise,
    EnterpriseSupport,
    Helper,
    HelperAccount,
    LeadingCadre,
    Mentor,
    MentorOutcome,
    MentorPair,
    Pairing,
    PoorResident,
    PoorResidentIdReveal,
    UrbanCentre,
    VisitNote,
    VisitPolicy,
    WelfareReferral,
    WorkTeam,
)

PHOTO_TYPES = {"jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff", "png": b"\x89PNG\r\n\x1a\n"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
# When the city has set nothing: a visit a month (the policy says "经常", often).
DEFAULT_VISIT_DAYS = 30
RELIEF_AGE = 60


# --- checks shared by the services --------------------------------------------------------


def _check_member(actor, member: Member, field: str = "member") -> None:
    """The actor must reach the member (a 404 in the pages; here a message for crafted input)."""
    if actor is None or actor.is_superuser:
        return
    if not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError({field: _("该党员不在您的帮扶或管辖范围内，不能为其登记。")})


def _check_own_helper(actor, helper: Helper, field: str = "helper") -> None:
    """A helper account writes as its own helper; staff may write for any helper they see."""
    if actor is None or actor.is_superuser:
        return
    if not Helper.objects.visible_to(actor).filter(pk=helper.pk).exists():
        raise ValidationError({field: _("只能选择您本人所在或管辖范围内的帮扶力量。")})


def _check_not_future(day: date | None, field: str, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})


def _save(record, actor, **clean):
    record._history_user = actor
    record.full_clean(**clean)
    record.save()
    return record


# --- helpers ------------------------------------------------------------------------------

HELPER_MODELS = {
    HelperKind.WORK_TEAM: WorkTeam,
    HelperKind.CADRE: LeadingCadre,
    HelperKind.ENTERPRISE: Enterprise,
    HelperKind.URBAN_CENTRE: UrbanCentre,
}


def _check_region(actor, region) -> None:
    if actor is None or actor.is_superuser or region is None:
        return
    if actor.region is None or not region.is_within(actor.region):
        raise ValidationError({"region": _("只能选择您管辖范围内的区划。")})


def _check_accounts(kind: str, accounts) -> None:
    role = {value: key for key, value in ROLE_KIND.items()}[kind]
    wrong = [str(user) for user in accounts if user.role != role]
    if wrong:
        raise ValidationError(
            {"accounts": _("这些账号的角色不是“%(role)s”：%(names)s") % {"role": role.label, "names": "、".join(wrong)}}
        )


@transaction.atomic
def helper_save(*, actor, kind: str, helper: Helper | None = None, accounts=None, villages=None, **fields) -> Helper:
    """Create or change a helper of ``kind``; ``accounts`` (users of the kind's role) act for it."""
    model = HELPER_MODELS[kind]
    helper = helper or model(kind=kind)
    for field, value in fields.items():
        setattr(helper, field, value)
    _check_region(actor, helper.region if helper.region_id else None)
    if kind == HelperKind.WORK_TEAM and villages is not None:
        villages = list(villages)
        if not villages:
            raise ValidationError({"villages": _("请选择工作队所驻的村（社区）。")})
        if any(v.level != RegionLevel.VILLAGE for v in villages):
            raise ValidationError({"villages": _("请选择到村（社区）一级。")})
        if helper.region_id and any(not v.is_within(helper.region) for v in villages):
            raise ValidationError({"villages": _("所驻村须在工作队所属区划之内。")})
    if accounts is not None:
        accounts = list(accounts)
        _check_accounts(kind, accounts)
    _save(helper, actor)
    if villages is not None:
        helper.villages.set(villages)
    if accounts is not None:
        HelperAccount.objects.filter(helper=helper).exclude(user__in=accounts).delete()
        for user in accounts:
            HelperAccount.objects.get_or_create(helper=helper, user=user)
    return helper


# --- pairings -----------------------------------------------------------------------------


def _overlapping(pairing: Pairing):
    """Other pairings of the same helper and member whose dates meet this one's."""
    far = date.max
    others = Pairing.objects.filter(helper=pairing.helper, member=pairing.member).exclude(pk=pairing.pk)
    return [
        other
        for other in others
        if other.starts_on <= (pairing.ends_on or far) and pairing.starts_on <= (other.ends_on or far)
    ]


@transaction.atomic
def pairing_save(*, actor, pairing: Pairing | None = None, **fields) -> Pairing:
    """Pair a helper with a member (结对), or change the pairing; a pairing may not overlap itself."""
    pairing = pairing or Pairing(created_by=actor)
    for field, value in fields.items():
        setattr(pairing, field, value)
    if pairing.member_id is None:
        raise ValidationError({"member": _("请选择贫困党员。")})
    if pairing.helper_id is None:
        raise ValidationError({"helper": _("请选择帮扶力量。")})
    _check_member(actor, pairing.member)
    _check_own_helper(actor, pairing.helper)
    # Lock the member so two clerks cannot pair the same helper twice at once.
    Member.objects.select_for_update().filter(pk=pairing.member_id).first()
    pairing.full_clean()
    clash = _overlapping(pairing)
    if clash:
        other = clash[0]
        raise ValidationError(
            {
                "starts_on": _(
                    "%(helper)s 与 %(member)s 已有 %(start)s 至 %(end)s 的结对，时间不能重叠；请修改原结对或调整日期。"
                )
                % {
                    "helper": pairing.helper.name,
                    "member": pairing.member.name,
                    "start": other.starts_on,
                    "end": other.ends_on or _("今后"),
                }
            }
        )
    return _save(pairing, actor)


@transaction.atomic
def pairing_end(*, actor, pairing: Pairing, ends_on: date | None = None) -> Pairing:
    ends_on = ends_on or timezone.localdate()
    if ends_on < pairing.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    pairing.ends_on = ends_on
    return _save(pairing, actor)


@transaction.atomic
def key_targets_pair(*, actor=None, day: date | None = None) -> int:
    """After training, each trainee becomes a key assistance target (重点帮扶对象) of the work
    team that recommended them: pair them, once. Returns how many pairings it made."""
    from training.selectors import key_assistance_targets

    day = day or timezone.localdate()
    made = 0
    for enrolment in key_assistance_targets().select_related("member", "recommended_by"):
        recommender = enrolment.recommended_by
        if recommender is None:
            continue
        team = WorkTeam.objects.active(day).of_user(recommender).filter(villages=enrolment.member.village_id).first()
        if team is None:
            continue
        existing = Pairing.objects.active(day).filter(helper=team, member=enrolment.member).first()
        if existing is not None:
            if not existing.is_key_target:
                existing.is_key_target = True
                _save(existing, actor)
                made += 1
            continue
        since = getattr(enrolment, "key_target_since", None) or day
        pairing = Pairing(
            member=enrolment.member,
            helper=team,
            starts_on=min(since, day),
            reason=_("培训结业，作为驻村工作队重点帮扶对象"),
            is_key_target=True,
            created_by=actor,
        )
        if _overlapping(pairing):
            pairing.starts_on = day
            if _overlapping(pairing):
                continue
        _save(pairing, actor)
        made += 1
    return made


# --- contact system (联系制度) -------------------------------------------------------------


@transaction.atomic
def visit_policy_set(*, actor, kind: str, every_days: int) -> VisitPolicy:
    policy = VisitPolicy.objects.filter(kind=kind).first() or VisitPolicy(kind=kind)
    policy.every_days, policy.set_by = every_days, actor
    return _save(policy, actor)


# --- visit notes --------------------------------------------------------------------------


def _check_photo(photo) -> None:
    if not photo:
        return
    name = getattr(photo, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in PHOTO_TYPES:
        raise ValidationError({"photo": _("照片只能是 JPG 或 PNG 格式。")})
    if photo.size > PHOTO_MAX_BYTES:
        raise ValidationError({"photo": _("照片不能超过 5 MB，请压缩后再上传。")})
    position = photo.tell() if hasattr(photo, "tell") else 0
    photo.seek(0)
    head = photo.read(8)
    photo.seek(position)
    if not head.startswith(PHOTO_TYPES[extension]):
        raise ValidationError({"photo": _("文件内容不是 JPG 或 PNG 图片，请重新选择照片。")})


def default_helper(user) -> Helper | None:
    """The helper a helper account writes as by default (its first)."""
    if user is None or user.role not in HELPER_ROLES:
        return None
    return Helper.objects.of_user(user).filter(is_active=True).order_by("pk").first()


@transaction.atomic
def visit_note_create(
    *,
    actor,
    member: Member,
    findings: str,
    helper: Helper | None = None,
    visited_on: date | None = None,
    needs: str = "",
    actions: str = "",
    photo=None,
) -> VisitNote:
    """Record a home visit (走访记录). Dated today unless told; never in the future."""
    helper = helper or default_helper(actor)
    if helper is None:
        raise ValidationError({"helper": _("请选择以哪个帮扶力量的名义走访。")})
    visited_on = visited_on or timezone.localdate()
    _check_not_future(visited_on, "visited_on", _("走访日期"))
    _check_member(actor, member)
    _check_own_helper(actor, helper)
    _check_photo(photo)
    note = VisitNote(
        member=member,
        helper=helper,
        visitor=actor,
        visited_on=visited_on,
        findings=(findings or "").strip(),
        needs=(needs or "").strip(),
        actions=(actions or "").strip(),
    )
    if photo:
        note.photo = photo
    return _save(note, actor)


@transaction.atomic
def visit_note_update(*, actor, note: VisitNote, **fields) -> VisitNote:
    if actor is not None and not actor.is_superuser and actor.role in HELPER_ROLES and note.visitor_id != actor.pk:
        raise ValidationError(_("只能修改本人填写的走访记录。"))
    photo = fields.pop("photo", None)
    for field, value in fields.items():
        setattr(note, field, value)
    _check_not_future(note.visited_on, "visited_on", _("走访日期"))
    _check_member(actor, note.member)
    _check_own_helper(actor, note.helper)
    if photo:
        _check_photo(photo)
        note.photo = photo
    return _save(note, actor)


# --- difficulties -------------------------------------------------------------------------


@transaction.atomic
def difficulty_raise(
    *,
    actor,
    member: Member,
    kind: str,
    description: str,
    coordinator: Helper,
    deadline: date,
    visit: VisitNote | None = None,
) -> Difficulty:
    """Raise a difficulty (困难问题), from a visit or directly, with who coordinates and by when."""
    _check_member(actor, member)
    _check_own_helper(actor, coordinator, "coordinator")
    if visit is not None and visit.member_id != member.pk:
        raise ValidationError({"visit": _("来源走访记录不是这名党员的。")})
    if deadline is not None and deadline < timezone.localdate() and visit is None:
        raise ValidationError({"deadline": _("解决时限不能早于今天。")})
    difficulty = Difficulty(
        member=member,
        kind=kind,
        description=(description or "").strip(),
        coordinator=coordinator,
        deadline=deadline,
        visit=visit,
        raised_by=actor,
    )
    return _save(difficulty, actor)


@transaction.atomic
def difficulty_update(*, actor, difficulty: Difficulty, **fields) -> Difficulty:
    """Change status, deadline or resolution; resolving needs the resolution written down."""
    for field, value in fields.items():
        setattr(difficulty, field, value)
    _check_member(actor, difficulty.member)
    if "coordinator" in fields:
        _check_own_helper(actor, difficulty.coordinator, "coordinator")
    if difficulty.status == DifficultyStatus.RESOLVED:
        if not (difficulty.resolution or "").strip():
            raise ValidationError({"resolution": _("标记为已解决时请填写解决情况。")})
        difficulty.resolved_on = difficulty.resolved_on or timezone.localdate()
        _check_not_future(difficulty.resolved_on, "resolved_on", _("解决日期"))
    else:
        difficulty.resolved_on = None
    return _save(difficulty, actor)


# --- enterprise support and urban centre services ----------------------------------------


@transaction.atomic
def enterprise_support_record(
    *, actor, member: Member, enterprise: Enterprise, kind: str, description: str, value: Decimal, given_on=None
) -> EnterpriseSupport:
    _check_member(actor, member)
    _check_own_helper(actor, enterprise, "enterprise")
    given_on = given_on or timezone.localdate()
    _check_not_future(given_on, "given_on", _("扶持日期"))
    support = EnterpriseSupport(
        member=member,
        enterprise=enterprise,
        kind=kind,
        description=description,
        value=value,
        given_on=given_on,
        recorded_by=actor,
    )
    return _save(support, actor)


@transaction.atomic
def centre_service_save(*, actor, service: CentreService | None = None, **fields) -> CentreService:
    """Record or update a centre service; a job referral (推荐就业) names the employer and post."""
    service = service or CentreService(recorded_by=actor)
    for field, value in fields.items():
        setattr(service, field, value)
    if service.member_id is None:
        raise ValidationError({"member": _("请选择贫困党员。")})
    _check_member(actor, service.member)
    if service.centre_id is not None:
        _check_own_helper(actor, service.centre, "centre")
    _check_not_future(service.started_on, "started_on", _("开始日期"))
    if service.kind == CentreServiceKind.JOB_REFERRAL:
        errors = {}
        if not service.employer.strip():
            errors["employer"] = _("推荐就业请填写用人单位。")
        if not service.post.strip():
            errors["post"] = _("推荐就业请填写岗位。")
        if errors:
            raise ValidationError(errors)
    return _save(service, actor)


# --- welfare referral (社会救济) ----------------------------------------------------------


def scheme_for(member: Member) -> str:
    """Rural members go to 五保供养, urban members to 最低生活保障."""
    return ReliefScheme.DIBAO if member.is_urban else ReliefScheme.WUBAO


def _check_relief_track(member: Member) -> None:
    if member.track == Track.DEMONSTRATION:
        raise ValidationError(
            {
                "member": _(
                    "%(name)s 属于脱困示范行动对象，不能转介社会救济；"
                    "如情况变化，请先在档案中人工决定帮扶类别为“社会救济”。"
                )
                % {"name": member.name}
            }
        )
    if member.track != Track.RELIEF:
        raise ValidationError(
            {"member": _("%(name)s 的帮扶类别待人工判定，请先在档案中决定为“社会救济”再转介。") % {"name": member.name}}
        )


def _check_no_open_referral(member: Member) -> None:
    if WelfareReferral.objects.filter(member=member, status__in=OPEN_REFERRAL).exists():
        raise ValidationError({"member": _("该党员已有一项正在办理的救济转介。")})


@transaction.atomic
def referral_create(*, actor, member: Member, referred_on: date | None = None, note: str = "") -> WelfareReferral:
    """Refer a relief-track member to 五保供养 (rural) or 低保 (urban)."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_member(actor, member)
    _check_relief_track(member)
    _check_no_open_referral(member)
    referred_on = referred_on or timezone.localdate()
    _check_not_future(referred_on, "referred_on", _("转介日期"))
    referral = WelfareReferral(
        member=member,
        scheme=scheme_for(member),
        status=ReferralStatus.REFERRED,
        proposed_on=referred_on,
        referred_on=referred_on,
        note=note,
        handled_by=actor,
    )
    return _save(referral, actor)


def relief_candidates(day: date | None = None):
    """Members 60 or over with no source of living and no referral under way or done."""
    day = day or timezone.localdate()
    try:
        born_by = day.replace(year=day.year - RELIEF_AGE)
    except ValueError:  # 29 February
        born_by = day.replace(year=day.year - RELIEF_AGE, day=28)
    settled = WelfareReferral.objects.exclude(status=ReferralStatus.REFUSED).values("member_id")
    return (
        Member.objects.filter(birth_date__lte=born_by, has_living_source=False)
        .exclude(track=Track.DEMONSTRATION)
        .exclude(pk__in=settled)
    )


@transaction.atomic
def referrals_propose(*, day: date | None = None) -> int:
    """Propose a referral for each candidate (the daily task); idempotent: a member with a
    proposal, referral or dismissal is not proposed again."""
    day = day or timezone.localdate()
    made = 0
    for member in relief_candidates(day).select_for_update(of=("self",)):
        referral = WelfareReferral(
            member=member,
            scheme=scheme_for(member),
            status=ReferralStatus.PROPOSED,
            proposed_on=day,
            is_proposed_by_system=True,
            note=_("年满60周岁且无生活来源，系统提出转介，待工作人员确认。"),
        )
        _save(referral, None)
        made += 1
    return made


def _lock_referral(referral: WelfareReferral, *states) -> WelfareReferral:
    referral = WelfareReferral.objects.select_for_update().select_related("member").get(pk=referral.pk)
    if referral.status not in states:
        raise ValidationError(_("该转介%(status)s，不能再做此操作。") % {"status": referral.get_status_display()})
    return referral


@transaction.atomic
def referral_confirm(*, actor, referral: WelfareReferral, referred_on: date | None = None, note: str = ""):
    """Staff confirm a system proposal: the member is referred (the track must be relief)."""
    referral = _lock_referral(referral, ReferralStatus.PROPOSED)
    _check_member(actor, referral.member)
    _check_relief_track(referral.member)
    referral.referred_on = referred_on or timezone.localdate()
    _check_not_future(referral.referred_on, "referred_on", _("转介日期"))
    referral.status, referral.handled_by = ReferralStatus.REFERRED, actor
    referral.scheme = scheme_for(referral.member)
    if note:
        referral.note = note
    return _save(referral, actor)


@transaction.atomic
def referral_dismiss(*, actor, referral: WelfareReferral, note: str) -> WelfareReferral:
    if not (note or "").strip():
        raise ValidationError({"note": _("不予转介时请说明理由。")})
    referral = _lock_referral(referral, ReferralStatus.PROPOSED)
    _check_member(actor, referral.member)
    referral.status, referral.note, referral.handled_by = ReferralStatus.DISMISSED, note.strip(), actor
    return _save(referral, actor)


@transaction.atomic
def referral_record_outcome(
    *, actor, referral: WelfareReferral, enrolled: bool, decided_on: date | None = None, benefit=None, note: str = ""
) -> WelfareReferral:
    """The civil-affairs decision: enrolled (with the monthly benefit) or not."""
    referral = _lock_referral(referral, ReferralStatus.REFERRED)
    _check_member(actor, referral.member)
    decided_on = decided_on or timezone.localdate()
    _check_not_future(decided_on, "decided_on", _("审批日期"))
    if enrolled and (benefit is None or benefit <= 0):
        raise ValidationError({"benefit": _("纳入救助时请填写每月救助金额。")})
    referral.status = ReferralStatus.ENROLLED if enrolled else ReferralStatus.REFUSED
    referral.decided_on, referral.benefit, referral.handled_by = decided_on, benefit if enrolled else None, actor
    if note:
        referral.note = note
    return _save(referral, actor)


# --- phase 2: mentors and pairs (帮带致富) ------------------------------------------------


@transaction.atomic
def mentor_designate(*, actor, member: Member, reason: str, designated_on: date | None = None) -> Mentor:
    """Choose a member out of poverty, with strong ability to help, as a mentor."""
    _check_member(actor, member)
    if member.status == Status.POOR:
        raise ValidationError(
            {"member": _("%(name)s 尚未脱贫，只有已脱贫的党员才能确定为帮带党员。") % {"name": member.name}}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请写明确定为帮带党员的理由（帮带能力）。")})
    if Mentor.objects.filter(member=member).exists():
        raise ValidationError({"member": _("%(name)s 已是帮带党员。") % {"name": member.name}})
    designated_on = designated_on or timezone.localdate()
    _check_not_future(designated_on, "designated_on", _("确定日期"))
    mentor = Mentor(member=member, reason=reason.strip(), designated_on=designated_on, designated_by=actor)
    return _save(mentor, actor)


def _check_village(actor, village) -> None:
    if village is None:
        raise ValidationError({"village": _("请选择所在村（社区）。")})
    if village.level != RegionLevel.VILLAGE:
        raise ValidationError({"village": _("请选择到村（社区）一级。")})
    if actor is None or actor.is_superuser:
        return
    if actor.role in HELPER_ROLES:
        if not WorkTeam.objects.active().of_user(actor).filter(villages=village).exists():
            raise ValidationError({"village": _("只能选择您所驻的村（社区）。")})
    elif actor.region is None or not village.is_within(actor.region):
        raise ValidationError({"village": _("只能选择您管辖范围内的村（社区）。")})


@transaction.atomic
def poor_resident_save(*, actor, resident: PoorResident | None = None, **fields) -> PoorResident:
    """The light record of a poor person who is not a party member; the ID number is validated."""
    resident = resident or PoorResident()
    for field, value in fields.items():
        setattr(resident, field, value)
    _check_village(actor, resident.village if resident.village_id else None)
    try:
        resident.id_number = idnumbers.validate(resident.id_number)
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from None
    if Member.objects.filter(id_number=resident.id_number).exists():
        raise ValidationError({"id_number": _("该身份证号码属于已建档的贫困党员，贫困群众须是非党员。")})
    clash = PoorResident.objects.filter(id_number=resident.id_number).exclude(pk=resident.pk).exists()
    if clash:
        raise ValidationError({"id_number": _("该身份证号码已登记为贫困群众，不能重复登记。")})
    return _save(resident, actor)


@transaction.atomic
def poor_resident_id_reveal(*, actor, resident: PoorResident, purpose: str = "") -> str:
    """The full number, for those whose role may reveal ID numbers (the same right as for a
    member's, members.reveal_id_number); every reveal is logged."""
    if not actor.has_perm("members.reveal_id_number"):
        raise ValidationError(_("您的角色不能查看完整身份证号码。"))
    if not PoorResident.objects.visible_to(actor).filter(pk=resident.pk).exists():
        raise ValidationError(_("该贫困群众不在您的范围内。"))
    PoorResidentIdReveal.objects.create(resident=resident, user=actor, purpose=(purpose or "").strip()[:64])
    return resident.id_number


@transaction.atomic
def mentor_pair_create(
    *, actor, mentor: Mentor, resident: PoorResident, starts_on: date | None = None, goal: str = ""
) -> MentorPair:
    """Pair a mentor with a poor resident (结成对子)."""
    _check_member(actor, mentor.member, "mentor")
    reachable = actor is None or actor.is_superuser
    if not reachable and not PoorResident.objects.visible_to(actor).filter(pk=resident.pk).exists():
        raise ValidationError({"resident": _("该贫困群众不在您的范围内。")})
    if not mentor.is_active:
        raise ValidationError({"mentor": _("该帮带党员已停止帮带。")})
    starts_on = starts_on or timezone.localdate()
    _check_not_future(starts_on, "starts_on", _("结对日期"))
    if MentorPair.objects.filter(mentor=mentor, resident=resident, ends_on__isnull=True).exists():
        raise ValidationError({"resident": _("两人已结成对子。")})
    pair = MentorPair(mentor=mentor, resident=resident, starts_on=starts_on, goal=goal)
    return _save(pair, actor)


@transaction.atomic
def mentor_outcome_record(
    *, actor, pair: MentorPair, year: int, income_per_head: Decimal, summary: str, out_of_poverty: bool = False
) -> MentorOutcome:
    """The pair's outcome for a year; recording a year again corrects it."""
    _check_member(actor, pair.mentor.member, "pair")
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("不能登记未来年度的成效。")})
    if year < pair.starts_on.year:
        raise ValidationError({"year": _("结对之前的年度不能登记成效。")})
    outcome = MentorOutcome.objects.filter(pair=pair, year=year).first() or MentorOutcome(pair=pair, year=year)
    outcome.income_per_head, outcome.summary, outcome.out_of_poverty = income_per_head, summary, out_of_poverty
    return _save(outcome, actor)


def visit_due_day(last_visit: date | None, starts_on: date, every_days: int) -> date:
    """The day the next visit is due: ``every_days`` after the last one (or after pairing)."""
    return (last_visit or starts_on) + timedelta(days=every_days)
