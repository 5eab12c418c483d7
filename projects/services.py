"""The income project's workflow (致富项目): propose, review (论证), approve or refuse,
start, record support and progress, close with the outcome.

Every step checks the actor's role and jurisdiction here, so a page, the API and a
script get the same answer. ``actor=None`` is the system (demo data, other apps'
services acting on their own checks).
"""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.choices import Track
from members.models import Member

from .choices import (
    FEASIBLE_CONCLUSIONS,
    GiverKind,
    ParticipantRole,
    ProjectStatus,
    ReviewConclusion,
    SupportKind,
)
from .models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport, ReviewParticipant

# The fields a proposal is made of; they may change only before approval.
PROPOSAL_FIELDS = ("direction", "title", "description", "budget", "expected_income", "proposed_on")
EDITABLE_STATES = frozenset({ProjectStatus.PROPOSED, ProjectStatus.REVIEWING})
SUPPORTABLE_STATES = frozenset({ProjectStatus.APPROVED, ProjectStatus.RUNNING})
CLOSE_OUTCOMES = (ProjectStatus.CLOSED, ProjectStatus.FAILED)

# The step each action is (a verb: "只有……的项目才能<step>"), for the message when it comes at the wrong time.
STEP_LABELS = {
    "update": gettext_lazy("修改"),
    "review": gettext_lazy("录入论证"),
    "approve": gettext_lazy("批准"),
    "refuse": gettext_lazy("决定不予批准"),
    "start": gettext_lazy("开始实施"),
    "support": gettext_lazy("登记扶持"),
    "progress": gettext_lazy("报告进展"),
    "close": gettext_lazy("结项"),
}


# --- checks -------------------------------------------------------------------------------


def _allow(actor, project: IncomeProject, action: str) -> None:
    """The role allows ``action`` (view, change, or "review"/"approve": projects.review_incomeproject ...)
    and the project lies in the actor's jurisdiction."""
    if actor is None:
        return
    if not IncomeProject.objects.visible_to(actor, action).filter(pk=project.pk).exists():
        raise PermissionDenied(_("您没有权限对该项目执行此操作（角色或管辖范围不符）。"))


def _lock(project: IncomeProject) -> IncomeProject:
    return IncomeProject.objects.select_for_update().select_related("member").get(pk=project.pk)


def wrong_state_message(project: IncomeProject, step: str, allowed) -> str:
    """Why ``step`` cannot be taken now: the state the project is in and the states it needs.
    The page that refuses to open a form says the same, so it asks here."""
    quoted = [_("“%(label)s”") % {"label": label} for value, label in ProjectStatus.choices if value in allowed]
    either = (
        quoted[0]
        if len(quoted) == 1
        else _("%(some)s或%(last)s") % {"some": "、".join(quoted[:-1]), "last": quoted[-1]}
    )
    return _("该项目当前状态为“%(state)s”，只有%(allowed)s的项目才能%(step)s。") % {
        "state": project.get_status_display(),
        "allowed": either,
        "step": STEP_LABELS[step],
    }


def _require_state(project: IncomeProject, step: str, allowed) -> None:
    if project.status not in allowed:
        raise ValidationError(wrong_state_message(project, step, allowed), code="wrong_state")


def money(value, field: str, *, positive: bool = True, required: bool = True) -> Decimal | None:
    """A yuan amount as Decimal with at most two decimals (分); a readable message otherwise."""
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("请填写金额。")})
        return None
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("请输入有效的金额（元）。")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("请输入有效的金额（元）。")})
    if positive and amount <= 0:
        raise ValidationError({field: _("金额必须大于零。")})
    if amount < 0:
        raise ValidationError({field: _("金额不能为负数。")})
    # Checked before quantizing: a number too long for the context cannot be quantized.
    if amount >= Decimal("1e12"):
        raise ValidationError({field: _("金额过大，请核对。")})
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("金额最多精确到分（小数点后两位）。")})
    return amount.quantize(Decimal("0.01"))


def _not_future(day: date | None, field: str, label: str) -> date:
    today = timezone.localdate()
    day = day or today
    if day > today:
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    return day


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason
    obj.full_clean()
    obj.save()


