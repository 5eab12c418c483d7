"""Writes with rules for training: batches, recommendation and admission, attendance,
assessment, the city budget's costs, experts and their services, bases and visits."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import Track
from members.models import Member
from organization.choices import RegionLevel, Role

from .choices import (
    BATCH_NEXT_STATUS,
    SEAT_STATUSES,
    AttendanceStatus,
    BatchStatus,
    EnrolmentStatus,
    Grade,
)
from .models import (
    Attendance,
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)

BATCH_FIELDS = ("title", "period_number", "region", "organizer", "start_date", "end_date", "place", "capacity", "notes")
EXPERT_FIELDS = ("name", "department", "unit", "title", "specialty", "phone", "region", "account", "is_active")
BASE_FIELDS = (
    "name",
    "kind",
    "region",
    "address",
    "plaque_date",
    "learnable",
    "contact",
    "phone",
    "is_active",
)


def _today() -> date:
    return timezone.localdate()


def _either(labels) -> str:
    """The states a step needs, quoted for a message: “甲” or “甲”或“乙”."""
    quoted = [_("“%(label)s”") % {"label": label} for label in labels]
    if len(quoted) == 1:
        return quoted[0]
    return _("%(some)s或%(last)s") % {"some": "、".join(quoted[:-1]), "last": quoted[-1]}


def _batch_open_for_enrolment(batch: TrainingBatch, step: str) -> None:
    """Recommending and admitting happen before the course starts (计划中、报名中)."""
    allowed = (BatchStatus.PLANNED, BatchStatus.ENROLLING)
    if batch.status not in allowed:
        raise ValidationError(
            {
                "batch": _("%(batch)s当前状态为“%(status)s”，只有%(allowed)s的培训班才能%(step)s。")
                % {
                    "batch": batch,
                    "status": batch.get_status_display(),
                    "allowed": _either(BatchStatus(state).label for state in allowed),
                    "step": step,
                }
            }
        )


def _check_fields(fields: dict, allowed) -> None:
    if unknown := set(fields) - set(allowed):
        raise ValidationError(_("不能直接修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})


def _check_region(actor, region, field: str = "region") -> None:
    """A record can be placed only in the actor's own jurisdiction."""
    if region is None:
        raise ValidationError({field: _("请选择区划。")})
    if actor is not None and not actor.is_superuser and (actor.region is None or not region.is_within(actor.region)):
        raise ValidationError({field: _("只能选择您管辖范围内的区划。")})


def _save(obj, actor):
    obj._history_user = actor
    obj.full_clean()
    obj.save()
    return obj


def _can(actor, model, obj, action: str) -> bool:
    if actor is None:
        return True  # system jobs, demo data
    return model.objects.visible_to(actor, action).filter(pk=obj.pk).exists()


# --- batches -----------------------------------------------------------------------------


def check_batch_dates(start, end) -> None:
    """Also called by the form, so that the message sits on the field."""
    if start and end and end < start:
        raise ValidationError({"end_date": _("结业日期不能早于开班日期，请检查日期。")})


def check_follow_up_due(served_on, follow_up_due) -> None:
    if served_on and follow_up_due and follow_up_due < served_on:
        raise ValidationError({"follow_up_due": _("跟踪回访期限不能早于服务日期。")})


def check_amount(amount) -> None:
    if amount is not None and amount <= 0:
        raise ValidationError({"amount": _("金额必须大于0。")})


@transaction.atomic
def batch_create(*, actor, **fields) -> TrainingBatch:
    _check_fields(fields, BATCH_FIELDS)
    batch = TrainingBatch(**fields, created_by=actor)
    _check_region(actor, batch.region if batch.region_id else None)
    check_batch_dates(batch.start_date, batch.end_date)
    return _save(batch, actor)


@transaction.atomic
def batch_update(*, actor, batch: TrainingBatch, **fields) -> TrainingBatch:
    _check_fields(fields, BATCH_FIELDS)
    batch = TrainingBatch.objects.select_for_update().get(pk=batch.pk)
    for name, value in fields.items():
        setattr(batch, name, value)
    _check_region(actor, batch.region)
    check_batch_dates(batch.start_date, batch.end_date)
    seated = batch.enrolments.filter(status__in=SEAT_STATUSES).count()
    if batch.capacity is not None and batch.capacity < seated:
        raise ValidationError({"capacity": _("已录取%(count)s人，计划人数不能少于已录取人数。") % {"count": seated}})
    if {"start_date", "end_date"} & set(fields):
        for enrolment in batch.enrolments.filter(status=EnrolmentStatus.ADMITTED).select_related("member"):
            _check_not_in_overlapping_batch(enrolment.member, batch, field="start_date")
    return _save(batch, actor)


