from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ENROLLING = "enrolling", _("报名中")
    RUNNING = "running", _("培训中")
    FINISHED = "finished", _("已结束")


# The order a batch moves through; it never goes back.
BATCH_NEXT_STATUS = {
    BatchStatus.PLANNED: BatchStatus.ENROLLING,
    BatchStatus.ENROLLING: BatchStatus.RUNNING,
    BatchStatus.RUNNING: BatchStatus.FINISHED,
}


class TopicDirection(models.TextChoices):
    """What a curriculum topic serves: 宜农则农、宜工则工、宜商则商, plus policy theory."""

    AGRICULTURE = "agriculture", _("农业")
    INDUSTRY = "industry", _("工业")
    COMMERCE = "commerce", _("商业")
    POLICY = "policy", _("政策理论")


class EnrolmentStatus(models.TextChoices):
    RECOMMENDED = "recommended", _("已推荐")
    ADMITTED = "admitted", _("已录取")
    COMPLETED = "completed", _("已结业")
    FAILED = "failed", _("考核未通过")
    DROPPED = "dropped", _("中途退出")
    DECLINED = "declined", _("未录取")


# Enrolments that take a place in the batch.
SEAT_STATUSES = (EnrolmentStatus.ADMITTED, EnrolmentStatus.COMPLETED, EnrolmentStatus.FAILED)
# Enrolments still open (a member may not be recommended again to the same batch).
OPEN_STATUSES = (EnrolmentStatus.RECOMMENDED, EnrolmentStatus.ADMITTED)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("出勤")
    LATE = "late", _("迟到")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺勤")


class BudgetCategory(models.TextChoices):
    BOARD = "board", _("食宿费")
    LECTURE = "lecture", _("讲课费")
    MATERIALS = "materials", _("教材资料费")
    TRANSPORT = "transport", _("交通费")
    VENUE = "venue", _("场地费")
    OTHER = "other", _("其他")


class Department(models.TextChoices):
    PARTY_SCHOOL = "party_school", _("党校")
    AGRICULTURE = "agriculture", _("农业")
    SCIENCE = "science", _("科技")
    FORESTRY = "forestry", _("林业")
    ANIMAL_HUSBANDRY = "animal_husbandry", _("畜牧")
    LABOUR = "labour", _("劳动")
    OTHER = "other", _("其他")


class ServiceKind(models.TextChoices):
    LECTURE = "lecture", _("集中授课")
    AUDIO_VISUAL = "audio_visual", _("电化教育")
    ON_SITE = "on_site", _("实地指导")
    CONSULTATION = "consultation", _("咨询")
    FOLLOW_UP = "follow_up", _("跟踪服务")


class BaseKind(models.TextChoices):
    SCIENCE_PARK = "science_park", _("农业科技示范园区")
    AGRIBUSINESS = "agribusiness", _("农业产业化龙头企业")
