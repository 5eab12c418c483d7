from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "organization"
    verbose_name = _("组织与账号")
    navigation = (
        (_("行政区划"), "organization:region_list", "organization.view_region"),
        (_("党组织"), "organization:party_organization_list", "organization.view_partyorganization"),
        (_("账号"), "organization:user_list", "organization.view_user"),
    )

    def ready(self):
        from . import signals  # noqa: F401 - connects the receivers
