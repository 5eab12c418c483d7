"""Training of poor party members: batches, enrolment and attendance, the city budget's
costs, the expert service team and its services, practice bases and visits."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members.models import Member, MemberScopedMixin, member_scope_q
from organization.choices import Role
from organization.models import Region, TimeStampedModel
from organization.scoping import ScopedModelMixin, ScopedQuerySet

from .choices import (
    AttendanceStatus,
    BaseKind,
    BatchStatus,
    BudgetCategory,
    Department,
    EnrolmentStatus,
    Grade,
    ServiceKind,
    TopicDirection,
)
from .scoping import region_below_q, region_line_q

PHONE = RegexValidator(r"^[0-9\-+ ]{7,20}$", _("请输入有效的电话号码。"))
MONEY = {"max_digits": 14, "decimal_places": 2}


class RegionLineQuerySet(ScopedQuerySet):
    """Seen along the region's line; changed only from at or above it (training.scoping)."""

    #: lookup prefix from the model to the object that holds ``region``
    region_prefix = ""

    def visible_to(self, user, action: str = "view"):
        queryset = super().visible_to(user, action)
        if action == "view" or user is None or not user.is_authenticated or user.is_superuser:
            return queryset
        return queryset.filter(region_below_q(user, self.region_prefix))


class RegionLineMixin(ScopedModelMixin):
    @classmethod
    def scope_q(cls, user):
        return region_line_q(user)


class BatchChildQuerySet(RegionLineQuerySet):
    region_prefix = "batch__"


class BatchChildMixin(ScopedModelMixin):
    """Records of a batch are seen and changed like the batch."""

    scope_region_field = "batch__region"

    @classmethod
    def scope_q(cls, user):
        return region_line_q(user, "batch__")


# --- batches -----------------------------------------------------------------------------


