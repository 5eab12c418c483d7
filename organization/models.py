from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import CHILD_LEVEL, PartyOrganizationKind, RegionLevel, Role
from .scoping import ScopedModelMixin, ScopedQuerySet

PATH_SEPARATOR = "/"


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class Region(ScopedModelMixin, TimeStampedModel):
    """A node of the region tree: 市 → 县区 → 乡镇/街道 → 村/社区.

    ``path`` holds the codes from the city down (``/4199.../4199.../``) so that a
    whole subtree is one indexed ``startswith`` lookup; ``full_name`` holds the names.
    Both are set by ``organization.services.region_create``.
    """

    code = models.CharField(
        _("行政区划代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("行政区划代码应为12位数字。"))],
    )
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_urban = models.BooleanField(_("城市社区"), default=False, help_text=_("村/社区层级：社区为城市，村为农村。"))
    path = models.CharField(_("代码路径"), max_length=64, db_index=True, editable=False)
    full_name = models.CharField(_("全称"), max_length=255, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    scope_region_field = ""

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.CITY, parent__isnull=True)
                | (~Q(level=RegionLevel.CITY) & Q(parent__isnull=False)),
                name="region_parent_matches_level",
                violation_error_message=_("只有市级区划没有上级，其他区划必须有上级。"),
            ),
            models.CheckConstraint(
                condition=Q(is_urban=False) | Q(level=RegionLevel.VILLAGE),
                name="region_urban_only_village",
                violation_error_message=_("只有村/社区层级可以标记为城市社区。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:region_detail", kwargs={"code": self.code})

    def clean(self):
        if self.parent_id is None:
            return
        expected = CHILD_LEVEL.get(self.parent.level)
        if expected is None:
            raise ValidationError({"parent": _("村/社区下面不能再设下级区划。")})
        if expected != self.level:
            message = _("%(parent)s 的下级应为“%(level)s”。") % {
                "parent": self.parent.name,
                "level": RegionLevel(expected).label,
            }
            raise ValidationError({"level": message})

    @property
    def kind_label(self) -> str:
        """社区 or 村 for villages, the level's label otherwise."""
        if self.level == RegionLevel.VILLAGE:
            return str(_("社区")) if self.is_urban else str(_("村"))
        return self.get_level_display()

    def is_within(self, other: "Region") -> bool:
        return self.path.startswith(other.path)


class PartyOrganization(ScopedModelMixin, TimeStampedModel):
    """A party organization (党组织) of a region, with its main leader (第一责任人)."""

    name = models.CharField(_("党组织名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=32, choices=PartyOrganizationKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="party_organizations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级党组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    leader_name = models.CharField(_("第一责任人"), max_length=32, help_text=_("党组织主要负责同志"))
    leader_post = models.CharField(_("第一责任人职务"), max_length=64, blank=True)
    leader_phone = models.CharField(
        _("联系电话"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9\-+ ]{7,20}$", _("请输入有效的电话号码。"))],
    )

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="party_organization_unique_name_in_region",
                violation_error_message=_("该区划已有同名党组织。"),
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organization:party_organization_detail", kwargs={"pk": self.pk})


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):
    pass


class User(ScopedModelMixin, AbstractUser):
    """A staff account: a role and a jurisdiction (a region node)."""

    display_name = models.CharField(_("姓名"), max_length=32)
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("管辖范围"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
        help_text=_("账号能看到和处理的区划；下级区划一并包括。"),
    )
    unit = models.CharField(_("工作单位"), max_length=128, blank=True)
    phone = models.CharField(
        _("手机号码"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[0-9\-+ ]{7,20}$", _("请输入有效的电话号码。"))],
    )

    objects = ScopedUserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.username

    def save(self, *args, **kwargs):
        # A login only stamps last_login; that is not a change worth a history row.
        if kwargs.get("update_fields") and set(kwargs["update_fields"]) <= {"last_login"}:
            self.skip_history_when_saving = True
            try:
                return super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
        return super().save(*args, **kwargs)
