"""Reports and accountability: the programme's years, jurisdiction plans with targets,
yearly bulletins, admonitions with rectification, and commendations."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organization.models import PartyOrganization, Region, TimeStampedModel
from organization.scoping import ScopedModelMixin, ScopedQuerySet

from .choices import (
    AdmonitionState,
    BulletinState,
    CommendationKind,
    CommendationState,
    EvaluationGrade,
    EvaluationSubject,
    RectificationState,
)

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]
COUNT = [MinValueValidator(0), MaxValueValidator(1_000_000)]


class Programme(TimeStampedModel):
    """The programme's years and phases (行动周期), configured once by city staff.

    ``bulletin_month``/``bulletin_day`` is the date each year on which the beat task
    produces the city's bulletin for the year before.
    """

    name = models.CharField(_("名称"), max_length=64, unique=True)
    start_year = models.PositiveSmallIntegerField(_("起始年度"), validators=YEAR)
    years = models.PositiveSmallIntegerField(
        _("周期（年）"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    phase1_end_year = models.PositiveSmallIntegerField(
        _("脱困示范阶段截止年度"), validators=YEAR, help_text=_("其后各年为帮带致富阶段。")
    )
    bulletin_month = models.PositiveSmallIntegerField(
        _("年度通报月份"), default=1, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    bulletin_day = models.PositiveSmallIntegerField(
        _("年度通报日"), default=15, validators=[MinValueValidator(1), MaxValueValidator(28)]
    )
    is_active = models.BooleanField(_("当前周期"), default=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("行动周期")
        verbose_name_plural = _("行动周期")
        ordering = ["-start_year"]
        permissions = [("view_dashboard", _("查看进展看板"))]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=Q(is_active=True),
                name="programme_one_active",
                violation_error_message=_("只能有一个当前周期，请先停用原周期。"),
            ),
            models.CheckConstraint(
                condition=Q(phase1_end_year__gte=models.F("start_year")),
                name="programme_phase1_after_start",
                violation_error_message=_("脱困示范阶段截止年度不能早于起始年度。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.start_year}—{self.end_year}）"

    def get_absolute_url(self):
        return reverse("reports:programme_list")

    @classmethod
    def scope_q(cls, user):
        return Q()  # one city-wide setting that every account sees

    @property
    def end_year(self) -> int:
        return self.start_year + self.years - 1

    @property
    def year_range(self) -> range:
        return range(self.start_year, self.end_year + 1)

    def phase_of(self, year: int) -> int | None:
        if year not in self.year_range:
            return None
        return 1 if year <= self.phase1_end_year else 2


class JurisdictionPlan(ScopedModelMixin, TimeStampedModel):
    """A county's or township's plan for one year (本辖区规划): its targets."""

    programme = models.ForeignKey(Programme, verbose_name=_("行动周期"), on_delete=models.PROTECT, related_name="plans")
    region = models.ForeignKey(Region, verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    target_out_of_poverty = models.PositiveIntegerField(_("脱贫目标（人）"), default=0, validators=COUNT)
    target_trained = models.PositiveIntegerField(_("培训目标（人）"), default=0, validators=COUNT)
    target_projects = models.PositiveIntegerField(_("项目扶持目标（人）"), default=0, validators=COUNT)
    target_mentor_pairs = models.PositiveIntegerField(_("帮带结对目标（对）"), default=0, validators=COUNT)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("辖区规划")
        verbose_name_plural = _("辖区规划")
        ordering = ["year", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year"],
                name="jurisdiction_plan_one_per_year",
                violation_error_message=_("该辖区这一年度已有规划，请修改原规划。"),
            ),
        ]

    def __str__(self):
        return _("%(region)s %(year)s年度规划") % {"region": self.region.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("reports:plan_detail", kwargs={"pk": self.pk})


def bulletin_path(year: int, region_code: str, extension: str) -> str:
    """Where a bulletin's file lives under MEDIA_ROOT: one fixed name per year and jurisdiction."""
    return f"bulletins/{year}/{region_code}/bulletin-{year}-{region_code}.{extension}"


