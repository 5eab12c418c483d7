"""Helpers (帮扶力量), pairings, visit notes, difficulties, support, welfare referral and
phase-2 mentor pairs (帮带致富).

Records about a member are scoped by the member (``members.models.member_scope_q``), so
a work team sees them for the villages it is stationed in and a cadre for its paired
members (``assistance.scoping``). Helpers themselves are scoped by the region that keeps
them, and helper accounts see their own helper.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members import idnumbers
from members.models import IdNumberRevealRecord, Member, MemberScopedMixin, member_scope_q
from organization.choices import Role
from organization.models import Region, TimeStampedModel
from organization.scoping import ScopedModelMixin, ScopedQuerySet

from .choices import (
    CadreLevel,
    CentreServiceKind,
    DifficultyKind,
    DifficultyStatus,
    EnterpriseKind,
    HelperKind,
    ReferralStatus,
    ReliefScheme,
    ServiceOutcome,
    SupportKind,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
# Accounts whose jurisdiction is the helper they belong to, not a region.
HELPER_ROLES = frozenset({Role.WORK_TEAM, Role.CADRE, Role.ENTERPRISE, Role.URBAN_CENTRE})
ROLE_KIND = {
    Role.WORK_TEAM: HelperKind.WORK_TEAM,
    Role.CADRE: HelperKind.CADRE,
    Role.ENTERPRISE: HelperKind.ENTERPRISE,
    Role.URBAN_CENTRE: HelperKind.URBAN_CENTRE,
}


def ancestor_paths(region: Region) -> list[str]:
    """The paths of ``region`` and every region above it (a path is the codes from the city down)."""
    parts = [part for part in region.path.split("/") if part]
    return ["/" + "/".join(parts[:n]) + "/" for n in range(1, len(parts) + 1)]


class HelperQuerySet(ScopedQuerySet):
    def of_user(self, user):
        return self.filter(pk__in=HelperAccount.objects.filter(user=user).values("helper"))


class Helper(ScopedModelMixin, TimeStampedModel):
    """One helper (帮扶力量) of any kind; the kind's own details are in its subclass."""

    kind = models.CharField(_("帮扶类型"), max_length=16, choices=HelperKind.choices, editable=False)
    name = models.CharField(_("名称"), max_length=128)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所属区划"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("管理该帮扶力量的区划：市级的全市可见，县区级的本县区及上级可见。"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    is_active = models.BooleanField(_("在岗"), default=True)
    accounts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="HelperAccount",
        verbose_name=_("系统账号"),
        related_name="helpers",
        blank=True,
    )

    objects = HelperQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶力量")
        verbose_name_plural = _("帮扶力量")
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.name}"

    def get_absolute_url(self):
        return reverse("assistance:helper_detail", kwargs={"pk": self.pk})

    @property
    def specific(self):
        """The WorkTeam, LeadingCadre, Enterprise or UrbanCentre this helper is."""
        attribute = {
            HelperKind.WORK_TEAM: "workteam",
            HelperKind.CADRE: "leadingcadre",
            HelperKind.ENTERPRISE: "enterprise",
            HelperKind.URBAN_CENTRE: "urbancentre",
        }[self.kind]
        return getattr(self, attribute)

    @classmethod
    def scope_q(cls, user):
        if user.role in HELPER_ROLES:
            return Q(pk__in=HelperAccount.objects.filter(user=user).values("helper"))
        region = user.region
        if region is None:
            return Q(pk__in=[])
        # A city-level cadre or enterprise serves the whole city: county staff pair it too.
        return Q(region__path__startswith=region.path) | Q(region__path__in=ancestor_paths(region))


class HelperAccount(ScopedModelMixin, models.Model):
    """A user account that acts for a helper (a work-team member, the cadre, enterprise staff)."""

    helper = models.ForeignKey(Helper, verbose_name=_("帮扶力量"), on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="helper_accounts"
    )
    joined_on = models.DateField(_("加入日期"), default=date.today)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("帮扶力量账号")
        verbose_name_plural = _("帮扶力量账号")
        ordering = ["helper", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["helper", "user"],
                name="helper_account_unique",
                violation_error_message=_("该账号已属于这个帮扶力量。"),
            )
        ]

    def __str__(self):
        return f"{self.helper.name}：{self.user}"

    @classmethod
    def scope_q(cls, user):
        return Q(helper__in=Helper.objects.filter(Helper.scope_q(user)))


