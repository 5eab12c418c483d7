from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organization.choices import Role


class AssistanceConfig(AppConfig):
    name = "assistance"
    verbose_name = _("结对帮扶")
    # (label, url name, permission needed): the menu entries of this area
    navigation = (
        (_("走访记录"), "assistance:visitnote_list", "assistance.view_visitnote"),
        (_("困难问题"), "assistance:difficulty_list", "assistance.view_difficulty"),
        (_("帮扶力量"), "assistance:helper_list", "assistance.view_helper"),
        (_("结对帮扶"), "assistance:pairing_list", "assistance.view_pairing"),
        (_("社会救济"), "assistance:welfarereferral_list", "assistance.view_welfarereferral"),
        (_("帮带致富"), "assistance:mentorpair_list", "assistance.view_mentorpair"),
        (_("贫困群众身份证号查看记录"), "assistance:poorresidentidreveal_list", "assistance.view_poorresidentidreveal"),
    )
    # extension points, see organization.hooks
    role_permissions = "assistance.roles.ROLE_PERMISSIONS"
    member_scopes = {
        Role.WORK_TEAM: "assistance.scoping.stationed_members",
        Role.CADRE: "assistance.scoping.paired_members",
        Role.ENTERPRISE: "assistance.scoping.paired_members",
        Role.URBAN_CENTRE: "assistance.scoping.paired_members",
    }
    member_file_sections = "assistance.views.member_file_section"
    home_panels = "assistance.views.home_panel"
    work_items = "assistance.selectors.work_items"
    demo_builder = "assistance.demo.build_demo_assistance"
