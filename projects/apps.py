from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("致富项目")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ()
    # extension points, see organization.hooks
    role_permissions = "projects.roles.ROLE_PERMISSIONS"
