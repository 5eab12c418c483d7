from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organization.choices import Role


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("培训")
    # (label, url name, permission needed): the menu entries of this area
    # The menu groups these under the area's name (a drop-down when more than one is open).
    navigation = (
        (_("培训班"), "training:batch_list", "training.view_trainingbatch"),
        (_("推荐学员"), "training:recommend_start", "training.add_enrolment"),
        (_("培训学员"), "training:enrolment_list", "training.view_enrolment"),
        (_("培训经费"), "training:budget_years", "training.view_batchbudgetitem"),
        (_("专家服务团"), "training:expert_list", "training.view_expert"),
        (_("专家服务"), "training:service_list", "training.view_expertservice"),
        (_("实践基地"), "training:base_list", "training.view_practicebase"),
        (_("观摩学习"), "training:visit_list", "training.view_basevisit"),
    )
    # extension points, see organization.hooks
    role_permissions = "training.roles.ROLE_PERMISSIONS"
    member_scopes = {Role.EXPERT: "training.scoping.expert_member_q"}
    member_file_sections = "training.views.member_file_section"
    home_panels = "training.views.home_panel"
    work_items = "training.selectors.work_items"
    demo_builder = "training.demo.build_demo_training"