@transaction.atomic
def batch_advance(*, actor, batch: TrainingBatch, to_status: str) -> TrainingBatch:
    """Move a batch on: planned → enrolling → running → finished, never back."""
    batch = TrainingBatch.objects.select_for_update().get(pk=batch.pk)
    next_status = BATCH_NEXT_STATUS.get(batch.status)
    if next_status != to_status:
        labels = {"current": batch.get_status_display(), "target": dict(BatchStatus.choices).get(to_status, to_status)}
        if next_status is None:
            message = _("该培训班已结束，状态不能再更改。")
        elif to_status == batch.status:
            message = _("培训班已是“%(current)s”，无需更改；下一步可改为“%(next)s”。")
        else:
            message = _("培训班当前状态为“%(current)s”，不能直接改为“%(target)s”；下一步只能改为“%(next)s”。")
        raise ValidationError({"status": message % {**labels, "next": BatchStatus(next_status or batch.status).label}})
    if to_status == BatchStatus.FINISHED:
        open_count = batch.enrolments.filter(status=EnrolmentStatus.ADMITTED).count()
        if open_count:
            raise ValidationError(
                {"status": _("还有%(count)s名学员未录入结业考核或退出情况，不能结束培训班。") % {"count": open_count}}
            )
    batch.status = to_status
    return _save(batch, actor)


@transaction.atomic
def topic_save(*, actor, batch: TrainingBatch, topic: CurriculumTopic | None = None, **fields) -> CurriculumTopic:
    _check_fields(fields, ("title", "direction", "hours", "expert"))
    topic = topic or CurriculumTopic(batch=batch)
    for name, value in fields.items():
        setattr(topic, name, value)
    return _save(topic, actor)


@transaction.atomic
def session_save(*, actor, batch: TrainingBatch, session: TrainingSession | None = None, **fields) -> TrainingSession:
    _check_fields(fields, ("held_on", "topic", "title"))
    session = session or TrainingSession(batch=batch)
    for name, value in fields.items():
        setattr(session, name, value)
    if session.held_on and not (batch.start_date <= session.held_on <= batch.end_date):
        raise ValidationError(
            {
                "held_on": _("上课日期应在培训班日期（%(start)s 至 %(end)s）之内。")
                % {"start": batch.start_date, "end": batch.end_date}
            }
        )
    if session.topic_id and session.topic.batch_id != batch.pk:
        raise ValidationError({"topic": _("请选择本期培训班的课程。")})
    if not session.topic_id and not session.title:
        raise ValidationError({"title": _("请选择课程或填写内容。")})
    return _save(session, actor)


# --- enrolment ---------------------------------------------------------------------------


def _check_track(member: Member, field: str = "member") -> None:
    if member.track != Track.DEMONSTRATION:
        raise ValidationError(
            {
                field: _("%(name)s的帮扶类别是“%(track)s”，只有脱困示范行动的党员可以参加培训。")
                % {"name": member.name, "track": member.get_track_display()}
            }
        )


def _check_not_in_overlapping_batch(member: Member, batch: TrainingBatch, field: str = "member") -> None:
    """A member cannot be in two batches that run at the same time."""
    clash = (
        Enrolment.objects.filter(member=member, status=EnrolmentStatus.ADMITTED)
        .exclude(batch=batch)
        .filter(batch__start_date__lte=batch.end_date, batch__end_date__gte=batch.start_date)
        .exclude(batch__status=BatchStatus.FINISHED)
        .select_related("batch")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                field: _(
                    "%(name)s已被录取参加%(batch)s（%(start)s 至 %(end)s），与本期时间重叠，不能同时参加两期培训。"
                )
                % {
                    "name": member.name,
                    "batch": clash.batch,
                    "start": clash.batch.start_date,
                    "end": clash.batch.end_date,
                }
            }
        )