# --- proposal -----------------------------------------------------------------------------


@transaction.atomic
def project_propose(
    *,
    actor,
    member: Member,
    direction: str,
    title: str,
    description: str,
    budget,
    expected_income,
    proposed_on: date | None = None,
) -> IncomeProject:
    """A member's project is put forward (提出), with the work team's help."""
    if actor is not None:
        if not actor.has_perm("projects.add_incomeproject"):
            raise PermissionDenied(_("您的角色不能提出致富项目。"))
        if not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
            raise PermissionDenied(_("只能为您管辖范围内的党员提出项目。"))
    # Income projects are step 5 of the demonstration action; relief members are routed elsewhere.
    if member.track != Track.DEMONSTRATION:
        raise ValidationError(
            {
                "member": _(
                    "%(name)s 的帮扶类别为“%(track)s”，致富项目只面向脱困示范行动的党员；如需调整请先人工决定帮扶类别。"
                )
                % {"name": member.name, "track": member.get_track_display()}
            },
            code="wrong_track",
        )
    project = IncomeProject(
        member=member,
        direction=direction,
        title=(title or "").strip(),
        description=(description or "").strip(),
        budget=money(budget, "budget"),
        expected_income=money(expected_income, "expected_income"),
        proposed_on=_not_future(proposed_on, "proposed_on", _("提出日期")),
        proposed_by=actor,
    )
    _save(project, actor, _("提出项目"))
    return project


