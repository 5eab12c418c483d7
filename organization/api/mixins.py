from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

from organization.scoping import permission_name

from . import caching

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class ScopedViewSetMixin:
    """Applies the role's permission and ``visible_to`` before any handler runs
    (NetBox's BaseViewSet.initial): no permission is a 403, out of scope a 404."""

    @property
    def scope_action(self) -> str:
        return METHOD_ACTIONS.get(self.request.method, "view")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not hasattr(self, request.method.lower()):
            return  # DRF answers 405 for a method the endpoint does not have
        model = self.queryset.model
        if not request.user.has_perm(permission_name(model, self.scope_action)):
            raise PermissionDenied(_("您的角色没有这项权限。"))
        if getattr(self, "action", None) == "list":
            answer = caching.lookup(request)
            if answer is not None:
                raise caching.CachedAnswer(answer)

    def handle_exception(self, exc):
        if isinstance(exc, caching.CachedAnswer):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "action", None) == "list" and response.get("X-List-Cache") != "hit":
            caching.keep(request, response)
        return response

    def get_queryset(self):
        return self.queryset.visible_to(self.request.user, self.scope_action)
