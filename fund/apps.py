from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundConfig(AppConfig):
    name = "fund"
    verbose_name = _("脱困基金")
    # (label, url name, permission needed): the menu entries of this area
    navigation = (
        (_("脱困基金"), "fund:dashboard", "fund.view_fund"),
        (_("基金申请"), "fund:application_list", "fund.view_fundapplication"),
    )
    # extension points, see organization.hooks
    role_permissions = "fund.roles.ROLE_PERMISSIONS"
    member_file_sections = "fund.views.member_file_section"
    home_panels = "fund.views.home_panel"
    work_items = "fund.selectors.work_items"
    demo_builder = "fund.demo.build_demo_fund"
