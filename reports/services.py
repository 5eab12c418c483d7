"""Writes with rules: the programme, jurisdiction plans, bulletin jobs, admonitions and
rectification, commendations with their public notice."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organization.choices import RegionLevel
from organization.models import Region

from .choices import (
    AdmonitionState,
    BulletinState,
    CommendationKind,
    CommendationState,
    EvaluationGrade,
    EvaluationSubject,
    RectificationState,
)
from .models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
    VillageTally,
)

PLAN_FIELDS = ("target_out_of_poverty", "target_trained", "target_projects", "target_mentor_pairs", "note")
COMMENDATION_NOTICE_DAYS = 7


def _within_jurisdiction(actor, region: Region) -> bool:
    """Whether ``region`` lies in the actor's jurisdiction (None: the system itself)."""
    if actor is None or actor.is_superuser:
        return True
    return actor.region is not None and region.path.startswith(actor.region.path)


def _check_region(actor, region: Region | None, field: str = "region") -> None:
    if region is None:
        raise ValidationError({field: _("请选择辖区。")})
    if not _within_jurisdiction(actor, region):
        raise ValidationError({field: _("只能处理本辖区的事项。")})


def active_programme() -> Programme | None:
    return Programme.objects.filter(is_active=True).first()


# --- programme ----------------------------------------------------------------------------


@transaction.atomic
def programme_save(*, actor, programme: Programme | None = None, **fields) -> Programme:
    """Create or change the programme's years and phases (city staff, once)."""
    programme = programme or Programme()
    for name, value in fields.items():
        setattr(programme, name, value)
    ends = programme.start_year and programme.years and programme.start_year + programme.years - 1
    if ends and programme.phase1_end_year and programme.phase1_end_year > ends:
        raise ValidationError({"phase1_end_year": _("脱困示范阶段截止年度不能晚于周期最后一年。")})
    programme.full_clean()
    programme._history_user = actor
    programme.save()
    return programme


# --- jurisdiction plans -------------------------------------------------------------------


@transaction.atomic
def plan_save(*, actor, plan: JurisdictionPlan | None = None, **fields) -> JurisdictionPlan:
    """A county's or township's targets for one year of the programme.

    A county or township sets its own (and its townships'); the city sets any. The year
    must be one of the programme's years.
    """
    creating = plan is None
    plan = plan or JurisdictionPlan(created_by=actor)
    if creating:
        plan.region = fields.pop("region", None)
        plan.year = fields.pop("year", None)
        programme = fields.pop("programme", None) or active_programme()
        if programme is None:
            raise ValidationError(_("市委组织部尚未配置行动周期，请先配置后再制定规划。"))
        plan.programme = programme
    else:
        fields.pop("region", None), fields.pop("year", None), fields.pop("programme", None)
    for name in PLAN_FIELDS:
        if name in fields:
            setattr(plan, name, fields.pop(name))
    if fields:
        raise TypeError(f"unexpected fields: {sorted(fields)}")
    _check_region(actor, plan.region)
    if plan.region.level not in (RegionLevel.COUNTY, RegionLevel.TOWNSHIP):
        raise ValidationError({"region": _("规划按县区或乡镇（街道）制定，请选择县区或乡镇。")})
    if plan.year not in plan.programme.year_range:
        raise ValidationError(
            {
                "year": _("年度应在行动周期 %(start)s—%(end)s 年之内。")
                % {"start": plan.programme.start_year, "end": plan.programme.end_year}
            }
        )
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    return plan


# --- bulletins ----------------------------------------------------------------------------


def _bulletin_region_ok(region: Region) -> None:
    if region.level not in (RegionLevel.CITY, RegionLevel.COUNTY):
        raise ValidationError({"region": _("年度通报按全市或县区生成，请选择市或县区。")})


