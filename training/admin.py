"""For data repair by superusers; staff work in the training pages, through the services."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attendance,
    BaseVisit,
    BatchBudgetItem,
    CurriculumTopic,
    Enrolment,
    Expert,
    ExpertService,
    PracticeBase,
    TrainingBatch,
    TrainingSession,
)


class TopicInline(admin.TabularInline):
    model = CurriculumTopic
    extra = 0
    raw_id_fields = ("expert",)


class SessionInline(admin.TabularInline):
    model = TrainingSession
    extra = 0


@admin.register(TrainingBatch)
class TrainingBatchAdmin(SimpleHistoryAdmin):
    list_display = ("title", "period_number", "region", "start_date", "end_date", "capacity", "status")
    list_filter = ("status",)
    search_fields = ("title", "place")
    raw_id_fields = ("region", "created_by")
    inlines = [TopicInline, SessionInline]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    list_display = ("member", "batch", "status", "recommended_by", "grade", "certificate_number", "key_target_since")
    list_filter = ("status", "grade")
    search_fields = ("member__name", "member__file_number", "certificate_number")
    raw_id_fields = ("member", "batch", "recommended_by", "recommending_village", "admitted_by")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("session", "enrolment", "status")
    list_filter = ("status",)
    raw_id_fields = ("session", "enrolment")


@admin.register(BatchBudgetItem)
class BatchBudgetItemAdmin(SimpleHistoryAdmin):
    list_display = ("batch", "category", "item", "amount", "spent_on", "voucher")
    list_filter = ("category",)
    raw_id_fields = ("batch", "recorded_by")


@admin.register(Expert)
class ExpertAdmin(SimpleHistoryAdmin):
    list_display = ("name", "department", "specialty", "region", "account", "is_active")
    list_filter = ("department", "is_active")
    search_fields = ("name", "specialty")
    raw_id_fields = ("region", "account")


@admin.register(ExpertService)
class ExpertServiceAdmin(SimpleHistoryAdmin):
    list_display = ("served_on", "expert", "kind", "place", "follow_up_due", "follow_up_done_on")
    list_filter = ("kind",)
    raw_id_fields = ("expert", "members", "batch", "recorded_by")


@admin.register(PracticeBase)
class PracticeBaseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "plaque_date", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "learnable")
    raw_id_fields = ("region",)


@admin.register(BaseVisit)
class BaseVisitAdmin(SimpleHistoryAdmin):
    list_display = ("visited_on", "base", "batch")
    raw_id_fields = ("base", "batch", "members", "recorded_by")
