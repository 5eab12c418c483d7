from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organization.choices import RegionLevel
from organization.hooks import role_hooks
from organization.models import PartyOrganization, Region, TimeStampedModel
from organization.scoping import ScopedModelMixin, ScopedQuerySet

from . import idnumbers
from .choices import (
    Direction,
    Education,
    Gender,
    Health,
    LabourCapacity,
    NoticeState,
    PovertyCause,
    Relation,
    Schooling,
    Status,
    Track,
)

PHONE = RegexValidator(r"^[0-9\-+ ]{7,20}$", _("请输入有效的电话号码。"))
MONEY = {"max_digits": 14, "decimal_places": 2}


class ChoiceSetField(models.CharField):
    """Several choices in one column, stored as ``,a,b,`` so that one ``contains``
    lookup finds a code on any database (SQLite has no array type)."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_class", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return self.to_python(value)

    def to_python(self, value):
        if value is None or isinstance(value, list):
            return value or []
        return [part for part in value.split(",") if part]

    def get_prep_value(self, value):
        if isinstance(value, list | tuple):
            return f",{','.join(value)}," if value else ""
        return value  # a lookup value such as ",illness," passes unchanged

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        if self.choices_class is not None:
            unknown = [code for code in value if code not in self.choices_class.values]
            if unknown:
                raise ValidationError(_("未知的选项：%(codes)s") % {"codes": "、".join(unknown)})
        if not value and not self.blank:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        from django import forms

        return forms.TypedMultipleChoiceField(
            choices=self.choices_class.choices if self.choices_class else [],
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


def member_scope_q(user, prefix: str = "") -> Q:
    """The members ``user`` may reach, as a Q over ``prefix`` + member fields.

    Roles whose jurisdiction is a set of assigned members (a cadre's paired members,
    say) get it from the app that owns the assignment: its AppConfig names a function
    under ``member_scopes`` (organization.hooks), which should return a
    ``{prefix}pk__in`` subquery so that a member with two assignments is one row.
    Everyone else sees a region: through the denormalized county/township/village
    keys, an equality on an indexed column instead of a path LIKE over a join, which
    keeps lists fast at 100,000 members."""
    assigned = role_hooks("member_scopes").get(user.role)
    if assigned is not None:
        return assigned(user, prefix)
    region = user.region
    if region is None:
        return Q(pk__in=[])
    field = {
        RegionLevel.CITY: "county__parent",
        RegionLevel.COUNTY: "county",
        RegionLevel.TOWNSHIP: "township",
        RegionLevel.VILLAGE: "village",
    }[region.level]
    return Q(**{f"{prefix}{field}": region})


class MemberQuerySet(ScopedQuerySet):
    def with_cause(self, cause: str):
        return self.filter(poverty_causes__contains=f",{cause},")


class Member(ScopedModelMixin, TimeStampedModel):
    """The per-person file (建档立卡) of a poor party member.

    Birth date and gender come from the citizen ID number and are stored only so that
    lists can filter and sort on them; ``members.services`` keeps them in step.
    """

    file_number = models.CharField(_("档案编号"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("姓名"), max_length=32, db_index=True)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("出生日期"), editable=False)
    ethnicity = models.CharField(_("民族"), max_length=16, default="汉族")
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, validators=[PHONE])
    party_branch = models.CharField(_("所在党支部"), max_length=128, blank=True)
    party_organization = models.ForeignKey(
        PartyOrganization,
        verbose_name=_("党组织"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="poor_members",
    )
    joined_party_on = models.DateField(_("入党时间"), null=True, blank=True)
    education = models.CharField(_("文化程度"), max_length=16, choices=Education.choices, blank=True)
    health = models.CharField(_("健康状况"), max_length=16, choices=Health.choices, default=Health.HEALTHY)
    labour_capacity = models.CharField(_("劳动能力"), max_length=16, choices=LabourCapacity.choices)
    has_living_source = models.BooleanField(_("有生活来源"), default=True)
    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    village = models.ForeignKey(
        Region,
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="poor_members",
        limit_choices_to={"level": "village"},
    )
    # Denormalized from the village so that lists and dashboards group without joins.
    township = models.ForeignKey(
        Region, verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    county = models.ForeignKey(
        Region, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    is_urban = models.BooleanField(_("城市"), default=False, editable=False)
    poverty_causes = ChoiceSetField(_("致贫原因"), choices_class=PovertyCause)
    income_per_head = models.DecimalField(
        _("登记时人均纯收入（元/年）"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    registered_on = models.DateField(_("建档日期"), default=date.today)
    notes = models.TextField(_("备注"), blank=True)

    computed_track = models.CharField(_("规则分流结果"), max_length=16, choices=Track.choices, editable=False)
    track = models.CharField(_("帮扶类别"), max_length=16, choices=Track.choices, editable=False)
    track_override_reason = models.CharField(_("人工调整分流理由"), max_length=255, blank=True, editable=False)
    status = models.CharField(_("脱贫状态"), max_length=16, choices=Status.choices, default=Status.POOR, editable=False)
    is_relapsed = models.BooleanField(_("返贫"), default=False, editable=False)

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "village"

    class Meta:
        verbose_name = _("贫困党员档案")
        verbose_name_plural = _("贫困党员档案")
        ordering = ["file_number"]
        permissions = [("reveal_id_number", _("查看完整身份证号码"))]
        indexes = [
            models.Index(fields=["county", "status"], name="member_county_status"),
            models.Index(fields=["township", "status"], name="member_township_status"),
            models.Index(fields=["track", "status"], name="member_track_status"),
            models.Index(fields=["name", "birth_date"], name="member_name_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(income_per_head__gte=0),
                name="member_income_not_negative",
                violation_error_message=_("人均纯收入不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.file_number}）"

    def get_absolute_url(self):
        return reverse("members:member_detail", kwargs={"pk": self.pk})

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user)

    @property
    def age(self) -> int:
        return idnumbers.age_on(self.id_number, timezone.localdate())

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def track_is_manual(self) -> bool:
        return self.track != self.computed_track

    def poverty_cause_labels(self) -> list[str]:
        labels = dict(PovertyCause.choices)
        return [str(labels.get(code, code)) for code in self.poverty_causes]


class MemberScopedMixin(ScopedModelMixin):
    """Records that belong to a member are scoped by the member's place."""

    scope_region_field = "member__village"

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user, prefix="member__")


