from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from organization.choices import Role


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("培训")
    # (label, url name, permission needed): the menu entries of this area
    navigation = ()
    # extension points, see organization.hooks
    role_permissions = "training.roles.ROLE_PERMISSIONS"
    member_scopes = {Role.EXPERT: "training.scoping.expert_member_q"}
    work_items = "training.selectors.work_items"