@transaction.atomic
def enrolment_recommend(
    *, actor, batch: TrainingBatch, member: Member, reason: str = "", recommended_on: date | None = None
) -> Enrolment:
    """A work team (or staff) recommends a member of their villages for a batch (推荐)."""
    if actor is not None and not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError({"member": _("只能推荐您管辖范围内的党员。")})
    if actor is not None and not TrainingBatch.objects.visible_to(actor).filter(pk=batch.pk).exists():
        raise ValidationError({"batch": _("请选择您可以看到的培训班。")})
    _batch_open_for_enrolment(batch, _("推荐学员"))
    _check_track(member)
    if Enrolment.objects.filter(batch=batch, member=member).exists():
        raise ValidationError({"member": _("%(name)s已在本期培训班名单中。") % {"name": member.name}})
    _check_not_in_overlapping_batch(member, batch)
    enrolment = Enrolment(
        batch=batch,
        member=member,
        recommended_by=actor,
        recommending_village=member.village,
        recommended_on=recommended_on or _today(),
        reason=reason,
    )
    return _save(enrolment, actor)


def _check_batch_staff(actor, batch: TrainingBatch) -> None:
    """Admission, attendance and assessment are the running region's work."""
    if not _can(actor, TrainingBatch, batch, "change"):
        raise ValidationError(_("只有主办单位（%(region)s）的工作人员可以办理录取和考核。") % {"region": batch.region})


def _check_status(enrolment: Enrolment, *allowed, step: str) -> None:
    """``step`` (a verb: 录取, 录入结业考核 ...) needs the enrolment in one of ``allowed``."""
    if enrolment.status not in allowed:
        raise ValidationError(
            {
                "status": _("%(name)s当前状态为“%(status)s”，只有%(allowed)s的学员才能%(step)s。")
                % {
                    "name": enrolment.member.name,
                    "status": enrolment.get_status_display(),
                    "allowed": _either(label for value, label in EnrolmentStatus.choices if value in allowed),
                    "step": step,
                }
            }
        )


@transaction.atomic
def enrolment_admit(*, actor, enrolment: Enrolment, admitted_on: date | None = None) -> Enrolment:
    """Admit a recommended member, up to the batch's capacity (录取)."""
    # Lock the batch: two clerks admitting at once must not both take the last place.
    batch = TrainingBatch.objects.select_for_update().get(pk=enrolment.batch_id)
    enrolment = Enrolment.objects.select_related("member").get(pk=enrolment.pk)
    _check_batch_staff(actor, batch)
    _check_status(enrolment, EnrolmentStatus.RECOMMENDED, step=_("录取"))
    _batch_open_for_enrolment(batch, _("录取学员"))
    seated = batch.enrolments.filter(status__in=SEAT_STATUSES).count()
    if seated >= batch.capacity:
        raise ValidationError(
            _("%(batch)s已满员（计划%(capacity)s人，已录取%(seated)s人），不能再录取。")
            % {"batch": batch, "capacity": batch.capacity, "seated": seated}
        )
    _check_track(enrolment.member)
    _check_not_in_overlapping_batch(enrolment.member, batch)
    enrolment.status = EnrolmentStatus.ADMITTED
    enrolment.admitted_on = admitted_on or _today()
    enrolment.admitted_by = actor
    return _save(enrolment, actor)


@transaction.atomic
def enrolment_decline(*, actor, enrolment: Enrolment, note: str) -> Enrolment:
    """Not admitted (未录取), with the reason the work team will read."""
    enrolment = Enrolment.objects.select_related("member", "batch").get(pk=enrolment.pk)
    _check_batch_staff(actor, enrolment.batch)
    _check_status(enrolment, EnrolmentStatus.RECOMMENDED, step=_("登记为未录取"))
    if not note.strip():
        raise ValidationError({"closing_note": _("请说明未录取的原因。")})
    enrolment.status = EnrolmentStatus.DECLINED
    enrolment.closing_note = note
    return _save(enrolment, actor)


@transaction.atomic
def enrolment_drop(*, actor, enrolment: Enrolment, note: str) -> Enrolment:
    """A trainee leaves the course before its end (中途退出)."""
    enrolment = Enrolment.objects.select_related("member", "batch").get(pk=enrolment.pk)
    _check_batch_staff(actor, enrolment.batch)
    _check_status(enrolment, EnrolmentStatus.ADMITTED, step=_("登记中途退出"))
    if not note.strip():
        raise ValidationError({"closing_note": _("请说明退出的原因。")})
    enrolment.status = EnrolmentStatus.DROPPED
    enrolment.closing_note = note
    return _save(enrolment, actor)


