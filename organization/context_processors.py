from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (label, url name, permission needed). Areas appear here as they are built.
NAVIGATION = [
    (_("首页"), "home", None),
    (_("行政区划"), "organization:region_list", "organization.view_region"),
    (_("党组织"), "organization:party_organization_list", "organization.view_partyorganization"),
    (_("账号"), "organization:user_list", "organization.view_user"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, perm in NAVIGATION
        if perm is None or user.has_perm(perm)
    ]
    return {"nav_items": items}