@transaction.atomic
def project_update(*, actor, project: IncomeProject, **fields) -> IncomeProject:
    """Change the proposal while it is not yet decided."""
    if unknown := set(fields) - set(PROPOSAL_FIELDS):
        raise ValidationError(_("不能直接修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
    _allow(actor, project, "change")
    project = _lock(project)
    _require_state(project, "update", EDITABLE_STATES)
    for field in ("budget", "expected_income"):
        if field in fields:
            fields[field] = money(fields[field], field)
    if "proposed_on" in fields:
        fields["proposed_on"] = _not_future(fields["proposed_on"], "proposed_on", _("提出日期"))
    for field, value in fields.items():
        setattr(project, field, value.strip() if isinstance(value, str) else value)
    _save(project, actor, _("修改项目"))
    return project


# --- feasibility review (论证) ---------------------------------------------------------------


def _participants(entries, actor=None) -> list[ReviewParticipant]:
    """The people who took part; the recording account is linked where it names itself."""
    people = []
    for entry in entries or ():
        name = (entry.get("name") or "").strip()
        role = entry.get("role") or ""
        if not name:
            continue
        if role not in ParticipantRole.values:
            raise ValidationError({"participants": _("参加人“%(name)s”的身份无效。") % {"name": name}})
        account = entry.get("account")
        if account is None and actor is not None and name == actor.display_name:
            account = actor
        people.append(
            ReviewParticipant(role=role, name=name[:64], unit=(entry.get("unit") or "").strip()[:128], account=account)
        )
    if not people:
        raise ValidationError({"participants": _("请填写参加论证的人员（驻村工作队、专家等），至少一人。")})
    return people


@transaction.atomic
def review_record(
    *,
    actor,
    project: IncomeProject,
    conclusion: str,
    opinion: str,
    participants: list[dict],
    reviewed_on: date | None = None,
) -> ProjectReview:
    """Record a feasibility review (项目论证); the project is then under review (论证中).

    ``participants``: ``[{"role": ParticipantRole, "name": ..., "unit": ..., "account": User|None}]``.
    A project found not feasible may be changed and reviewed again."""
    _allow(actor, project, "review")
    project = _lock(project)
    _require_state(project, "review", EDITABLE_STATES)
    if conclusion not in ReviewConclusion.values:
        raise ValidationError({"conclusion": _("请选择论证结论。")})
    if not (opinion or "").strip():
        raise ValidationError({"opinion": _("请填写论证意见。")})
    reviewed_on = _not_future(reviewed_on, "reviewed_on", _("论证日期"))
    if reviewed_on < project.proposed_on:
        raise ValidationError(
            {"reviewed_on": _("论证日期不能早于项目提出日期（%(day)s）。") % {"day": project.proposed_on}}
        )
    people = _participants(participants, actor)
    review = ProjectReview(
        project=project,
        member=project.member,
        reviewed_on=reviewed_on,
        conclusion=conclusion,
        opinion=opinion.strip(),
        recorded_by=actor,
    )
    _save(review, actor)
    for person in people:
        person.review, person.member = review, project.member
        person.full_clean()
    ReviewParticipant.objects.bulk_create(people)
    if project.status != ProjectStatus.REVIEWING:
        project.status = ProjectStatus.REVIEWING
        _save(project, actor, _("项目论证：%(conclusion)s") % {"conclusion": review.get_conclusion_display()})
    return review


def latest_review(project: IncomeProject) -> ProjectReview | None:
    return project.reviews.order_by("-reviewed_on", "-id").first()


# --- decision -----------------------------------------------------------------------------


@transaction.atomic
def project_approve(*, actor, project: IncomeProject, note: str = "", decided_on: date | None = None) -> IncomeProject:
    """Approve (批准) a project whose latest review found it feasible."""
    _allow(actor, project, "approve")
    project = _lock(project)
    _require_state(project, "approve", {ProjectStatus.REVIEWING})
    review = latest_review(project)
    if review is None or review.conclusion not in FEASIBLE_CONCLUSIONS:
        raise ValidationError(
            _("最近一次论证结论不是“可行”或“修改后可行”，不能批准；请重新论证或不予批准。"), code="not_feasible"
        )
    decided_on = _not_future(decided_on, "decided_on", _("审批日期"))
    if decided_on < review.reviewed_on:
        raise ValidationError({"decided_on": _("审批日期不能早于论证日期（%(day)s）。") % {"day": review.reviewed_on}})
    project.status, project.decided_on, project.decided_by = ProjectStatus.APPROVED, decided_on, actor
    project.decision_note = (note or "").strip()
    _save(project, actor, _("批准"))
    return project


@transaction.atomic
def project_refuse(*, actor, project: IncomeProject, reason: str, decided_on: date | None = None) -> IncomeProject:
    """Refuse (不予批准) a project, with the reason."""
    _allow(actor, project, "approve")
    project = _lock(project)
    _require_state(project, "refuse", EDITABLE_STATES)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("不予批准必须说明理由。")})
    project.status, project.decided_on, project.decided_by = (
        ProjectStatus.REFUSED,
        _not_future(decided_on, "decided_on", _("审批日期")),
        actor,
    )
    project.decision_note = reason.strip()
    _save(project, actor, _("不予批准"))
    return project


# --- running ------------------------------------------------------------------------------


@transaction.atomic
def project_start(*, actor, project: IncomeProject, started_on: date | None = None) -> IncomeProject:
    """An approved project starts (开始实施)."""
    _allow(actor, project, "change")
    project = _lock(project)
    _require_state(project, "start", {ProjectStatus.APPROVED})
    started_on = _not_future(started_on, "started_on", _("开工日期"))
    if project.decided_on and started_on < project.decided_on:
        raise ValidationError({"started_on": _("开工日期不能早于批准日期（%(day)s）。") % {"day": project.decided_on}})
    project.status, project.started_on = ProjectStatus.RUNNING, started_on
    _save(project, actor, _("开始实施"))
    return project