@transaction.atomic
def bulletin_request(*, actor, year: int, region: Region, enqueue: bool = True) -> BulletinJob:
    """Ask for the bulletin of ``year`` for ``region``: one job row per (year, region).

    Asking again while it runs changes nothing; asking again once it is finished
    produces it afresh in the same row and the same files. The task is queued after
    the commit so that the worker sees the row.
    """
    _check_region(actor, region)
    _bulletin_region_ok(region)
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("请输入正确的年度。")})
    job, created = BulletinJob.objects.select_for_update().get_or_create(
        year=year, region=region, defaults={"requested_by": actor}
    )
    if not created:
        if job.state in (BulletinState.QUEUED, BulletinState.RUNNING):
            return job  # already on its way: one job, one message
        job.state = BulletinState.QUEUED
        job.progress, job.progress_note, job.attempts, job.message = 0, "", 0, ""
        job.requested_by = actor
        job.save()
    if enqueue:
        from .tasks import queue_bulletin

        transaction.on_commit(lambda: queue_bulletin(job.pk))  # a broker outage fails the job, with why
    return job


# --- admonitions and rectification --------------------------------------------------------


def admonition_propose(*, year: int, region: Region, reason: str, person_name: str, person_post: str, bulletin=None):
    """A bulletin's proposal for a unit that missed its targets: once per (year, unit)."""
    existing = Admonition.objects.filter(year=year, region=region).first()
    if existing is not None:
        return existing  # proposed before (or already handled): a second run adds nothing
    return Admonition.objects.create(
        year=year, region=region, reason=reason, person_name=person_name, person_post=person_post, bulletin=bulletin
    )


@transaction.atomic
def admonition_save(*, actor, admonition: Admonition | None = None, **fields) -> Admonition:
    """Staff add an admonition by hand or correct a proposed one (name, post, reason)."""
    admonition = admonition or Admonition()
    if admonition.pk and admonition.state == AdmonitionState.DISMISSED:
        raise ValidationError(_("已不予谈话的记录不能再修改。"))
    for name, value in fields.items():
        setattr(admonition, name, value)
    _check_region(actor, admonition.region if admonition.region_id else None)
    admonition.full_clean()
    admonition._history_user = actor
    admonition.save()
    return admonition


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def admonition_confirm(*, actor, admonition: Admonition) -> Admonition:
    """Staff confirm a proposed admonition: the talk is to be held."""
    admonition = _lock(Admonition, admonition)
    if admonition.state != AdmonitionState.PROPOSED:
        raise ValidationError(_("只有待确认的建议可以确认。"))
    admonition.state = AdmonitionState.CONFIRMED
    admonition.confirmed_by = actor
    admonition._history_user = actor
    admonition.save()
    return admonition


@transaction.atomic
def admonition_dismiss(*, actor, admonition: Admonition, reason: str) -> Admonition:
    admonition = _lock(Admonition, admonition)
    if admonition.state != AdmonitionState.PROPOSED:
        raise ValidationError(_("只有待确认的建议可以不予谈话。"))
    if not reason.strip():
        raise ValidationError({"explanation": _("不予谈话必须说明理由。")})
    admonition.state = AdmonitionState.DISMISSED
    admonition.explanation = reason.strip()
    admonition.confirmed_by = actor
    admonition._history_user = actor
    admonition.save()
    return admonition


@transaction.atomic
def admonition_record_talk(*, actor, admonition: Admonition, talked_on, talked_by: str, explanation: str):
    """The talk was held: when, who talked, and what the person explained."""
    admonition = _lock(Admonition, admonition)
    if admonition.state != AdmonitionState.CONFIRMED:
        raise ValidationError(_("确认后才能登记谈话情况。"))
    errors = {}
    if talked_on is None:
        errors["talked_on"] = _("请填写谈话日期。")
    elif talked_on > timezone.localdate():
        errors["talked_on"] = _("谈话日期不能晚于今天。")
    if not (talked_by or "").strip():
        errors["talked_by"] = _("请填写谈话人。")
    if not (explanation or "").strip():
        errors["explanation"] = _("请填写本人的说明。")
    if errors:
        raise ValidationError(errors)
    admonition.state = AdmonitionState.TALKED
    admonition.talked_on, admonition.talked_by, admonition.explanation = talked_on, talked_by.strip(), explanation
    admonition._history_user = actor
    admonition.save()
    return admonition