@transaction.atomic
def enrolment_assess(
    *,
    actor,
    enrolment: Enrolment,
    grade: str,
    score: Decimal | None = None,
    certificate_number: str = "",
    completed_on: date | None = None,
) -> Enrolment:
    """Record the assessment (结业考核). A pass completes the course and makes the member a
    key assistance target of the work team that recommended them; a fail does neither."""
    enrolment = Enrolment.objects.select_related("member", "batch").get(pk=enrolment.pk)
    batch = enrolment.batch
    _check_batch_staff(actor, batch)
    _check_status(enrolment, EnrolmentStatus.ADMITTED, step=_("录入结业考核"))
    if batch.status not in (BatchStatus.RUNNING, BatchStatus.FINISHED):
        raise ValidationError({"grade": _("培训班开班后才能录入结业考核。")})
    completed_on = completed_on or min(_today(), batch.end_date)
    if completed_on < batch.start_date:
        raise ValidationError(
            {"completed_on": _("结业日期不能早于开班日期（%(start)s）。") % {"start": batch.start_date}}
        )
    certificate_number = (certificate_number or "").strip()
    if grade == Grade.FAIL:
        if certificate_number:
            raise ValidationError({"certificate_number": _("考核不合格的学员不发结业证书。")})
        enrolment.status = EnrolmentStatus.FAILED
        enrolment.key_target_since = None
    else:
        if not certificate_number:
            raise ValidationError({"certificate_number": _("请填写结业证书编号。")})
        enrolment.status = EnrolmentStatus.COMPLETED
        enrolment.key_target_since = completed_on
    enrolment.grade = grade
    enrolment.score = score
    enrolment.certificate_number = certificate_number
    enrolment.completed_on = completed_on
    return _save(enrolment, actor)


def enrolment_id(value) -> int | None:
    """An enrolment id as sent by a page or the API, or None when it cannot be one ("²", "1e3", 30 digits)."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def not_on_roster_message(value) -> str:
    """For a trainee the user sent who is not on this batch's roster, or not theirs to see:
    it echoes what was sent and names nobody (the id may be anyone's, in any county)."""
    shown = str(value)
    if len(shown) > 20:
        shown = shown[:20] + "…"
    return _("提交的学员编号 %(value)s 不在本期录取名单中，请刷新页面后重试。") % {"value": shown}


@transaction.atomic
def attendance_record(*, actor, session: TrainingSession, marks: dict) -> list[Attendance]:
    """Take the attendance of a session (考勤): ``marks`` maps enrolment id to a status.

    Trainees not in ``marks`` keep what they had. All or nothing.
    """
    session = TrainingSession.objects.select_related("batch").get(pk=session.pk)
    batch = session.batch
    _check_batch_staff(actor, batch)
    valid = set(AttendanceStatus.values)
    ids = {key: enrolment_id(key) for key in marks}
    seated = (EnrolmentStatus.ADMITTED, *SEAT_STATUSES)
    wanted = {pk for pk in ids.values() if pk is not None}
    enrolments = {e.pk: e for e in batch.enrolments.filter(pk__in=wanted, status__in=seated)}
    unseated = {}
    if wanted - set(enrolments):
        # Trainees of this batch the actor may see but who hold no seat are named; anyone else is not.
        in_scope = Enrolment.objects.all() if actor is None else Enrolment.objects.visible_to(actor)
        unseated = {
            e.pk: e for e in in_scope.filter(batch=batch, pk__in=wanted - set(enrolments)).select_related("member")
        }
    errors = []
    for key, status in marks.items():
        pk = ids[key]
        if pk in unseated:
            enrolment = unseated[pk]
            errors.append(
                _("%(name)s在%(batch)s的状态为“%(status)s”，只有%(allowed)s的学员才能记考勤。")
                % {
                    "name": enrolment.member.name,
                    "batch": batch,
                    "status": enrolment.get_status_display(),
                    "allowed": _either(label for value, label in EnrolmentStatus.choices if value in seated),
                }
            )
        elif pk not in enrolments:
            errors.append(not_on_roster_message(key))
        elif status not in valid:
            errors.append(_("未知的出勤情况：%(status)s") % {"status": status})
    if errors:
        raise ValidationError({"marks": errors})
    existing = {a.enrolment_id: a for a in session.attendances.filter(enrolment_id__in=enrolments)}
    saved = []
    for key, status in marks.items():
        attendance = existing.get(ids[key]) or Attendance(session=session, enrolment_id=ids[key])
        attendance.status = status
        attendance.full_clean(validate_unique=False)
        attendance.save()
        saved.append(attendance)
    return saved


@transaction.atomic
def budget_item_add(*, actor, batch: TrainingBatch, **fields) -> BatchBudgetItem:
    """Record a cost of the batch paid by the city budget (市财政列支)."""
    _check_fields(fields, ("category", "item", "amount", "spent_on", "voucher"))
    if not _can(actor, TrainingBatch, batch, "change"):
        raise ValidationError(_("只有主办单位的工作人员可以录入培训经费。"))
    item = BatchBudgetItem(batch=batch, recorded_by=actor, **fields)
    check_amount(item.amount)
    return _save(item, actor)


@transaction.atomic
def budget_item_update(*, actor, item: BatchBudgetItem, **fields) -> BatchBudgetItem:
    _check_fields(fields, ("category", "item", "amount", "spent_on", "voucher"))
    for name, value in fields.items():
        setattr(item, name, value)
    check_amount(item.amount)
    return _save(item, actor)


# --- experts -----------------------------------------------------------------------------


def _check_expert_account(expert: Expert) -> None:
    account = expert.account
    if account is None:
        return
    if account.role != Role.EXPERT:
        raise ValidationError({"account": _("只能关联“专家服务团专家”角色的账号。")})
    if Expert.objects.filter(account=account).exclude(pk=expert.pk).exists():
        raise ValidationError({"account": _("该账号已关联其他专家。")})


@transaction.atomic
def expert_create(*, actor, **fields) -> Expert:
    _check_fields(fields, EXPERT_FIELDS)
    expert = Expert(**fields)
    _check_region(actor, expert.region if expert.region_id else None)
    if expert.region_id and expert.region.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"region": _("专家服务团设在市或县区一级。")})
    _check_expert_account(expert)
    return _save(expert, actor)