class BulletinJob(ScopedModelMixin, TimeStampedModel):
    """One yearly bulletin (年度通报) of a jurisdiction, and the job that produces it.

    The (year, region) key makes it one row however often it is asked for; the state is
    the job's state machine, and ``attempts`` caps redeliveries of a poison task.
    """

    MAX_ATTEMPTS = 3

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    region = models.ForeignKey(Region, verbose_name=_("通报范围"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=16, choices=BulletinState.choices, default=BulletinState.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("进度说明"), max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    message = models.TextField(_("说明"), blank=True)
    docx = models.CharField(_("Word 文件"), max_length=255, blank=True)
    xlsx = models.CharField(_("Excel 文件"), max_length=255, blank=True)
    summary = models.JSONField(_("通报数据"), default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度通报")
        verbose_name_plural = _("年度通报")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region"],
                name="bulletin_one_per_year_and_region",
                violation_error_message=_("该范围这一年度的通报已存在。"),
            ),
        ]

    def __str__(self):
        return _("%(region)s %(year)s年度通报") % {"region": self.region.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("reports:bulletin_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.state in {BulletinState.DONE, BulletinState.FAILED}


class Admonition(ScopedModelMixin, TimeStampedModel):
    """An admonition talk (诫勉谈话) with a directly responsible person whose unit missed its targets."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    region = models.ForeignKey(Region, verbose_name=_("未完成目标的辖区"), on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("直接责任人"), max_length=32)
    person_post = models.CharField(_("职务"), max_length=64, blank=True)
    reason = models.TextField(_("事由"))
    state = models.CharField(
        _("状态"), max_length=16, choices=AdmonitionState.choices, default=AdmonitionState.PROPOSED
    )
    bulletin = models.ForeignKey(
        BulletinJob,
        verbose_name=_("提出的通报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="admonitions",
    )
    talked_on = models.DateField(_("谈话日期"), null=True, blank=True)
    talked_by = models.CharField(_("谈话人"), max_length=64, blank=True)
    explanation = models.TextField(_("本人说明"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("诫勉谈话")
        verbose_name_plural = _("诫勉谈话")
        ordering = ["-year", "region__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "person_name"],
                name="admonition_one_per_person_year",
                violation_error_message=_("该责任人这一年度已有诫勉谈话记录。"),
            ),
        ]

    def __str__(self):
        return _("%(name)s（%(region)s %(year)s年度）诫勉谈话") % {
            "name": self.person_name,
            "region": self.region.name,
            "year": self.year,
        }

    def get_absolute_url(self):
        return reverse("reports:admonition_detail", kwargs={"pk": self.pk})


class RectificationPlan(ScopedModelMixin, TimeStampedModel):
    """The rectification plan (整改计划) filed after an admonition, followed up until closed."""

    admonition = models.OneToOneField(
        Admonition, verbose_name=_("诫勉谈话"), on_delete=models.CASCADE, related_name="rectification"
    )
    measures = models.TextField(_("整改措施"))
    deadline = models.DateField(_("整改期限"))
    state = models.CharField(
        _("状态"), max_length=16, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    follow_up = models.TextField(_("跟踪督办情况"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "admonition__region"

    class Meta:
        verbose_name = _("整改计划")
        verbose_name_plural = _("整改计划")
        ordering = ["deadline", "id"]

    def __str__(self):
        return _("%(name)s的整改计划") % {"name": self.admonition.person_name}

    def get_absolute_url(self):
        return self.admonition.get_absolute_url()


class Commendation(ScopedModelMixin, TimeStampedModel):
    """A commendation (表彰) of an organization or a person, announced before it is confirmed."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    kind = models.CharField(_("类别"), max_length=16, choices=CommendationKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+")
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("表彰对象"), max_length=128)
    reason = models.TextField(_("主要事迹"))
    state = models.CharField(
        _("状态"), max_length=16, choices=CommendationState.choices, default=CommendationState.PROPOSED
    )
    notice_starts = models.DateField(_("公示开始"), null=True, blank=True)
    notice_ends = models.DateField(_("公示截止"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.CharField(_("确认/撤销说明"), max_length=255, blank=True)
    proposed_on = models.DateField(_("提出日期"), default=date.today)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-year", "kind", "region__path", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "kind", "region", "name"],
                name="commendation_one_per_year",
                violation_error_message=_("这一年度已有同一对象的表彰。"),
            ),
            models.CheckConstraint(
                condition=Q(notice_ends__isnull=True) | Q(notice_ends__gte=models.F("notice_starts")),
                name="commendation_notice_dates_ordered",
                violation_error_message=_("公示截止日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return _("%(name)s（%(year)s年度%(kind)s）") % {
            "name": self.name,
            "year": self.year,
            "kind": self.get_kind_display(),
        }

    def get_absolute_url(self):
        return reverse("reports:commendation_detail", kwargs={"pk": self.pk})


class CommendationObjection(ScopedModelMixin, TimeStampedModel):
    """An objection raised during a commendation's public notice (公示异议)."""

    commendation = models.ForeignKey(
        Commendation, verbose_name=_("表彰"), on_delete=models.CASCADE, related_name="objections"
    )
    raised_by = models.CharField(_("异议人"), max_length=64)
    raised_on = models.DateField(_("提出日期"), default=date.today)
    content = models.TextField(_("异议内容"))
    resolution = models.TextField(_("核实处理情况"), blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "commendation__region"

    class Meta:
        verbose_name = _("表彰公示异议")
        verbose_name_plural = _("表彰公示异议")
        ordering = ["raised_on", "id"]

    def __str__(self):
        return f"{self.raised_by}：{self.content[:20]}"


class Evaluation(ScopedModelMixin, TimeStampedModel):
    """The yearly evaluation (年度考核) of a party organization, a work team or a leading cadre
    in this work: indicators computed from the records, plus the score and comment of staff."""

    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    subject_kind = models.CharField(_("考核对象类别"), max_length=24, choices=EvaluationSubject.choices)
    region = models.ForeignKey(Region, verbose_name=_("所在辖区"), on_delete=models.PROTECT, related_name="+")
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    helper = models.ForeignKey(
        "assistance.Helper",
        verbose_name=_("工作队/干部"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject_name = models.CharField(_("考核对象"), max_length=128, editable=False)
    indicators = models.JSONField(_("考核指标"), default=dict, blank=True, editable=False)
    indicators_at = models.DateTimeField(_("指标计算时间"), null=True, blank=True, editable=False)
    score = models.DecimalField(
        _("考核得分"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("考核等次"), max_length=16, choices=EvaluationGrade.choices, blank=True)
    comment = models.TextField(_("考核评语"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("年度考核")
        verbose_name_plural = _("年度考核")
        ordering = ["-year", "subject_kind", "region__path", "subject_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "party_organization"],
                condition=Q(party_organization__isnull=False),
                name="evaluation_one_per_organization_year",
                violation_error_message=_("该党组织这一年度已有考核。"),
            ),
            models.UniqueConstraint(
                fields=["year", "helper"],
                condition=Q(helper__isnull=False),
                name="evaluation_one_per_helper_year",
                violation_error_message=_("该工作队/干部这一年度已有考核。"),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="evaluation_score_range",
                violation_error_message=_("考核得分应在0到100之间。"),
            ),
        ]

    def __str__(self):
        return _("%(name)s %(year)s年度考核") % {"name": self.subject_name, "year": self.year}

    def get_absolute_url(self):
        return reverse("reports:evaluation_detail", kwargs={"pk": self.pk})


class VillageTally(ScopedModelMixin, models.Model):
    """A village's dashboard figures for a year (统计快照), taken by a periodic task.

    A city's dashboard then sums a few hundred village rows instead of counting every
    member and record on each request (DHIS2's analytics tables, on a smaller scale).
    ``reports.services.tallies_refresh`` replaces a year's rows at once; a dashboard uses
    them only while they are fresh and say so, and anyone may ask for live figures.
    """

    scope_region_field = "village"

    village = models.ForeignKey(Region, verbose_name=_("村（社区）"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"), validators=YEAR)
    # the day the figures that depend on the date (paired, visited, overdue) refer to
    as_of = models.DateField(_("统计日期"))
    computed_at = models.DateTimeField(_("生成时间"))
    # {figure: count}, money as a string of yuan; the keys are those of selectors.figures
    figures = models.JSONField(_("统计数据"), default=dict)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("村级统计快照")
        verbose_name_plural = _("村级统计快照")
        constraints = [
            models.UniqueConstraint(fields=["village", "year"], name="village_tally_one_per_year"),
        ]
        indexes = [models.Index(fields=["year", "as_of", "computed_at"], name="village_tally_fresh")]

    def __str__(self):
        return f"{self.village} {self.year}"
