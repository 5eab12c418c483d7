from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Education(models.TextChoices):
    ILLITERATE = "illiterate", _("文盲或半文盲")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中")
    VOCATIONAL = "vocational", _("中专/中技")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科及以上")


class Health(models.TextChoices):
    """The national 建档立卡 form's health categories."""

    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("长期慢性病")
    SERIOUS = "serious", _("患有大病")
    DISABLED = "disabled", _("残疾")


class LabourCapacity(models.TextChoices):
    """The national 建档立卡 form's labour-capacity categories."""

    ORDINARY = "ordinary", _("普通劳动力")
    SKILLED = "skilled", _("技能劳动力")
    WEAK = "weak", _("弱劳动力或半劳动力")
    LOST = "lost", _("丧失劳动力")
    NONE = "none", _("无劳动力")


# Those who count as "有劳动能力" for routing. Weak or half labour is left to a person.
ABLE_TO_WORK = frozenset({LabourCapacity.ORDINARY, LabourCapacity.SKILLED})


class PovertyCause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    SCHOOLING = "schooling", _("因学")
    DISASTER = "disaster", _("因灾")
    LAND = "land", _("缺土地")
    WATER = "water", _("缺水")
    SKILLS = "skills", _("缺技术")
    LABOUR = "labour", _("缺劳力")
    FUNDS = "funds", _("缺资金")
    PROJECT = "project", _("缺项目")
    TRANSPORT = "transport", _("交通条件落后")
    MOTIVATION = "motivation", _("自身发展动力不足")


class Track(models.TextChoices):
    DEMONSTRATION = "demonstration", _("脱困示范行动")
    RELIEF = "relief", _("社会救济")
    UNDECIDED = "undecided", _("待人工判定")


class Status(models.TextChoices):
    POOR = "poor", _("贫困")
    OUT = "out", _("脱贫")
    WELL_OFF = "well_off", _("小康")


STATUS_RANK = {Status.POOR: 0, Status.OUT: 1, Status.WELL_OFF: 2}


class Direction(models.TextChoices):
    """宜农则农、宜工则工、宜商则商."""

    AGRICULTURE = "agriculture", _("宜农（农业）")
    INDUSTRY = "industry", _("宜工（工业）")
    COMMERCE = "commerce", _("宜商（商业）")


class NoticeState(models.TextChoices):
    NOTICING = "noticing", _("公示中")
    CONFIRMED = "confirmed", _("已确认")
    WITHDRAWN = "withdrawn", _("已撤回")


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class Schooling(models.TextChoices):
    NOT_APPLICABLE = "", _("—")
    PRESCHOOL = "preschool", _("学龄前")
    IN_SCHOOL = "in_school", _("在校生")
    DROPPED_OUT = "dropped_out", _("辍学")
    GRADUATED = "graduated", _("已毕业/非在校")
