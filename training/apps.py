from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organization.choices import Role


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("培训")
    # (label, url name, permission needed): the menu entries of this area
    # One entry: the area's own tabs (training/_nav.html) lead to the rest.
    navigation = ((_("培训"), "training:batch_list", "training.view_trainingbatch"),)
    # extension points, see organization.hooks
    role_permissions = "training.roles.ROLE_PERMISSIONS"
    member_scopes = {Role.EXPERT: "training.scoping.expert_member_q"}
    member_file_sections = "training.views.member_file_section"
    home_panels = "training.views.home_panel"
    work_items = "training.selectors.work_items"
    demo_builder = "training.demo.build_demo_training"
