from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import FollowUp, Fund, FundApplication, FundEntry, FundInspection, FundPolicy, Guarantee, GuaranteeCall


@admin.register(FundEntry)
class FundEntryAdmin(admin.ModelAdmin):
    """Read only, for everyone including superusers: the ledger is corrected by reversing
    entries in the fund's own pages, never edited or deleted."""

    list_display = ("date", "fund", "kind", "source", "account", "amount", "reference", "created_by")
    list_filter = ("kind", "source", "account", "fund")
    search_fields = ("reference", "donor_name", "budget_document")
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RepairAdmin(SimpleHistoryAdmin):
    """For data repair by superusers; money moves only through the fund's services."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Fund)
class FundAdmin(RepairAdmin):
    list_display = ("name", "region")


@admin.register(FundPolicy)
class FundPolicyAdmin(RepairAdmin):
    list_display = ("leverage", "set_by", "updated_at")


@admin.register(FundApplication)
class FundApplicationAdmin(RepairAdmin):
    list_display = ("id", "member", "kind", "status", "fund", "created_at")
    list_filter = ("status", "kind")
    raw_id_fields = ("member", "project", "prepared_by")


@admin.register(Guarantee)
class GuaranteeAdmin(RepairAdmin):
    list_display = ("member", "bank", "guaranteed_amount", "status", "issued_on")
    list_filter = ("status",)
    readonly_fields = ("loan_amount", "guaranteed_amount", "reserved_amount", "source", "fund", "application", "member")


@admin.register(GuaranteeCall)
class GuaranteeCallAdmin(RepairAdmin):
    list_display = ("guarantee", "paid_on", "paid_amount", "status")
    readonly_fields = ("guarantee", "member", "paid_amount")


@admin.register(FundInspection)
class FundInspectionAdmin(RepairAdmin):
    list_display = ("application", "inspected_on", "conclusion")
    raw_id_fields = ("application", "member")


@admin.register(FollowUp)
class FollowUpAdmin(RepairAdmin):
    list_display = ("inspection", "deadline", "status")
    raw_id_fields = ("inspection", "member")
