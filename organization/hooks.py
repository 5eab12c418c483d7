"""Extension points that let a higher app plug into a lower one without an import.

Dependencies point one way (organization ← members ← training, projects, assistance ←
fund ← reports). Where a lower app shows or needs something a higher app owns, the
higher app names it on its AppConfig, as a dotted path, and the lower app asks here.
Hooks come back in INSTALLED_APPS order.

The hooks in use:

``role_permissions``
    dotted path to a dict ``{role: {"app.model": actions}}`` merged into
    ``organization.roles`` (each app says what each role may do with its models).
``member_scopes``
    ``{role: dotted path}`` to ``f(user, prefix) -> Q`` over members, for roles whose
    jurisdiction is a set of assigned members rather than a region.
``member_file_sections``
    dotted path to ``f(request, member) -> dict | None``: ``{"template": ...}`` plus the
    context that template needs; shown on the member's file in app order.
``home_panels``
    dotted path to ``f(request) -> dict | None``, same shape, shown on the home page.
``work_items``
    dotted path to ``f(user) -> list[dict]`` of what is due for ``user``
    (keys ``title``, ``url``, ``due``, ``kind``); the reports app gathers them.
``demo_builder``
    dotted path to ``f(stdout=None)`` that adds the app's records to the demo city;
    ``load_demo`` calls them after the region tree and the members.
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


def hook_paths(name: str) -> list[str]:
    """The dotted paths every installed app gives for ``name``."""
    return [path for config in apps.get_app_configs() if (path := getattr(config, name, None))]


@cache
def hooks_by_app(name: str) -> tuple:
    """``(app config, imported object)`` for every installed app that gives ``name``."""
    return tuple(
        (config, import_string(path)) for config in apps.get_app_configs() if (path := getattr(config, name, None))
    )


def hooks(name: str) -> tuple:
    """The imported objects every installed app gives for ``name``."""
    return tuple(hook for _config, hook in hooks_by_app(name))


@cache
def role_hooks(name: str) -> dict:
    """For hooks that map a role to a dotted path: the merged, imported mapping."""
    merged = {}
    for config in apps.get_app_configs():
        for role, path in getattr(config, name, {}).items():
            merged[role] = import_string(path)
    return merged


def sections(name: str, *args) -> list[dict]:
    """Call every ``name`` hook with ``args`` and keep the ones that have something to show."""
    return [section for hook in hooks(name) if (section := hook(*args))]
