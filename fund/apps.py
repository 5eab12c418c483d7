from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("脱困基金")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ()
    # extension points, see organization.hooks
    role_permissions = "fund.roles.ROLE_PERMISSIONS"