class WorkTeamQuerySet(HelperQuerySet):
    def active(self, day: date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class WorkTeam(Helper):
    """A village work team (驻村工作队): sent by a unit, stationed in villages for a term."""

    sending_unit = models.CharField(_("派出单位"), max_length=128)
    captain = models.CharField(_("队长"), max_length=32, help_text=_("直接责任人"))
    villages = models.ManyToManyField(
        Region, verbose_name=_("驻村"), related_name="work_teams", limit_choices_to={"level": "village"}
    )
    starts_on = models.DateField(_("进驻日期"))
    ends_on = models.DateField(_("撤离日期"), null=True, blank=True)

    objects = WorkTeamQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("驻村工作队")
        verbose_name_plural = _("驻村工作队")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="work_team_dates_ordered",
                violation_error_message=_("撤离日期不能早于进驻日期。"),
            )
        ]


class LeadingCadre(Helper):
    """A party leading cadre (党员领导干部) with contact duty (联系制度), at one of three levels."""

    level = models.CharField(_("层级"), max_length=16, choices=CadreLevel.choices)
    unit = models.CharField(_("工作单位"), max_length=128)
    post = models.CharField(_("职务"), max_length=64)

    objects = HelperQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("党员领导干部")
        verbose_name_plural = _("党员领导干部")
        ordering = ["level", "name"]


class Enterprise(Helper):
    """An enterprise helping of its own will (企业自愿): equipment, technology or money."""

    enterprise_kind = models.CharField(_("企业类型"), max_length=32, choices=EnterpriseKind.choices)
    contact_person = models.CharField(_("联系人"), max_length=32)
    support_plan = models.TextField(_("帮扶项目规划"), blank=True)

    objects = HelperQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("帮扶企业")
        verbose_name_plural = _("帮扶企业")
        ordering = ["name"]


class UrbanCentre(Helper):
    """The service centre for laid-off party members (下岗失业职工党员创业服务中心)."""

    address = models.CharField(_("地址"), max_length=255, blank=True)

    objects = HelperQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("创业服务中心")
        verbose_name_plural = _("创业服务中心")
        ordering = ["name"]


