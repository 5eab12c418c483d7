from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("统计与考核")
    # (label, url name, permission needed): the menu entries of this area
    navigation = (
        (_("进展看板"), "reports:dashboard", "reports.view_dashboard"),
        (_("辖区规划"), "reports:plan_list", "reports.view_jurisdictionplan"),
        (_("行动周期"), "reports:programme_list", "reports.change_programme"),
        (_("年度通报"), "reports:bulletin_list", "reports.view_bulletinjob"),
        (_("年度考核"), "reports:evaluation_list", "reports.view_evaluation"),
        (_("诫勉整改"), "reports:admonition_list", "reports.view_admonition"),
        (_("表彰"), "reports:commendation_list", "reports.view_commendation"),
    )
    # extension points, see organization.hooks
    role_permissions = "reports.roles.ROLE_PERMISSIONS"
    work_items = "reports.selectors.work_items"
    home_panels = "reports.views.home_panel"
    demo_builder = "reports.demo.build_demo_reports"