@transaction.atomic
def rectification_file(*, actor, admonition: Admonition, measures: str, deadline) -> RectificationPlan:
    """After the talk, the person files a rectification plan with measures and a deadline."""
    admonition = _lock(Admonition, admonition)
    if admonition.state != AdmonitionState.TALKED:
        raise ValidationError(_("谈话后才能提交整改计划。"))
    if RectificationPlan.objects.filter(admonition=admonition).exists():
        raise ValidationError(_("该诫勉谈话已有整改计划，请在原计划上跟踪。"))
    errors = {}
    if not (measures or "").strip():
        errors["measures"] = _("请填写整改措施。")
    if deadline is None:
        errors["deadline"] = _("请填写整改期限。")
    elif deadline <= timezone.localdate():
        errors["deadline"] = _("整改期限应晚于今天。")
    if errors:
        raise ValidationError(errors)
    plan = RectificationPlan(admonition=admonition, measures=measures.strip(), deadline=deadline)
    plan.full_clean()
    plan._history_user = actor
    plan.save()
    return plan


@transaction.atomic
def rectification_follow_up(*, actor, plan: RectificationPlan, note: str, close: bool = False) -> RectificationPlan:
    """A follow-up note; ``close`` marks the plan done (销号)."""
    plan = _lock(RectificationPlan, plan)
    if plan.state == RectificationState.CLOSED:
        raise ValidationError(_("整改计划已销号。"))
    if not (note or "").strip():
        raise ValidationError({"note": _("请填写跟踪督办情况。")})
    stamp = timezone.localdate().isoformat()
    plan.follow_up = f"{plan.follow_up}\n{stamp}：{note.strip()}".strip()
    if close:
        plan.state = RectificationState.CLOSED
        plan.closed_on = timezone.localdate()
    plan._history_user = actor
    plan.save()
    return plan


# --- commendations ------------------------------------------------------------------------


@transaction.atomic
def commendation_propose(*, actor, **fields) -> Commendation:
    commendation = Commendation(**fields)
    _check_region(actor, commendation.region if commendation.region_id else None)
    if commendation.party_organization_id and not _within_jurisdiction(actor, commendation.party_organization.region):
        raise ValidationError({"party_organization": _("只能选择本辖区的党组织。")})
    commendation.state = CommendationState.PROPOSED
    commendation.full_clean()
    commendation._history_user = actor
    commendation.save()
    return commendation


@transaction.atomic
def commendation_announce(*, actor, commendation: Commendation, days: int = COMMENDATION_NOTICE_DAYS):
    """Start the public notice (公示) of a proposed commendation."""
    commendation = _lock(Commendation, commendation)
    if commendation.state != CommendationState.PROPOSED:
        raise ValidationError(_("只有拟表彰的对象可以公示。"))
    if not 1 <= int(days) <= 60:
        raise ValidationError({"days": _("公示天数应在1到60天之间。")})
    today = timezone.localdate()
    commendation.state = CommendationState.NOTICING
    commendation.notice_starts, commendation.notice_ends = today, today + timedelta(days=int(days) - 1)
    commendation._history_user = actor
    commendation.save()
    return commendation


@transaction.atomic
def commendation_objection_record(*, actor, commendation: Commendation, raised_by: str, content: str):
    commendation = _lock(Commendation, commendation)
    if commendation.state != CommendationState.NOTICING:
        raise ValidationError(_("只有公示期内可以登记异议。"))
    errors = {}
    if not (raised_by or "").strip():
        errors["raised_by"] = _("请填写异议人。")
    if not (content or "").strip():
        errors["content"] = _("请填写异议内容。")
    if errors:
        raise ValidationError(errors)
    objection = CommendationObjection(commendation=commendation, raised_by=raised_by.strip(), content=content.strip())
    objection.full_clean()
    objection.save()
    return objection


