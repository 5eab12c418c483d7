from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IncomeProject, ProgressReport, ProjectReview, ProjectSupport, ReviewParticipant


class ParticipantInline(admin.TabularInline):
    model = ReviewParticipant
    extra = 0
    raw_id_fields = ("account",)
    readonly_fields = ("member",)


@admin.register(IncomeProject)
class IncomeProjectAdmin(SimpleHistoryAdmin):
    """For data repair by superusers; staff work in the projects' own pages (the workflow)."""

    list_display = ("title", "member", "direction", "budget", "status", "proposed_on")
    list_filter = ("status", "direction")
    search_fields = ("title", "member__name", "member__file_number")
    raw_id_fields = ("member",)


@admin.register(ProjectReview)
class ProjectReviewAdmin(SimpleHistoryAdmin):
    list_display = ("project", "reviewed_on", "conclusion")
    raw_id_fields = ("project",)
    inlines = [ParticipantInline]


@admin.register(ProjectSupport)
class ProjectSupportAdmin(SimpleHistoryAdmin):
    list_display = ("project", "kind", "giver_name", "giver_kind", "value", "given_on")
    list_filter = ("kind", "giver_kind")
    raw_id_fields = ("project",)


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("project", "reported_on", "income_to_date")
    raw_id_fields = ("project",)
