from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("结对帮扶")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ()
    # extension points, see organization.hooks
    role_permissions = "assistance.roles.ROLE_PERMISSIONS"