@transaction.atomic
def commendation_objection_resolve(*, actor, objection: CommendationObjection, resolution: str):
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("请填写核实处理情况。")})
    objection = _lock(CommendationObjection, objection)
    objection.resolution = resolution.strip()
    objection.save()
    return objection


@transaction.atomic
def commendation_confirm(*, actor, commendation: Commendation, note: str = "") -> Commendation:
    """After the notice period, with every objection answered, the commendation stands."""
    commendation = _lock(Commendation, commendation)
    if commendation.state != CommendationState.NOTICING:
        raise ValidationError(_("公示后才能确认表彰。"))
    if timezone.localdate() <= commendation.notice_ends:
        raise ValidationError(_("公示期至 %(day)s 结束，期满后才能确认。") % {"day": commendation.notice_ends})
    if commendation.objections.filter(resolution="").exists():
        raise ValidationError(_("还有未核实处理的异议，处理后才能确认。"))
    commendation.state = CommendationState.CONFIRMED
    commendation.decided_by, commendation.decision_note = actor, note
    commendation._history_user = actor
    commendation.save()
    return commendation


@transaction.atomic
def commendation_withdraw(*, actor, commendation: Commendation, note: str) -> Commendation:
    commendation = _lock(Commendation, commendation)
    if commendation.state in (CommendationState.CONFIRMED, CommendationState.WITHDRAWN):
        raise ValidationError(_("已确认或已撤销的表彰不能撤销。"))
    if not (note or "").strip():
        raise ValidationError({"note": _("撤销表彰必须说明理由。")})
    commendation.state = CommendationState.WITHDRAWN
    commendation.decided_by, commendation.decision_note = actor, note.strip()
    commendation._history_user = actor
    commendation.save()
    return commendation


# --- yearly evaluation --------------------------------------------------------------------


def _evaluation_subject(evaluation: Evaluation) -> None:
    """Check the subject matches its kind, and take its name and region from it."""
    kind = evaluation.subject_kind
    if kind == EvaluationSubject.PARTY_ORGANIZATION:
        if evaluation.party_organization_id is None:
            raise ValidationError({"party_organization": _("请选择被考核的党组织。")})
        evaluation.helper = None
        evaluation.subject_name = evaluation.party_organization.name
        evaluation.region = evaluation.party_organization.region
        return
    if evaluation.helper_id is None:
        raise ValidationError({"helper": _("请选择被考核的驻村工作队或党员领导干部。")})
    if evaluation.helper.kind != kind:
        raise ValidationError(
            {
                "helper": _("所选帮扶力量是“%(kind)s”，与考核对象类别不符。")
                % {"kind": evaluation.helper.get_kind_display()}
            }
        )
    evaluation.party_organization = None
    evaluation.subject_name = evaluation.helper.name
    evaluation.region = evaluation.helper.region


def evaluation_indicators(evaluation: Evaluation) -> dict:
    from . import selectors

    if evaluation.subject_kind == EvaluationSubject.PARTY_ORGANIZATION:
        items = selectors.organization_indicators(region=evaluation.region, year=evaluation.year)
    else:
        items = selectors.helper_indicators(helper=evaluation.helper, year=evaluation.year)
    return {"items": items}


