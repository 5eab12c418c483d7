from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import PartyOrganization, Region, User


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "is_urban", "full_name")
    list_filter = ("level", "is_urban")
    search_fields = ("code", "name")
    readonly_fields = ("path", "full_name")
    raw_id_fields = ("parent",)


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "region", "leader_name")
    list_filter = ("kind",)
    search_fields = ("name", "leader_name")
    raw_id_fields = ("region", "parent")


@admin.register(User)
class StaffUserAdmin(UserAdmin, SimpleHistoryAdmin):
    list_display = ("username", "display_name", "role", "region", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "display_name")
    raw_id_fields = ("region",)
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("角色与管辖范围"), {"fields": ("display_name", "role", "region", "unit", "phone")}),
    )
