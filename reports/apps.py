from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计与考核")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ()
    # extension points, see organization.hooks
    role_permissions = "reports.roles.ROLE_PERMISSIONS"