@transaction.atomic
def expert_update(*, actor, expert: Expert, **fields) -> Expert:
    _check_fields(fields, EXPERT_FIELDS)
    for name, value in fields.items():
        setattr(expert, name, value)
    _check_region(actor, expert.region)
    _check_expert_account(expert)
    return _save(expert, actor)


def _check_members(actor, members, record=None, field: str = "members") -> list[Member]:
    """The members of a service or visit: those given, which the actor must see, plus, when
    the record exists, those already on it that the actor cannot see (a county clerk
    editing a city-wide lecture must not drop another county's members by not seeing them)."""
    members = list(members or [])
    kept = []
    if record is not None and record.pk and actor is not None:
        kept = list(record.members.exclude(pk__in=Member.objects.visible_to(actor).values("pk")))
    if not members and not kept:
        raise ValidationError({field: _("请至少选择一名服务对象（贫困党员）。")})
    if actor is not None and members:
        visible = set(
            Member.objects.visible_to(actor).filter(pk__in=[m.pk for m in members]).values_list("pk", flat=True)
        )
        if outside := [m for m in members if m.pk not in visible]:
            raise ValidationError(
                {field: _("这些党员不在您的管辖范围内：%(names)s") % {"names": "、".join(m.name for m in outside)}}
            )
    return list({m.pk: m for m in [*members, *kept]}.values())


def _check_own_expert(actor, expert: Expert) -> None:
    if actor is not None and actor.role == Role.EXPERT and expert.account_id != actor.pk:
        raise ValidationError({"expert": _("专家只能记录本人提供的服务。")})
    if actor is not None and not Expert.objects.visible_to(actor).filter(pk=expert.pk).exists():
        raise ValidationError({"expert": _("请选择您可以看到的专家。")})


SERVICE_FIELDS = ("expert", "kind", "served_on", "place", "content", "batch", "follow_up_due")


@transaction.atomic
def expert_service_record(*, actor, members, **fields) -> ExpertService:
    """Record a service an expert gave and the members served (at least one)."""
    _check_fields(fields, SERVICE_FIELDS)
    service = ExpertService(recorded_by=actor, **fields)
    return _save_service(actor, service, members)


