from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    HouseholdMember,
    IdNumberReveal,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
    TrackDecision,
)


class HouseholdInline(admin.TabularInline):
    model = HouseholdMember
    extra = 0


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    """For data repair by superusers; staff work in the register's own pages."""

    list_display = ("file_number", "name", "county", "township", "village", "track", "status", "is_relapsed")
    list_filter = ("status", "track", "is_urban", "is_relapsed", "county")
    search_fields = ("file_number", "name", "id_number")
    raw_id_fields = ("village", "party_organization")
    readonly_fields = ("file_number", "gender", "birth_date", "township", "county", "is_urban", "computed_track")
    inlines = [HouseholdInline]


@admin.register(PovertyExitPlan)
class PovertyExitPlanAdmin(SimpleHistoryAdmin):
    list_display = ("member", "direction", "project", "target_year", "is_current")
    raw_id_fields = ("member",)


@admin.register(IncomeThreshold)
class IncomeThresholdAdmin(SimpleHistoryAdmin):
    list_display = ("year", "out_of_poverty", "well_off", "notice_days")


@admin.register(IncomeCheck)
class IncomeCheckAdmin(SimpleHistoryAdmin):
    list_display = ("member", "year", "income_per_head", "checked_on")
    raw_id_fields = ("member",)


@admin.register(StatusChange)
class StatusChangeAdmin(SimpleHistoryAdmin):
    list_display = ("member", "from_status", "to_status", "state", "notice_ends", "is_relapse")
    list_filter = ("state", "is_relapse")
    raw_id_fields = ("member", "income_check")


admin.site.register(Objection, SimpleHistoryAdmin)
admin.site.register(TrackDecision)


@admin.register(IdNumberReveal)
class IdNumberRevealAdmin(admin.ModelAdmin):
    list_display = ("revealed_at", "user", "member", "purpose")
    raw_id_fields = ("member", "user")

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is not edited