class PairingQuerySet(ScopedQuerySet):
    def active(self, day: date | None = None):
        day = day or timezone.localdate()
        return self.filter(Q(starts_on__lte=day), Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Pairing(MemberScopedMixin, TimeStampedModel):
    """Which helper assists which member (结对帮扶), from when to when, and why."""

    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="pairings")
    helper = models.ForeignKey(Helper, verbose_name=_("帮扶力量"), on_delete=models.PROTECT, related_name="pairings")
    starts_on = models.DateField(_("开始日期"), default=date.today)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    reason = models.CharField(_("结对理由"), max_length=255)
    is_key_target = models.BooleanField(
        _("重点帮扶对象"), default=False, help_text=_("培训结业后由推荐的驻村工作队重点帮扶。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PairingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("结对帮扶")
        verbose_name_plural = _("结对帮扶")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="pairing_dates_ordered",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self):
        return f"{self.helper.name} ↔ {self.member.name}"

    def get_absolute_url(self):
        return reverse("assistance:pairing_detail", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class VisitPolicy(ScopedModelMixin, TimeStampedModel):
    """How often the city expects each kind of helper to visit a paired member (联系制度)."""

    kind = models.CharField(_("帮扶类型"), max_length=16, choices=HelperKind.choices, unique=True)
    every_days = models.PositiveSmallIntegerField(
        _("走访间隔（天）"), validators=[MinValueValidator(1), MaxValueValidator(366)]
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
        verbose_name = _("走访频次要求")
        verbose_name_plural = _("走访频次要求")
        ordering = ["kind"]

    def __str__(self):
        return _("%(kind)s：每 %(days)s 天至少走访一次") % {"kind": self.get_kind_display(), "days": self.every_days}

    def get_absolute_url(self):
        return reverse("assistance:visitpolicy_list")

    @classmethod
    def scope_q(cls, user):
        return Q()  # a city-wide setting


def _photo_path(instance, filename) -> str:
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower()
    return f"visits/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class VisitNote(MemberScopedMixin, TimeStampedModel):
    """A home visit (走访记录): the daily record of work teams and cadres."""

    member = models.ForeignKey(Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="visit_notes")
    helper = models.ForeignKey(Helper, verbose_name=_("帮扶力量"), on_delete=models.PROTECT, related_name="visit_notes")
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("走访日期"), default=date.today)
    findings = models.TextField(_("了解到的情况"))
    needs = models.TextField(_("生产生活状况和需求"), blank=True)
    actions = models.TextField(_("商定的帮扶措施"), blank=True)
    photo = models.FileField(_("照片"), upload_to=_photo_path, max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [
            models.Index(fields=["helper", "member", "visited_on"], name="visit_helper_member_day"),
            # "visited within the interval" on dashboards: a range on the day, members from the index
            models.Index(fields=["visited_on", "member"], name="visit_day_member"),
        ]

    def __str__(self):
        return _("%(day)s 走访 %(member)s") % {"day": self.visited_on, "member": self.member.name}

    def get_absolute_url(self):
        return reverse("assistance:visitnote_detail", kwargs={"pk": self.pk})


class Difficulty(MemberScopedMixin, TimeStampedModel):
    """A practical difficulty (困难问题): raised, coordinated by a helper, resolved by a deadline."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="difficulties"
    )
    visit = models.ForeignKey(
        VisitNote,
        verbose_name=_("来源走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="difficulties",
    )
    kind = models.CharField(_("问题类型"), max_length=16, choices=DifficultyKind.choices)
    description = models.TextField(_("问题描述"))
    coordinator = models.ForeignKey(
        Helper, verbose_name=_("协调责任方"), on_delete=models.PROTECT, related_name="difficulties"
    )
    deadline = models.DateField(_("解决时限"))
    status = models.CharField(_("状态"), max_length=16, choices=DifficultyStatus.choices, default=DifficultyStatus.OPEN)
    resolution = models.TextField(_("解决情况"), blank=True)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("困难问题")
        verbose_name_plural = _("困难问题")
        ordering = ["status", "deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=DifficultyStatus.RESOLVED) | Q(resolved_on__isnull=False),
                name="difficulty_resolved_has_date",
                violation_error_message=_("已解决的问题必须填写解决日期。"),
            )
        ]

    def __str__(self):
        return f"{self.member.name}：{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("assistance:difficulty_detail", kwargs={"pk": self.pk})

    @property
    def is_overdue(self) -> bool:
        return self.status != DifficultyStatus.RESOLVED and self.deadline < timezone.localdate()


class EnterpriseSupport(MemberScopedMixin, TimeStampedModel):
    """Equipment, technology or money an enterprise gave a member (设备、技术、资金扶持)."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="enterprise_support"
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("帮扶企业"), on_delete=models.PROTECT, related_name="support_given"
    )
    kind = models.CharField(_("扶持方式"), max_length=16, choices=SupportKind.choices)
    description = models.CharField(_("内容"), max_length=255)
    value = models.DecimalField(_("折合金额（元）"), **MONEY, validators=[MinValueValidator(0)])
    given_on = models.DateField(_("扶持日期"), default=date.today)
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

    class Meta:
        verbose_name = _("企业扶持")
        verbose_name_plural = _("企业扶持")
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="enterprise_support_value_not_negative",
                violation_error_message=_("折合金额不能为负数。"),
            )
        ]

    def __str__(self):
        return f"{self.enterprise.name} → {self.member.name}：{self.description}"

    def get_absolute_url(self):
        return reverse("assistance:enterprisesupport_detail", kwargs={"pk": self.pk})


