from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .roles import permissions_for_role


class RoleBackend(ModelBackend):
    """ModelBackend whose group permissions are the ones the user's role holds.

    Roles are code (organization.roles), not rows, so they cannot drift between
    machines; Django groups are not used. Permissions granted to one account in the
    admin still add to its role's.
    """

    def get_group_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return permissions_for_role(user_obj.role)

    def get_user(self, user_id):
        # Every page needs the jurisdiction; load it with the user in one query.
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("region").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