@transaction.atomic
def expert_service_update(*, actor, service: ExpertService, members=None, **fields) -> ExpertService:
    _check_fields(fields, SERVICE_FIELDS)
    for name, value in fields.items():
        setattr(service, name, value)
    if members is None:
        members = list(service.members.all())
    return _save_service(actor, service, members)


def _save_service(actor, service: ExpertService, members) -> ExpertService:
    errors = {}
    try:
        members = _check_members(actor, members, service)
    except ValidationError as error:
        errors.update(error.message_dict)
    if service.expert_id:
        try:
            _check_own_expert(actor, service.expert)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        check_follow_up_due(service.served_on, service.follow_up_due)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    _save(service, actor)
    service.members.set(members)
    return service


@transaction.atomic
def follow_up_complete(*, actor, service: ExpertService, done_on: date | None = None, note: str) -> ExpertService:
    """The follow-up (跟踪回访) of a service was made."""
    if service.follow_up_due is None:
        raise ValidationError({"follow_up_done_on": _("这项服务没有安排跟踪回访。")})
    if service.follow_up_done_on is not None:
        raise ValidationError({"follow_up_done_on": _("这项服务的跟踪回访已完成。")})
    done_on = done_on or _today()
    if done_on < service.served_on:
        raise ValidationError({"follow_up_done_on": _("回访日期不能早于服务日期。")})
    if not note.strip():
        raise ValidationError({"follow_up_note": _("请填写回访情况。")})
    if actor is not None and actor.role == Role.EXPERT and service.expert.account_id != actor.pk:
        raise ValidationError(_("专家只能回访本人提供的服务。"))
    service.follow_up_done_on = done_on
    service.follow_up_note = note
    return _save(service, actor)


# --- practice bases ----------------------------------------------------------------------


@transaction.atomic
def practice_base_create(*, actor, **fields) -> PracticeBase:
    _check_fields(fields, BASE_FIELDS)
    base = PracticeBase(**fields)
    _check_region(actor, base.region if base.region_id else None)
    return _save(base, actor)


@transaction.atomic
def practice_base_update(*, actor, base: PracticeBase, **fields) -> PracticeBase:
    _check_fields(fields, BASE_FIELDS)
    for name, value in fields.items():
        setattr(base, name, value)
    _check_region(actor, base.region)
    return _save(base, actor)


VISIT_FIELDS = ("base", "visited_on", "batch", "content")


@transaction.atomic
def base_visit_record(*, actor, members, **fields) -> BaseVisit:
    """An observation visit (观摩学习) to a base with the members who went."""
    _check_fields(fields, VISIT_FIELDS)
    visit = BaseVisit(recorded_by=actor, **fields)
    return _save_visit(actor, visit, members)


@transaction.atomic
def base_visit_update(*, actor, visit: BaseVisit, members=None, **fields) -> BaseVisit:
    _check_fields(fields, VISIT_FIELDS)
    for name, value in fields.items():
        setattr(visit, name, value)
    if members is None:
        members = list(visit.members.all())
    return _save_visit(actor, visit, members)


def _save_visit(actor, visit: BaseVisit, members) -> BaseVisit:
    errors = {}
    try:
        members = _check_members(actor, members, visit)
    except ValidationError as error:
        errors.update(error.message_dict)
    if (
        visit.base_id
        and actor is not None
        and not PracticeBase.objects.visible_to(actor).filter(pk=visit.base_id).exists()
    ):
        errors["base"] = [_("请选择您可以看到的实践基地。")]
    if visit.base_id and visit.visited_on and visit.visited_on < visit.base.plaque_date:
        errors["visited_on"] = [_("观摩日期不能早于基地授牌日期（%(date)s）。") % {"date": visit.base.plaque_date}]
    batch = visit.batch if visit.batch_id else None
    if batch is not None and visit.visited_on and not (batch.start_date <= visit.visited_on <= batch.end_date):
        errors["visited_on"] = [
            _("观摩日期应在培训班日期（%(start)s 至 %(end)s）之内。")
            % {"start": batch.start_date, "end": batch.end_date}
        ]
    if errors:
        raise ValidationError(errors)
    _save(visit, actor)
    visit.members.set(members)
    return visit
