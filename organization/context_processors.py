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
    items = [
        {"label": label, "url": reverse(name), "active": False}
        for label, name, perm in _entries()
        if perm is None or user.has_perm(perm)
    ]
    # The area whose address is the longest prefix of this page is the current one.
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    return {"nav_items": items}
