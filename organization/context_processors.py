from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Each app's AppConfig may declare ``navigation``: (label, url name, permission needed),
# so that an area appears in the menu when its app is installed.
HOME = [(_("首页"), "home", None)]


def _entries():
    entries = list(HOME)
    for config in apps.get_app_configs():
        entries.extend(getattr(config, "navigation", ()))
    return entries


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for label, name, perm in _entries():
        if perm is None or user.has_perm(perm):
            url = reverse(name)
            active = request.path == url if name == "home" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