class HouseholdMember(MemberScopedMixin, TimeStampedModel):
    """A person in the member's household (家庭成员), as on the national 建档立卡 form."""

    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="household")
    relation = models.CharField(_("与户主关系"), max_length=16, choices=Relation.choices)
    name = models.CharField(_("姓名"), max_length=32)
    id_number = models.CharField(_("公民身份号码"), max_length=18, blank=True)
    health = models.CharField(_("健康状况"), max_length=16, choices=Health.choices, default=Health.HEALTHY)
    labour_capacity = models.CharField(_("劳动能力"), max_length=16, choices=LabourCapacity.choices, blank=True)
    schooling = models.CharField(_("在校情况"), max_length=16, choices=Schooling.choices, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["member", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_relation_display()}）"

    def get_absolute_url(self):
        return self.member.get_absolute_url()

    @property
    def age(self) -> int | None:
        return idnumbers.age_on(self.id_number, timezone.localdate()) if self.id_number else None


class TrackDecision(MemberScopedMixin, TimeStampedModel):
    """A person's decision on a member's track, overriding the rule, with the reason."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="track_decisions"
    )
    computed_track = models.CharField(_("规则分流结果"), max_length=16, choices=Track.choices)
    track = models.CharField(_("决定的帮扶类别"), max_length=16, choices=Track.choices)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("决定人"), on_delete=models.PROTECT, related_name="+"
    )
    # A decision weighs the facts of its day; once the rule's result changes it lapses for good.
    lapsed_at = models.DateTimeField(_("失效时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("分流决定")
        verbose_name_plural = _("分流决定")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.member.name}：{self.get_track_display()}"


class PovertyExitPlan(MemberScopedMixin, TimeStampedModel):
    """The member's poverty-exit plan (脱贫规划); one is current, earlier ones are kept."""

    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="plans")
    direction = models.CharField(_("发展方向"), max_length=16, choices=Direction.choices)
    project = models.CharField(_("致富项目"), max_length=128)
    measures = models.TextField(_("帮扶措施"))
    income_target = models.DecimalField(_("人均纯收入目标（元/年）"), **MONEY, validators=[MinValueValidator(0)])
    target_year = models.PositiveSmallIntegerField(
        _("目标年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    responsible_person = models.CharField(_("责任人"), max_length=64)
    is_current = models.BooleanField(_("现行规划"), default=True, editable=False)
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
        verbose_name = _("脱贫规划")
        verbose_name_plural = _("脱贫规划")
        ordering = ["-is_current", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(is_current=True),
                name="plan_one_current_per_member",
                violation_error_message=_("每名党员只能有一份现行脱贫规划。"),
            ),
            models.CheckConstraint(
                condition=Q(income_target__gte=0),
                name="plan_income_target_not_negative",
                violation_error_message=_("收入目标不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.project}（{self.target_year}）"

    def get_absolute_url(self):
        return self.member.get_absolute_url()


class IncomeThreshold(TimeStampedModel):
    """The city's income lines for one year (per head per year), and the notice period."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    out_of_poverty = models.DecimalField(_("脱贫标准（元/人·年）"), **MONEY, validators=[MinValueValidator(0)])
    well_off = models.DecimalField(_("小康标准（元/人·年）"), **MONEY, validators=[MinValueValidator(0)])
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("年度收入标准")
        verbose_name_plural = _("年度收入标准")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(well_off__gt=models.F("out_of_poverty")),
                name="threshold_well_off_above_out",
                violation_error_message=_("小康标准必须高于脱贫标准。"),
            ),
        ]

    def __str__(self):
        return str(self.year)

    @classmethod
    def scope_q(cls, user):
        # City-wide settings: everyone who may view them sees all years.
        return Q()


class IncomeCheck(MemberScopedMixin, TimeStampedModel):
    """The yearly income check (年度收入核查) of one member."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="income_checks"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    income_per_head = models.DecimalField(_("人均纯收入（元/年）"), **MONEY, validators=[MinValueValidator(0)])
    checked_on = models.DateField(_("核查日期"), default=date.today)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("年度收入核查")
        verbose_name_plural = _("年度收入核查")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "year"],
                name="income_check_one_per_year",
                violation_error_message=_("该党员这一年度已有收入核查记录，请修改原记录。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name} {self.year}：{self.income_per_head}"

    def get_absolute_url(self):
        return self.member.get_absolute_url()


class StatusChange(MemberScopedMixin, TimeStampedModel):
    """A status change that follows from an income check, announced (公示) before it takes effect."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="status_changes"
    )
    income_check = models.ForeignKey(
        IncomeCheck,
        verbose_name=_("依据的收入核查"),
        null=True,
        on_delete=models.PROTECT,
        related_name="status_changes",
    )
    from_status = models.CharField(_("原状态"), max_length=16, choices=Status.choices)
    to_status = models.CharField(_("新状态"), max_length=16, choices=Status.choices)
    is_relapse = models.BooleanField(_("返贫"), default=False)
    reason = models.TextField(_("理由"))
    state = models.CharField(_("公示状态"), max_length=16, choices=NoticeState.choices, default=NoticeState.NOTICING)
    notice_starts = models.DateField(_("公示开始"))
    notice_ends = models.DateField(_("公示截止"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    decision_note = models.CharField(_("确认/撤回说明"), max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("状态变更公示")
        verbose_name_plural = _("状态变更公示")
        ordering = ["-notice_starts", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="noticing"),
                name="status_change_one_open_per_member",
                violation_error_message=_("该党员已有一项正在公示的状态变更。"),
            ),
            models.CheckConstraint(
                condition=Q(notice_ends__gte=models.F("notice_starts")),
                name="status_change_notice_dates_ordered",
                violation_error_message=_("公示截止日期不能早于开始日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.get_from_status_display()} → {self.get_to_status_display()}"

    def get_absolute_url(self):
        return self.member.get_absolute_url()


class Objection(ScopedModelMixin, TimeStampedModel):
    """An objection (异议) raised during a status change's public notice."""

    status_change = models.ForeignKey(
        StatusChange, verbose_name=_("状态变更"), on_delete=models.CASCADE, related_name="objections"
    )
    raised_by = models.CharField(_("异议人"), max_length=64)
    raised_on = models.DateField(_("提出日期"), default=date.today)
    content = models.TextField(_("异议内容"))
    resolution = models.TextField(_("核实处理情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "status_change__member__village"

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user, prefix="status_change__member__")

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["raised_on", "id"]

    def __str__(self):
        return f"{self.raised_by}：{self.content[:20]}"


class FileNumberSequence(models.Model):
    """The last file number given in a county; locked while a number is taken."""

    county = models.OneToOneField(Region, verbose_name=_("县区"), on_delete=models.PROTECT, related_name="+")
    last = models.PositiveIntegerField(_("最后序号"), default=0)

    class Meta:
        verbose_name = _("档案编号序列")
        verbose_name_plural = _("档案编号序列")
        ordering = ["county"]

    def __str__(self):
        return f"{self.county.name}：{self.last}"


class IdNumberRevealRecord(models.Model):
    """Who saw a full citizen ID number, when and why (个人信息查阅记录): one table per kind
    of person (members here, 贫困群众 in assistance), each adding the person and its scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), on_delete=models.PROTECT, related_name="+"
    )
    revealed_at = models.DateTimeField(_("查看时间"), auto_now_add=True)
    purpose = models.CharField(_("用途"), max_length=64, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-revealed_at", "-id"]


class IdNumberReveal(MemberScopedMixin, IdNumberRevealRecord):
    """Who saw a member's full citizen ID number, and when."""

    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="id_reveals")

    class Meta(IdNumberRevealRecord.Meta):
        verbose_name = _("身份证号查看记录")
        verbose_name_plural = _("身份证号查看记录")

    def __str__(self):
        return f"{self.user} → {self.member.name}"


# --- Excel register import and export (members.importing, members.exporting) -------------


def _import_file_path(instance, filename) -> str:
    # A random name: the county's file name may hold anything, and it is kept in original_name.
    import uuid

    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"


class ImportBatchStatus(models.TextChoices):
    CHECKING = "checking", _("正在检查")
    PREVIEWED = "previewed", _("待确认")
    QUEUED = "queued", _("已确认，排队中")
    RUNNING = "running", _("正在导入")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
    ROLLED_BACK = "rolled_back", _("已撤销")


class ImportBatch(ScopedModelMixin, TimeStampedModel):
    """One Excel register sent for import (台账导入批次): who, when, which file, what it did.

    The preview and the confirmed run read the stored file, so they work across requests
    and workers. The members a confirmed run created or changed are found through their
    history rows (``history_from`` … ``history_to`` with ``change_reason``), which is also
    what a rollback restores from.
    """

    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("导入人的管辖范围；批次只在该范围内可见。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("文件"), upload_to=_import_file_path, max_length=255)
    original_name = models.CharField(_("原文件名"), max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=ImportBatchStatus.choices, default=ImportBatchStatus.CHECKING
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("进度说明"), max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(
        _("执行次数"), default=0, help_text=_("确认导入后开始执行的次数；达到上限仍未完成即标记为失败。")
    )
    message = models.TextField(_("说明"), blank=True)
    sheet_name = models.CharField(_("工作表"), max_length=64, blank=True)
    header_row = models.PositiveIntegerField(_("表头所在行"), null=True, blank=True)
    total = models.PositiveIntegerField(_("人员行数"), default=0)
    created = models.PositiveIntegerField(_("新建"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("无变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒绝"), default=0)
    errors = models.JSONField(_("拒绝的行"), default=list, blank=True)
    rows = models.JSONField(_("逐行结果"), default=list, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    change_reason = models.CharField(_("历史记录说明"), max_length=100, blank=True)
    history_from = models.BigIntegerField(_("首条历史记录"), null=True, blank=True)
    history_to = models.BigIntegerField(_("末条历史记录"), null=True, blank=True)
    lapsed_decisions = models.JSONField(
        _("失效的分流决定"), default=list, blank=True, help_text=_("导入使其失效的分流决定，撤销时恢复。")
    )
    rolled_back_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("台账导入批次")
        verbose_name_plural = _("台账导入批次")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return _("导入批次 #%(id)s（%(name)s）") % {"id": self.pk, "name": self.original_name}

    def get_absolute_url(self):
        return reverse("members_import:batch", kwargs={"pk": self.pk})

    @property
    def is_finished(self) -> bool:
        return self.status in {ImportBatchStatus.DONE, ImportBatchStatus.FAILED, ImportBatchStatus.ROLLED_BACK}


class RegisterExport(ScopedModelMixin, models.Model):
    """One export of the register (登记造册导出记录): who took which rows, with full ID numbers or not.

    A full export is one access to many ID numbers; it is logged here once, with the
    filters that chose the rows, rather than as one IdNumberReveal per member.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导出人"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("管辖范围"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exported_at = models.DateTimeField(_("导出时间"), auto_now_add=True)
    filters = models.CharField(_("筛选条件"), max_length=500, blank=True)
    row_count = models.PositiveIntegerField(_("导出人数"), default=0)
    full_id_numbers = models.BooleanField(_("含完整身份证号码"), default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("登记造册导出记录")
        verbose_name_plural = _("登记造册导出记录")
        ordering = ["-exported_at", "-id"]

    def __str__(self):
        return f"{self.user} {self.exported_at:%Y-%m-%d %H:%M}"
