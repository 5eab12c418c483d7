from django.db import models
from django.utils.translation import gettext_lazy as _


class BulletinState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class AdmonitionState(models.TextChoices):
    PROPOSED = "proposed", _("通报建议，待确认")
    CONFIRMED = "confirmed", _("已确认，待谈话")
    TALKED = "talked", _("已谈话")
    DISMISSED = "dismissed", _("不予谈话")


class RectificationState(models.TextChoices):
    OPEN = "open", _("整改中")
    CLOSED = "closed", _("已销号")


class CommendationKind(models.TextChoices):
    ORGANIZATION = "organization", _("先进党组织")
    PERSON = "person", _("先进个人")


class CommendationState(models.TextChoices):
    PROPOSED = "proposed", _("拟表彰")
    NOTICING = "noticing", _("公示中")
    CONFIRMED = "confirmed", _("已确认表彰")
    WITHDRAWN = "withdrawn", _("已撤销")


class EvaluationSubject(models.TextChoices):
    PARTY_ORGANIZATION = "party_organization", _("党组织")
    WORK_TEAM = "work_team", _("驻村工作队")
    CADRE = "cadre", _("党员领导干部")


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")
