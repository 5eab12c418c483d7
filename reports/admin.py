"""The Django admin for reports: data repair by superusers only; staff use the app's pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Admonition,
    BulletinJob,
    Commendation,
    CommendationObjection,
    Evaluation,
    JurisdictionPlan,
    Programme,
    RectificationPlan,
)


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "start_year", "years", "phase1_end_year", "bulletin_month", "bulletin_day", "is_active")


@admin.register(JurisdictionPlan)
class JurisdictionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("region", "year", "target_out_of_poverty", "target_trained", "target_projects")
    list_filter = ("year",)
    raw_id_fields = ("region",)


@admin.register(BulletinJob)
class BulletinJobAdmin(admin.ModelAdmin):
    """A stuck or failed job can be inspected here; producing it again is done from its page."""

    list_display = ("year", "region", "state", "progress", "attempts", "finished_at")
    list_filter = ("state", "year")
    raw_id_fields = ("region",)
    readonly_fields = ("summary", "docx", "xlsx", "started_at", "finished_at")


class RectificationInline(admin.StackedInline):
    model = RectificationPlan
    extra = 0


@admin.register(Admonition)
class AdmonitionAdmin(SimpleHistoryAdmin):
    list_display = ("year", "region", "person_name", "state", "talked_on")
    list_filter = ("state", "year")
    raw_id_fields = ("region", "bulletin")
    inlines = [RectificationInline]


class ObjectionInline(admin.TabularInline):
    model = CommendationObjection
    extra = 0


@admin.register(Commendation)
class CommendationAdmin(SimpleHistoryAdmin):
    list_display = ("year", "kind", "name", "region", "state", "notice_ends")
    list_filter = ("state", "kind", "year")
    raw_id_fields = ("region", "party_organization")
    inlines = [ObjectionInline]


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("year", "subject_kind", "subject_name", "region", "score", "grade")
    list_filter = ("subject_kind", "grade", "year")
    raw_id_fields = ("region", "party_organization", "helper")
    readonly_fields = ("subject_name", "indicators", "indicators_at")