class CentreService(MemberScopedMixin, TimeStampedModel):
    """A service of the urban centre: skills training, job referral (推荐就业) or start-up support."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="centre_services"
    )
    centre = models.ForeignKey(
        UrbanCentre, verbose_name=_("创业服务中心"), on_delete=models.PROTECT, related_name="services"
    )
    kind = models.CharField(_("服务类型"), max_length=16, choices=CentreServiceKind.choices)
    description = models.CharField(_("服务内容"), max_length=255)
    started_on = models.DateField(_("开始日期"), default=date.today)
    employer = models.CharField(_("用人单位"), max_length=128, blank=True)
    post = models.CharField(_("岗位"), max_length=64, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=ServiceOutcome.choices, default=ServiceOutcome.PENDING)
    outcome_note = models.CharField(_("结果说明"), max_length=255, blank=True)
    value = models.DecimalField(
        _("扶持金额（元）"),
        **MONEY,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("创业扶持的资金，其他填0。"),
    )
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

    class Meta:
        verbose_name = _("中心服务")
        verbose_name_plural = _("中心服务")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="centre_service_value_not_negative",
                violation_error_message=_("扶持金额不能为负数。"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.member.name}"

    def get_absolute_url(self):
        return reverse("assistance:centreservice_detail", kwargs={"pk": self.pk})


class WelfareReferral(MemberScopedMixin, TimeStampedModel):
    """A referral to social relief (社会救济): rural members to 五保供养, urban ones to 低保."""

    member = models.ForeignKey(
        Member, verbose_name=_("贫困党员"), on_delete=models.CASCADE, related_name="welfare_referrals"
    )
    scheme = models.CharField(_("救助类别"), max_length=16, choices=ReliefScheme.choices, editable=False)
    status = models.CharField(_("状态"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    proposed_on = models.DateField(_("提出日期"), default=date.today)
    is_proposed_by_system = models.BooleanField(_("系统提出"), default=False, editable=False)
    referred_on = models.DateField(_("转介日期"), null=True, blank=True)
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    benefit = models.DecimalField(
        _("救助金额（元/月）"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    note = models.TextField(_("说明"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("社会救济转介")
        verbose_name_plural = _("社会救济转介")
        ordering = ["-proposed_on", "-id"]
        permissions = [("decide_welfarereferral", _("确认或不予转介系统提出的救济"))]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(status__in=["proposed", "referred"]),
                name="referral_one_open_per_member",
                violation_error_message=_("该党员已有一项正在办理的救济转介。"),
            ),
            models.CheckConstraint(
                condition=Q(benefit__isnull=True) | Q(benefit__gte=0),
                name="referral_benefit_not_negative",
                violation_error_message=_("救助金额不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.get_scheme_display()}（{self.get_status_display()}）"

    def get_absolute_url(self):
        return reverse("assistance:welfarereferral_detail", kwargs={"pk": self.pk})


# --- phase 2: helping others (帮带致富) ----------------------------------------------------


class Mentor(MemberScopedMixin, TimeStampedModel):
    """A member out of poverty chosen to help others (帮带能力强的党员)."""

    member = models.OneToOneField(Member, verbose_name=_("党员"), on_delete=models.CASCADE, related_name="mentor")
    designated_on = models.DateField(_("确定日期"), default=date.today)
    reason = models.TextField(_("确定理由"))
    is_active = models.BooleanField(_("在帮带"), default=True)
    designated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确定人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("帮带党员")
        verbose_name_plural = _("帮带党员")
        ordering = ["-designated_on", "-id"]

    def __str__(self):
        return str(self.member.name)

    def get_absolute_url(self):
        return reverse("assistance:mentor_detail", kwargs={"pk": self.pk})


class PoorResident(ScopedModelMixin, TimeStampedModel):
    """A poor person who is not a party member (贫困群众): a light record for phase 2."""

    name = models.CharField(_("姓名"), max_length=32)
    id_number = models.CharField(_("公民身份号码"), max_length=18, unique=True)
    village = models.ForeignKey(
        Region,
        verbose_name=_("所在村（社区）"),
        on_delete=models.PROTECT,
        related_name="poor_residents",
        limit_choices_to={"level": "village"},
    )
    household_size = models.PositiveSmallIntegerField(
        _("家庭人口"), default=1, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    income_per_head = models.DecimalField(
        _("人均纯收入（元/年）"), **MONEY, default=0, validators=[MinValueValidator(0)]
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "village"

    class Meta:
        verbose_name = _("贫困群众")
        verbose_name_plural = _("贫困群众")
        ordering = ["village__path", "name"]

    def __str__(self):
        return str(self.name)

    def get_absolute_url(self):
        return reverse("assistance:poorresident_detail", kwargs={"pk": self.pk})

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask(self.id_number)

    @classmethod
    def scope_q(cls, user):
        if user.role == Role.WORK_TEAM:
            teams = WorkTeam.objects.active().of_user(user)
            return Q(village__in=Region.objects.filter(work_teams__in=teams).values("pk"))
        if user.role in HELPER_ROLES:
            return Q(pk__in=[])
        return super().scope_q(user)


class PoorResidentIdReveal(ScopedModelMixin, IdNumberRevealRecord):
    """Who saw a poor resident's full citizen ID number, and when; scoped like the resident."""

    resident = models.ForeignKey(
        PoorResident, verbose_name=_("贫困群众"), on_delete=models.CASCADE, related_name="id_reveals"
    )

    class Meta(IdNumberRevealRecord.Meta):
        verbose_name = _("贫困群众身份证号查看记录")
        verbose_name_plural = _("贫困群众身份证号查看记录")

    def __str__(self):
        return f"{self.user} → {self.resident.name}"

    @classmethod
    def scope_q(cls, user):
        # exactly the residents the user reaches (a work team: its villages)
        return Q(resident__in=PoorResident.objects.filter(PoorResident.scope_q(user)).values("pk"))