@transaction.atomic
def support_record(
    *,
    actor,
    project: IncomeProject,
    kind: str,
    giver_name: str,
    giver_kind: str,
    value,
    given_on: date | None = None,
    description: str = "",
) -> ProjectSupport:
    """Support received (技术、设备、资金), with its giver and its value in yuan."""
    if actor is not None and not actor.has_perm("projects.add_projectsupport"):
        raise PermissionDenied(_("您的角色不能登记项目扶持。"))
    _allow(actor, project, "view")
    project = _lock(project)
    _require_state(project, "support", SUPPORTABLE_STATES)
    if kind not in SupportKind.values:
        raise ValidationError({"kind": _("请选择扶持类型（技术、设备或资金）。")})
    if giver_kind not in GiverKind.values:
        raise ValidationError({"giver_kind": _("请选择扶持方类型。")})
    if not (giver_name or "").strip():
        raise ValidationError({"giver_name": _("请填写扶持方名称。")})
    support = ProjectSupport(
        project=project,
        member=project.member,
        kind=kind,
        giver_name=giver_name.strip(),
        giver_kind=giver_kind,
        value=money(value, "value"),
        given_on=_not_future(given_on, "given_on", _("扶持日期")),
        description=(description or "").strip(),
        recorded_by=actor,
    )
    _save(support, actor)
    return support


@transaction.atomic
def progress_record(
    *, actor, project: IncomeProject, text: str, income_to_date, reported_on: date | None = None
) -> ProgressReport:
    """A follow-up report (跟踪进展) on a running project."""
    if actor is not None and not actor.has_perm("projects.add_progressreport"):
        raise PermissionDenied(_("您的角色不能报告项目进展。"))
    _allow(actor, project, "view")
    project = _lock(project)
    _require_state(project, "progress", {ProjectStatus.RUNNING})
    if not (text or "").strip():
        raise ValidationError({"text": _("请填写进展情况。")})
    reported_on = _not_future(reported_on, "reported_on", _("报告日期"))
    if project.started_on and reported_on < project.started_on:
        raise ValidationError({"reported_on": _("报告日期不能早于开工日期（%(day)s）。") % {"day": project.started_on}})
    report = ProgressReport(
        project=project,
        member=project.member,
        reported_on=reported_on,
        text=text.strip(),
        income_to_date=money(income_to_date, "income_to_date", positive=False),
        recorded_by=actor,
    )
    _save(report, actor)
    return report


@transaction.atomic
def project_close(
    *,
    actor,
    project: IncomeProject,
    outcome: str,
    closed_on: date | None = None,
    income_earned=None,
    jobs_created: int | None = None,
    note: str = "",
    failure_reason: str = "",
) -> IncomeProject:
    """Close a project with its outcome: ``closed`` (结项, income earned and jobs created)
    or ``failed`` (失败, the reason required). An approved project that never started may fail."""
    _allow(actor, project, "change")
    project = _lock(project)
    if outcome not in CLOSE_OUTCOMES:
        raise ValidationError({"outcome": _("请选择结项结果：已结项或失败。")})
    if outcome == ProjectStatus.CLOSED:
        _require_state(project, "close", {ProjectStatus.RUNNING})
        income = money(income_earned, "income_earned", positive=False, required=False)
        if income is None:
            raise ValidationError(
                {"income_earned": _("结项必须填写实际收入（元）；没有收入的项目请按“失败”结项并说明原因。")}
            )
        if jobs_created in (None, ""):
            raise ValidationError({"jobs_created": _("请填写带动就业人数（没有填 0）。")})
        try:
            jobs = int(jobs_created)
        except (TypeError, ValueError):
            raise ValidationError({"jobs_created": _("带动就业人数应为整数。")}) from None
        if jobs < 0:
            raise ValidationError({"jobs_created": _("带动就业人数不能为负数。")})
        project.income_earned, project.jobs_created, project.failure_reason = income, jobs, ""
    else:
        _require_state(project, "close", SUPPORTABLE_STATES)
        if not (failure_reason or "").strip():
            raise ValidationError({"failure_reason": _("项目失败必须写明原因。")})
        project.failure_reason = failure_reason.strip()
        project.income_earned = money(income_earned, "income_earned", positive=False, required=False)
        project.jobs_created = None
    closed_on = _not_future(closed_on, "closed_on", _("结项日期"))
    if project.started_on and closed_on < project.started_on:
        raise ValidationError({"closed_on": _("结项日期不能早于开工日期（%(day)s）。") % {"day": project.started_on}})
    project.status, project.closed_on, project.outcome_note = outcome, closed_on, (note or "").strip()
    _save(project, actor, _("结项：%(outcome)s") % {"outcome": ProjectStatus(outcome).label})
    return project
