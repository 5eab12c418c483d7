from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("致富项目")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ((_("致富项目"), "projects:project_list", "projects.view_incomeproject"),)
    # extension points, see organization.hooks
    role_permissions = "projects.roles.ROLE_PERMISSIONS"
    member_file_sections = "projects.views.member_file_section"
    home_panels = "projects.views.home_panel"
    work_items = "projects.selectors.work_items"
    demo_builder = "projects.demo.build_demo_projects"
