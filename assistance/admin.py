"""The Django admin for assistance: superusers and data repair only (staff use the app's pages)."""

from django.contrib import admin

from .models import PoorResidentIdReveal


@admin.register(PoorResidentIdReveal)
class PoorResidentIdRevealAdmin(admin.ModelAdmin):
    list_display = ("revealed_at", "user", "resident", "purpose")
    raw_id_fields = ("resident", "user")

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is not edited