@transaction.atomic
def evaluation_create(*, actor, **fields) -> Evaluation:
    """Open a yearly evaluation: the indicators are computed from the records now; staff
    add the score, grade and comment (now or later)."""
    evaluation = Evaluation(evaluated_by=actor, **fields)
    if evaluation.subject_kind not in EvaluationSubject.values:
        raise ValidationError({"subject_kind": _("请选择考核对象类别。")})
    _evaluation_subject(evaluation)
    _check_region(actor, evaluation.region, "party_organization" if evaluation.party_organization_id else "helper")
    evaluation.indicators = evaluation_indicators(evaluation)
    evaluation.indicators_at = timezone.now()
    evaluation.full_clean()
    evaluation._history_user = actor
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_assess(*, actor, evaluation: Evaluation, score=None, grade: str = "", comment: str = ""):
    """Staff's score, grade and comment."""
    evaluation = _lock(Evaluation, evaluation)
    evaluation.score, evaluation.grade, evaluation.comment = score, grade or "", (comment or "").strip()
    if evaluation.grade and evaluation.score is None:
        raise ValidationError({"score": _("评定等次前请先填写考核得分。")})
    evaluation.evaluated_by = actor
    evaluation.full_clean()
    evaluation._history_user = actor
    evaluation.save()
    return evaluation


@transaction.atomic
def evaluation_recompute(*, actor, evaluation: Evaluation) -> Evaluation:
    """Compute the indicators again from today's records (the score is left as it is)."""
    evaluation = _lock(Evaluation, evaluation)
    evaluation.indicators = evaluation_indicators(evaluation)
    evaluation.indicators_at = timezone.now()
    evaluation._history_user = actor
    evaluation.save()
    return evaluation


@transaction.atomic
def commendation_propose_from_evaluation(*, actor, evaluation: Evaluation) -> Commendation:
    """An evaluation graded 优秀 proposes its subject for a commendation (公示 follows)."""
    if evaluation.grade != EvaluationGrade.EXCELLENT:
        raise ValidationError(_("只有考核等次为“优秀”的对象可以推荐表彰。"))
    kind = (
        CommendationKind.PERSON if evaluation.subject_kind == EvaluationSubject.CADRE else CommendationKind.ORGANIZATION
    )
    existing = Commendation.objects.filter(
        year=evaluation.year, kind=kind, region=evaluation.region, name=evaluation.subject_name
    ).first()
    if existing is not None:
        return existing
    return commendation_propose(
        actor=actor,
        year=evaluation.year,
        kind=kind,
        region=evaluation.region,
        party_organization=evaluation.party_organization,
        name=evaluation.subject_name,
        reason=_("%(year)s年度考核优秀（得分%(score)s）。%(comment)s")
        % {"year": evaluation.year, "score": evaluation.score, "comment": evaluation.comment},
    )


# --- the villages' snapshot (统计快照) --------------------------------------------------------


def tally_years(today) -> list[int]:
    """The years a dashboard is usually asked for: the programme's, up to this one."""
    programme = active_programme()
    years = {today.year}
    if programme is not None:
        years.update(year for year in programme.year_range if year <= today.year)
    return sorted(years)


@transaction.atomic
def tallies_refresh(*, years=None, today=None) -> int:
    """Count every village's figures for ``years`` (default: ``tally_years``) and replace
    those years' snapshot in one transaction, so a reader sees the old rows or the new,
    never a mix. Returns the number of rows written; 0 when another refresh is running
    (PostgreSQL), as that one writes the same figures."""
    from . import selectors

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('reports.tallies_refresh'))")
            if not cursor.fetchone()[0]:
                return 0
    today = today or timezone.localdate()
    years = sorted(set(years or tally_years(today)))
    now = timezone.now()
    rows = []
    for year in years:
        grouped = selectors.figures(
            place={}, key="village", year=year, sections=selectors.sections_for(None), today=today
        )
        rows.extend(
            VillageTally(
                village_id=village,
                year=year,
                as_of=today,
                computed_at=now,
                figures={name: str(value) if name in selectors.MONEY_KEYS else value for name, value in counts.items()},
            )
            for village, counts in grouped.items()
            if village is not None
        )
    VillageTally.objects.filter(year__in=years).delete()
    VillageTally.objects.bulk_create(rows, batch_size=500)
    return len(rows)
