from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("提出")
    REVIEWING = "reviewing", _("论证中")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未通过")
    RUNNING = "running", _("实施中")
    CLOSED = "closed", _("已结项")
    FAILED = "failed", _("失败")


# States in which a project counts as approved for the fund (有项目).
APPROVED_STATES = frozenset({ProjectStatus.APPROVED, ProjectStatus.RUNNING})
# States in which nothing more happens to a project.
FINAL_STATES = frozenset({ProjectStatus.REFUSED, ProjectStatus.CLOSED, ProjectStatus.FAILED})


class ReviewConclusion(models.TextChoices):
    FEASIBLE = "feasible", _("可行")
    FEASIBLE_WITH_CHANGES = "with_changes", _("修改后可行")
    NOT_FEASIBLE = "not_feasible", _("不可行")


FEASIBLE_CONCLUSIONS = frozenset({ReviewConclusion.FEASIBLE, ReviewConclusion.FEASIBLE_WITH_CHANGES})


class ParticipantRole(models.TextChoices):
    WORK_TEAM = "work_team", _("驻村工作队")
    EXPERT = "expert", _("专家")
    STAFF = "staff", _("组织部门")
    VILLAGE = "village", _("村党组织")
    OTHER = "other", _("其他")


class SupportKind(models.TextChoices):
    TECHNOLOGY = "technology", _("技术")
    EQUIPMENT = "equipment", _("设备")
    MONEY = "money", _("资金")


class GiverKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    EXPERT = "expert", _("专家")
    WORK_TEAM = "work_team", _("驻村工作队")
    FUND = "fund", _("脱困基金")
    OTHER = "other", _("其他")


# The outcomes a project is closed with.
CLOSE_CHOICES = [(ProjectStatus.CLOSED, _("完成结项")), (ProjectStatus.FAILED, _("项目失败"))]
