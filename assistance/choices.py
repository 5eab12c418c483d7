from django.db import models
from django.utils.translation import gettext_lazy as _


class HelperKind(models.TextChoices):
    WORK_TEAM = "work_team", _("驻村工作队")
    CADRE = "cadre", _("党员领导干部")
    ENTERPRISE = "enterprise", _("帮扶企业")
    URBAN_CENTRE = "urban_centre", _("创业服务中心")


class CadreLevel(models.TextChoices):
    CITY = "city", _("市级")
    COUNTY = "county", _("县区级")
    TOWNSHIP = "township", _("乡镇级")


class EnterpriseKind(models.TextChoices):
    LEADING_AGRIBUSINESS = "leading_agribusiness", _("农业产业化龙头企业")
    ADVANTAGED = "advantaged", _("优势企业")
    OTHER = "other", _("其他企业")


class DifficultyKind(models.TextChoices):
    PRODUCTION = "production", _("生产经营")
    FUNDS = "funds", _("资金")
    TECHNOLOGY = "technology", _("技术")
    MARKET = "market", _("销路")
    HEALTH = "health", _("医疗")
    HOUSING = "housing", _("住房")
    SCHOOLING = "schooling", _("子女上学")
    EMPLOYMENT = "employment", _("就业")
    OTHER = "other", _("其他")


class DifficultyStatus(models.TextChoices):
    OPEN = "open", _("待协调")
    COORDINATING = "coordinating", _("协调中")
    RESOLVED = "resolved", _("已解决")


OPEN_DIFFICULTY = (DifficultyStatus.OPEN, DifficultyStatus.COORDINATING)


class SupportKind(models.TextChoices):
    EQUIPMENT = "equipment", _("设备")
    TECHNOLOGY = "technology", _("技术")
    MONEY = "money", _("资金")


class CentreServiceKind(models.TextChoices):
    SKILLS_TRAINING = "skills_training", _("技能培训")
    JOB_REFERRAL = "job_referral", _("推荐就业")
    STARTUP = "startup", _("创业扶持")


class ServiceOutcome(models.TextChoices):
    PENDING = "pending", _("进行中")
    SUCCEEDED = "succeeded", _("已成功（已就业/已结业/已创业）")
    FAILED = "failed", _("未成功")


class ReliefScheme(models.TextChoices):
    WUBAO = "wubao", _("五保供养")
    DIBAO = "dibao", _("最低生活保障")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认（系统提出）")
    REFERRED = "referred", _("已转介，待审批")
    ENROLLED = "enrolled", _("已纳入救助")
    REFUSED = "refused", _("未纳入救助")
    DISMISSED = "dismissed", _("不予转介")


OPEN_REFERRAL = (ReferralStatus.PROPOSED, ReferralStatus.REFERRED)
