from django.apps import apps
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Each app's AppConfig may declare ``navigation``: (label, url name, permission needed),
# so that an area appears in the menu when its app is installed. The menu shows one
# entry per area: a link when the user may open one page of it, else a drop-down.
HOME = (_("首页"), "home", None)


def _groups():
    groups = [(None, [HOME])]
    for config in apps.get_app_configs():
        entries = getattr(config, "navigation", ())
        if entries:
            groups.append((config.verbose_name, list(entries)))
    return groups


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = []
    for label, entries in _groups():
        items = [
            {"label": item_label, "url": reverse(name), "active": False}
            for item_label, name, perm in entries
            if perm is None or user.has_perm(perm)
        ]
        if items:
            groups.append({"label": label or items[0]["label"], "items": items, "active": False})
    items = [item for group in groups for item in group["items"]]
    # The page whose address is the longest prefix of this page is the current one.
    matches = [
        item
        for item in items
        if request.path == item["url"] or (item["url"] != "/" and request.path.startswith(item["url"]))
    ]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    for group in groups:
        group["active"] = any(item["active"] for item in group["items"])
    return {"nav_items": items, "nav_groups": groups}
