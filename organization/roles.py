"""What each role may do, model by model.

The one place that says which role holds which Django permission. Scoping by region
is applied on top of this by ``ScopedQuerySet.visible_to``: a permission here lets a
role act on a kind of record, the jurisdiction says which records.
Later apps keep their own table in ``<app>/roles.py`` and name it on their AppConfig
(``role_permissions``, see organization.hooks); ``role_permissions()`` merges them.
"""

from functools import cache

from .choices import RegionLevel, Role

VIEW = frozenset({"view"})
EDIT = frozenset({"view", "add", "change"})
ALL = frozenset({"view", "add", "change", "delete"})

# Everything about a member's file that registration staff keep.
REGISTER_EDIT = {
    "members.member": EDIT | {"reveal_id_number"},
    "members.householdmember": ALL,
    "members.povertyexitplan": EDIT,
    "members.incomecheck": EDIT,
    "members.statuschange": EDIT,
    "members.objection": EDIT,
    "members.trackdecision": EDIT,
    "members.incomethreshold": VIEW,
    "members.importbatch": EDIT,
    "members.registerexport": VIEW,
}
REGISTER_VIEW = {
    "members.member": VIEW,
    "members.householdmember": VIEW,
    "members.povertyexitplan": VIEW,
    "members.incomecheck": VIEW,
    "members.statuschange": VIEW,
    "members.objection": VIEW,
    "members.trackdecision": VIEW,
    "members.incomethreshold": VIEW,
    "members.registerexport": VIEW,
}

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
        "organization.user": VIEW,
        **REGISTER_EDIT,
        "members.incomethreshold": EDIT,
        "members.idnumberreveal": VIEW,
        "assistance.poorresidentidreveal": VIEW,
    },
    Role.COUNTY_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
        "organization.user": VIEW,
        **REGISTER_EDIT,
        "members.idnumberreveal": VIEW,
        "assistance.poorresidentidreveal": VIEW,
    },
    Role.TOWNSHIP_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
        **REGISTER_EDIT,
    },
    # Work teams keep plans and household details with the member, and collect objections.
    Role.WORK_TEAM: {
        "organization.region": VIEW,
        "organization.partyorganization": VIEW,
        **REGISTER_VIEW,
        "members.householdmember": EDIT,
        "members.povertyexitplan": EDIT,
        "members.objection": EDIT,
    },
    Role.CADRE: {"organization.region": VIEW, "organization.partyorganization": VIEW, **REGISTER_VIEW},
    Role.EXPERT: {"organization.region": VIEW},
    Role.ENTERPRISE: {"organization.region": VIEW},
    Role.URBAN_CENTRE: {"organization.region": VIEW, "organization.partyorganization": VIEW},
    Role.LEADER: {
        "organization.region": VIEW,
        "organization.partyorganization": VIEW,
        "organization.user": VIEW,
        **REGISTER_VIEW,
    },
    Role.ADMIN: {
        "organization.region": ALL,
        "organization.partyorganization": ALL,
        "organization.user": EDIT,
        **REGISTER_EDIT,
        "members.incomethreshold": EDIT,
        "members.idnumberreveal": VIEW,
        "assistance.poorresidentidreveal": VIEW,
    },
}

# The region levels a role's jurisdiction may sit at.
ROLE_REGION_LEVELS: dict[str, frozenset[str]] = {
    Role.CITY_STAFF: frozenset({RegionLevel.CITY}),
    Role.COUNTY_STAFF: frozenset({RegionLevel.COUNTY}),
    Role.TOWNSHIP_STAFF: frozenset({RegionLevel.TOWNSHIP}),
    Role.WORK_TEAM: frozenset({RegionLevel.TOWNSHIP, RegionLevel.VILLAGE}),
    Role.CADRE: frozenset({RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP}),
    Role.EXPERT: frozenset({RegionLevel.CITY, RegionLevel.COUNTY}),
    Role.ENTERPRISE: frozenset({RegionLevel.CITY, RegionLevel.COUNTY}),
    Role.URBAN_CENTRE: frozenset({RegionLevel.CITY, RegionLevel.COUNTY}),
    Role.LEADER: frozenset({RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWNSHIP}),
    Role.ADMIN: frozenset({RegionLevel.CITY}),
}


# Django's model actions; any other action is a permission of its own ("app.codename"),
# such as "members.reveal_id_number".
MODEL_ACTIONS = frozenset({"view", "add", "change", "delete"})


@cache
def role_permissions() -> dict[str, dict[str, frozenset[str]]]:
    """This table merged with every other app's (``role_permissions`` hook)."""
    from .hooks import hooks

    merged = {role: dict(table) for role, table in ROLE_PERMISSIONS.items()}
    for table in hooks("role_permissions"):
        for role, entries in table.items():
            merged.setdefault(role, {}).update(entries)
    return merged


def permissions_for_role(role: str) -> set[str]:
    """Django permission names (``app_label.action_model``) a role holds (a new set each
    call: ModelBackend adds the account's own permissions to it)."""
    return set(_role_permission_names(role))


@cache
def _role_permission_names(role: str) -> frozenset[str]:
    # roles are code, so a role's names are worked out once per process, not per request
    perms = set()
    for label, actions in role_permissions().get(role, {}).items():
        app_label, model_name = label.split(".")
        for action in actions:
            perms.add(f"{app_label}.{action}_{model_name}" if action in MODEL_ACTIONS else f"{app_label}.{action}")
    return frozenset(perms)