class TrainingBatch(RegionLineMixin, TimeStampedModel):
    """A batch (期/批) of the poor party members' training course (贫困党员培训班)."""

    title = models.CharField(_("培训班名称"), max_length=128)
    period_number = models.PositiveSmallIntegerField(
        _("期次"), validators=[MinValueValidator(1), MaxValueValidator(999)], help_text=_("第几期")
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("主办区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("市级培训班全市可见；县区、乡镇举办的只在本辖区可见。"),
    )
    organizer = models.CharField(_("承办单位"), max_length=128, default="市农村党员干部培训学校")
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    place = models.CharField(_("培训地点"), max_length=128)
    capacity = models.PositiveSmallIntegerField(
        _("计划人数"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    status = models.CharField(_("状态"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.PLANNED)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegionLineQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("培训班")
        verbose_name_plural = _("培训班")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="training_batch_dates_ordered",
                violation_error_message=_("结业日期不能早于开班日期。"),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="training_batch_capacity_positive",
                violation_error_message=_("计划人数至少为1人。"),
            ),
            models.UniqueConstraint(
                fields=["region", "start_date", "period_number"],
                name="training_batch_unique_period",
                violation_error_message=_("同一主办区划同一开班日期已有这一期次的培训班。"),
            ),
        ]

    def __str__(self):
        return _("%(title)s（第%(number)s期）") % {"title": self.title, "number": self.period_number}

    def get_absolute_url(self):
        return reverse("training:batch_detail", kwargs={"pk": self.pk})

    @property
    def year(self) -> int:
        return self.start_date.year

    def overlaps(self, other: "TrainingBatch") -> bool:
        return self.start_date <= other.end_date and other.start_date <= self.end_date


class CurriculumTopic(BatchChildMixin, TimeStampedModel):
    """A topic of a batch's curriculum (课程), and the direction it serves."""

    batch = models.ForeignKey(TrainingBatch, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="topics")
    title = models.CharField(_("课程名称"), max_length=128)
    direction = models.CharField(_("服务方向"), max_length=16, choices=TopicDirection.choices)
    hours = models.DecimalField(
        _("课时"), max_digits=5, decimal_places=1, default=2, validators=[MinValueValidator(0.5)]
    )
    expert = models.ForeignKey(
        "Expert", verbose_name=_("授课专家"), null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )

    objects = BatchChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["batch", "id"]

    def __str__(self):
        return f"{self.title}（{self.get_direction_display()}）"

    def get_absolute_url(self):
        return self.batch.get_absolute_url() + "#curriculum"


class TrainingSession(BatchChildMixin, TimeStampedModel):
    """One session (一次课) of a batch: attendance is taken per session."""

    batch = models.ForeignKey(
        TrainingBatch, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("上课日期"))
    topic = models.ForeignKey(
        CurriculumTopic,
        verbose_name=_("课程"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    title = models.CharField(_("内容"), max_length=128, blank=True, help_text=_("不选课程时填写。"))

    objects = BatchChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训课次")
        verbose_name_plural = _("培训课次")
        ordering = ["batch", "held_on", "id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.label}"

    @property
    def label(self) -> str:
        return self.topic.title if self.topic_id else self.title

    def get_absolute_url(self):
        return reverse("training:session_attendance", kwargs={"pk": self.pk})


class BatchBudgetItem(BatchChildMixin, TimeStampedModel):
    """A cost of a batch paid by the city budget (市财政列支)."""

    batch = models.ForeignKey(
        TrainingBatch, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="budget_items"
    )
    category = models.CharField(_("费用类别"), max_length=16, choices=BudgetCategory.choices)
    item = models.CharField(_("支出事项"), max_length=128)
    amount = models.DecimalField(_("金额（元）"), **MONEY, validators=[MinValueValidator(0.01)])
    spent_on = models.DateField(_("支出日期"))
    voucher = models.CharField(_("凭证号"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = BatchChildQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("培训经费支出")
        verbose_name_plural = _("培训经费支出")
        ordering = ["batch", "spent_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="training_budget_amount_positive",
                violation_error_message=_("金额必须大于0。"),
            ),
        ]

    def __str__(self):
        return f"{self.item} {self.amount}"

    def get_absolute_url(self):
        return reverse("training:batch_costs", kwargs={"pk": self.batch_id})


# --- enrolment ---------------------------------------------------------------------------


class EnrolmentQuerySet(ScopedQuerySet):
    def completed(self):
        return self.filter(status=EnrolmentStatus.COMPLETED)


class Enrolment(MemberScopedMixin, TimeStampedModel):
    """A member's place on a batch: recommended by a work team, admitted, assessed.

    A member who completes the course becomes a key assistance target (重点帮扶对象)
    of the work team account that recommended them, from ``key_target_since``.
    """

    batch = models.ForeignKey(
        TrainingBatch, verbose_name=_("培训班"), on_delete=models.PROTECT, related_name="enrolments"
    )
    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("状态"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.RECOMMENDED
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_recommendations",
    )
    recommending_village = models.ForeignKey(
        Region, verbose_name=_("推荐村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    recommended_on = models.DateField(_("推荐日期"), default=date.today)
    reason = models.CharField(_("推荐理由"), max_length=255, blank=True)
    admitted_on = models.DateField(_("录取日期"), null=True, blank=True)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录取人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    score = models.DecimalField(
        _("考核成绩"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("考核等次"), max_length=16, choices=Grade.choices, blank=True)
    certificate_number = models.CharField(_("结业证书编号"), max_length=32, blank=True)
    key_target_since = models.DateField(
        _("列为重点帮扶对象日期"), null=True, blank=True, help_text=_("结业后成为推荐工作队的重点帮扶对象。")
    )
    closing_note = models.CharField(_("说明"), max_length=255, blank=True, help_text=_("未录取或退出的原因。"))

    objects = EnrolmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        ordering = ["batch", "member__file_number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "member"],
                name="enrolment_one_per_member_and_batch",
                violation_error_message=_("该党员已在本期培训班名单中。"),
            ),
            models.UniqueConstraint(
                fields=["certificate_number"],
                condition=~Q(certificate_number=""),
                name="enrolment_unique_certificate",
                violation_error_message=_("该结业证书编号已被使用。"),
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="enrolment_score_range",
                violation_error_message=_("考核成绩应在0到100之间。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} · {self.batch}"

    def get_absolute_url(self):
        return reverse("training:enrolment_detail", kwargs={"pk": self.pk})


class Attendance(ScopedModelMixin, TimeStampedModel):
    """Whether a trainee attended one session (考勤)."""

    session = models.ForeignKey(
        TrainingSession, verbose_name=_("课次"), on_delete=models.CASCADE, related_name="attendances"
    )
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("学员"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("出勤情况"), max_length=16, choices=AttendanceStatus.choices)
    note = models.CharField(_("备注"), max_length=128, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_region_field = "enrolment__member__village"

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user, prefix="enrolment__member__")

    class Meta:
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        ordering = ["session", "enrolment"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "enrolment"],
                name="attendance_one_per_session",
                violation_error_message=_("该学员本课次已有考勤记录。"),
            ),
        ]

    def __str__(self):
        return f"{self.session} {self.enrolment.member.name}：{self.get_status_display()}"


# --- expert service team -----------------------------------------------------------------


class Expert(RegionLineMixin, TimeStampedModel):
    """A member of the expert service team (专家服务团)."""

    name = models.CharField(_("姓名"), max_length=32)
    department = models.CharField(_("派出部门"), max_length=32, choices=Department.choices)
    unit = models.CharField(_("工作单位"), max_length=128, blank=True)
    title = models.CharField(_("职称/职务"), max_length=64, blank=True)
    specialty = models.CharField(_("专业特长"), max_length=128)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[PHONE])
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属服务团"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("市级专家服务团全市可见。"),
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
        limit_choices_to={"role": Role.EXPERT},
        help_text=_("专家本人登录系统记录服务时使用。"),
    )
    is_active = models.BooleanField(_("在团"), default=True)

    objects = RegionLineQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("服务团专家")
        verbose_name_plural = _("服务团专家")
        ordering = ["department", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_department_display()}）"

    def get_absolute_url(self):
        return reverse("training:expert_detail", kwargs={"pk": self.pk})


class ExpertServiceQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        queryset = super().visible_to(user, action)
        # An expert changes only the services they gave.
        if action != "view" and user is not None and getattr(user, "role", None) == Role.EXPERT:
            return queryset.filter(expert__account=user)
        return queryset

    def follow_ups_open(self):
        return self.filter(follow_up_due__isnull=False, follow_up_done_on__isnull=True)


class ExpertService(ScopedModelMixin, TimeStampedModel):
    """A service of an expert (授课、电化教育、实地指导、咨询、跟踪服务) and the members served."""

    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(_("服务方式"), max_length=16, choices=ServiceKind.choices)
    served_on = models.DateField(_("服务日期"))
    place = models.CharField(_("地点"), max_length=128)
    content = models.TextField(_("服务内容"))
    members = models.ManyToManyField(Member, verbose_name=_("服务对象"), related_name="expert_services")
    batch = models.ForeignKey(
        TrainingBatch,
        verbose_name=_("所属培训班"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_services",
    )
    follow_up_due = models.DateField(_("跟踪回访期限"), null=True, blank=True)
    follow_up_done_on = models.DateField(_("回访完成日期"), null=True, blank=True)
    follow_up_note = models.TextField(_("回访情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ExpertServiceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[members])

    class Meta:
        verbose_name = _("专家服务")
        verbose_name_plural = _("专家服务")
        ordering = ["-served_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("served_on")),
                name="expert_service_follow_up_after_service",
                violation_error_message=_("跟踪回访期限不能早于服务日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.served_on:%Y-%m-%d} {self.get_kind_display()} · {self.expert.name}"

    def get_absolute_url(self):
        return reverse("training:service_detail", kwargs={"pk": self.pk})

    @classmethod
    def scope_q(cls, user):
        # Seen by whoever may see one of the members served; an expert always sees their own.
        served = ExpertService.members.through.objects.filter(member_scope_q(user, "member__")).values(
            "expertservice_id"
        )
        condition = Q(pk__in=served)
        if user.role == Role.EXPERT:
            condition |= Q(expert__account=user)
        return condition


# --- practice bases ----------------------------------------------------------------------


class PracticeBase(RegionLineMixin, TimeStampedModel):
    """A training practice base (培训实践基地) awarded a plaque (授牌)."""

    name = models.CharField(_("基地名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=BaseKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="+", help_text=_("基地所在区划。")
    )
    address = models.CharField(_("详细地址"), max_length=255, blank=True)
    plaque_date = models.DateField(_("授牌日期"))
    learnable = models.TextField(_("可观摩学习内容"))
    contact = models.CharField(_("联系人"), max_length=32, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[PHONE])
    is_active = models.BooleanField(_("在用"), default=True)

    objects = RegionLineQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("培训实践基地")
        verbose_name_plural = _("培训实践基地")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"], name="practice_base_unique_name", violation_error_message=_("已有同名的培训实践基地。")
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("training:base_detail", kwargs={"pk": self.pk})


class BaseVisit(ScopedModelMixin, TimeStampedModel):
    """An observation and practice visit (观摩学习) to a base, with the members who went."""

    base = models.ForeignKey(PracticeBase, verbose_name=_("实践基地"), on_delete=models.PROTECT, related_name="visits")
    visited_on = models.DateField(_("观摩日期"))
    batch = models.ForeignKey(
        TrainingBatch,
        verbose_name=_("所属培训班"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    content = models.TextField(_("观摩学习内容"))
    members = models.ManyToManyField(Member, verbose_name=_("参加人员"), related_name="base_visits")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[members])

    class Meta:
        verbose_name = _("观摩学习")
        verbose_name_plural = _("观摩学习")
        ordering = ["-visited_on", "-id"]

    def __str__(self):
        return f"{self.visited_on:%Y-%m-%d} {self.base.name}"

    def get_absolute_url(self):
        return reverse("training:visit_detail", kwargs={"pk": self.pk})

    @classmethod
    def scope_q(cls, user):
        went = BaseVisit.members.through.objects.filter(member_scope_q(user, "member__")).values("basevisit_id")
        return Q(pk__in=went)