class MentorPair(ScopedModelMixin, TimeStampedModel):
    """A mentor and a poor resident paired (结成对子)."""

    mentor = models.ForeignKey(Mentor, verbose_name=_("帮带党员"), on_delete=models.PROTECT, related_name="pairs")
    resident = models.ForeignKey(
        PoorResident, verbose_name=_("贫困群众"), on_delete=models.PROTECT, related_name="mentor_pairs"
    )
    starts_on = models.DateField(_("结对日期"), default=date.today)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    goal = models.CharField(_("帮带目标"), max_length=255, blank=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    scope_region_field = "mentor__member__village"

    class Meta:
        verbose_name = _("帮带对子")
        verbose_name_plural = _("帮带对子")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="mentor_pair_dates_ordered",
                violation_error_message=_("结束日期不能早于结对日期。"),
            )
        ]

    def __str__(self):
        return f"{self.mentor.member.name} ↔ {self.resident.name}"

    def get_absolute_url(self):
        return reverse("assistance:mentorpair_detail", kwargs={"pk": self.pk})

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user, prefix="mentor__member__")


class MentorOutcome(ScopedModelMixin, TimeStampedModel):
    """The yearly outcome of a mentor pair (帮带成效)."""

    pair = models.ForeignKey(MentorPair, verbose_name=_("帮带对子"), on_delete=models.CASCADE, related_name="outcomes")
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    income_per_head = models.DecimalField(_("贫困群众人均纯收入（元/年）"), **MONEY, validators=[MinValueValidator(0)])
    out_of_poverty = models.BooleanField(_("已脱贫"), default=False)
    summary = models.TextField(_("帮带成效"))

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("帮带年度成效")
        verbose_name_plural = _("帮带年度成效")
        ordering = ["pair", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["pair", "year"],
                name="mentor_outcome_one_per_year",
                violation_error_message=_("这对帮带这一年度已有成效记录，请修改原记录。"),
            )
        ]

    def __str__(self):
        return f"{self.pair} {self.year}"

    def get_absolute_url(self):
        return self.pair.get_absolute_url()

    @classmethod
    def scope_q(cls, user):
        return member_scope_q(user, prefix="pair__mentor__member__")
