from datetime import date

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.choices import Direction
from members.models import Member, MemberScopedMixin
from organization.models import TimeStampedModel
from organization.scoping import ScopedQuerySet

from .choices import GiverKind, ParticipantRole, ProjectStatus, ReviewConclusion, SupportKind

MONEY = {"max_digits": 14, "decimal_places": 2}
STATUS_BADGES = {
    ProjectStatus.PROPOSED: "secondary",
    ProjectStatus.REVIEWING: "info",
    ProjectStatus.APPROVED: "primary",
    ProjectStatus.REFUSED: "dark",
    ProjectStatus.RUNNING: "warning",
    ProjectStatus.CLOSED: "success",
    ProjectStatus.FAILED: "danger",
}


class IncomeProject(MemberScopedMixin, TimeStampedModel):
    """A member's income project (致富项目): proposed, reviewed (论证), approved, run, closed.

    The status moves only through ``projects.services``; the outcome fields are filled
    when the project is closed (income and jobs) or fails (the reason)."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="income_projects"
    )
    direction = models.CharField(_("发展方向"), max_length=16, choices=Direction.choices)
    title = models.CharField(_("项目名称"), max_length=128)
    description = models.TextField(_("项目内容"))
    budget = models.DecimalField(_("项目预算（元）"), **MONEY, validators=[MinValueValidator(0)])
    expected_income = models.DecimalField(_("预期年收入（元）"), **MONEY, validators=[MinValueValidator(0)])
    status = models.CharField(
        _("状态"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED, editable=False
    )
    proposed_on = models.DateField(_("提出日期"), default=date.today)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision_note = models.TextField(_("审批意见"), blank=True, editable=False)
    started_on = models.DateField(_("开工日期"), null=True, blank=True, editable=False)
    closed_on = models.DateField(_("结项日期"), null=True, blank=True, editable=False)
    income_earned = models.DecimalField(
        _("实际年收入（元）"), **MONEY, null=True, blank=True, editable=False, validators=[MinValueValidator(0)]
    )
    jobs_created = models.PositiveIntegerField(_("带动就业（人）"), null=True, blank=True, editable=False)
    outcome_note = models.TextField(_("结项说明"), blank=True, editable=False)
    failure_reason = models.TextField(_("失败原因"), blank=True, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("致富项目")
        verbose_name_plural = _("致富项目")
        ordering = ["-proposed_on", "-id"]
        indexes = [models.Index(fields=["status", "proposed_on"], name="project_status_proposed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gt=0) & Q(expected_income__gt=0),
                name="project_amounts_positive",
                violation_error_message=_("项目预算和预期收入必须大于零。"),
            ),
            models.CheckConstraint(
                condition=Q(income_earned__isnull=True) | Q(income_earned__gte=0),
                name="project_income_earned_not_negative",
                violation_error_message=_("实际收入不能为负数。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.FAILED) | ~Q(failure_reason=""),
                name="project_failed_has_reason",
                violation_error_message=_("失败的项目必须写明原因。"),
            ),
            models.CheckConstraint(
                condition=~Q(status=ProjectStatus.CLOSED) | Q(income_earned__isnull=False),
                name="project_closed_has_income",
                violation_error_message=_("结项必须填写实际收入。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.title}"

    def get_absolute_url(self):
        return reverse("projects:project_detail", kwargs={"pk": self.pk})

    @property
    def year(self) -> int:
        return self.proposed_on.year

    @property
    def status_badge(self) -> str:
        """The Bootstrap colour of the status badge."""
        return STATUS_BADGES.get(self.status, "secondary")


class ProjectReview(MemberScopedMixin, TimeStampedModel):
    """A feasibility review (项目论证) of a project, with who took part and the conclusion."""

    project = models.ForeignKey(
        IncomeProject, verbose_name=_("致富项目"), on_delete=models.CASCADE, related_name="reviews"
    )
    # Denormalized from the project so that the review is scoped like every member record.
    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    reviewed_on = models.DateField(_("论证日期"), default=date.today)
    conclusion = models.CharField(_("论证结论"), max_length=16, choices=ReviewConclusion.choices)
    opinion = models.TextField(_("论证意见"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目论证")
        verbose_name_plural = _("项目论证")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self):
        return f"{self.project.title} {self.reviewed_on}：{self.get_conclusion_display()}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()

    @property
    def is_feasible(self) -> bool:
        from .choices import FEASIBLE_CONCLUSIONS

        return self.conclusion in FEASIBLE_CONCLUSIONS


class ReviewParticipant(MemberScopedMixin, models.Model):
    """Someone who took part in a review: a work-team member, an expert, staff."""

    review = models.ForeignKey(
        ProjectReview, verbose_name=_("项目论证"), on_delete=models.CASCADE, related_name="participants"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    role = models.CharField(_("身份"), max_length=16, choices=ParticipantRole.choices)
    name = models.CharField(_("姓名"), max_length=64)
    unit = models.CharField(_("单位/职务"), max_length=128, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("论证参加人")
        verbose_name_plural = _("论证参加人")
        ordering = ["review", "role", "id"]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class ProjectSupport(MemberScopedMixin, TimeStampedModel):
    """Support a project received (技术、设备、资金), with its giver and value."""

    project = models.ForeignKey(
        IncomeProject, verbose_name=_("致富项目"), on_delete=models.CASCADE, related_name="supports"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    kind = models.CharField(_("扶持类型"), max_length=16, choices=SupportKind.choices)
    giver_name = models.CharField(_("扶持方"), max_length=128)
    giver_kind = models.CharField(_("扶持方类型"), max_length=16, choices=GiverKind.choices)
    value = models.DecimalField(_("价值（元）"), **MONEY, validators=[MinValueValidator(0)])
    given_on = models.DateField(_("扶持日期"), default=date.today)
    description = models.CharField(_("内容说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目扶持")
        verbose_name_plural = _("项目扶持")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gt=0),
                name="project_support_value_positive",
                violation_error_message=_("扶持价值必须大于零。"),
            ),
        ]

    def __str__(self):
        return f"{self.project.title}：{self.get_kind_display()} {self.value}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()


class ProgressReport(MemberScopedMixin, TimeStampedModel):
    """A follow-up report (跟踪进展) on a running project."""

    project = models.ForeignKey(
        IncomeProject, verbose_name=_("致富项目"), on_delete=models.CASCADE, related_name="progress_reports"
    )
    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    reported_on = models.DateField(_("报告日期"), default=date.today)
    text = models.TextField(_("进展情况"))
    income_to_date = models.DecimalField(_("累计收入（元）"), **MONEY, validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["-reported_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(income_to_date__gte=0),
                name="progress_income_not_negative",
                violation_error_message=_("累计收入不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.project.title} {self.reported_on}"

    def get_absolute_url(self):
        return self.project.get_absolute_url()
