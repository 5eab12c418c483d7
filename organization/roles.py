"""What each role may do, model by model.

The one place that says which role holds which Django permission. Scoping by region
is applied on top of this by ``ScopedQuerySet.visible_to``: a permission here lets a
role act on a kind of record, the jurisdiction says which records.
Later apps add their models to ``ROLE_PERMISSIONS``.
"""

from .choices import RegionLevel, Role

VIEW = frozenset({"view"})
EDIT = frozenset({"view", "add", "change"})
ALL = frozenset({"view", "add", "change", "delete"})

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
        "organization.user": VIEW,
    },
    Role.COUNTY_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
        "organization.user": VIEW,
    },
    Role.TOWNSHIP_STAFF: {
        "organization.region": VIEW,
        "organization.partyorganization": EDIT,
    },
    Role.WORK_TEAM: {"organization.region": VIEW, "organization.partyorganization": VIEW},
    Role.CADRE: {"organization.region": VIEW, "organization.partyorganization": VIEW},
    Role.EXPERT: {"organization.region": VIEW},
    Role.ENTERPRISE: {"organization.region": VIEW},
    Role.URBAN_CENTRE: {"organization.region": VIEW, "organization.partyorganization": VIEW},
    Role.LEADER: {
        "organization.region": VIEW,
        "organization.partyorganization": VIEW,
        "organization.user": VIEW,
    },
    Role.ADMIN: {
        "organization.region": ALL,
        "organization.partyorganization": ALL,
        "organization.user": EDIT,
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


def permissions_for_role(role: str) -> set[str]:
    """Django permission names (``app_label.action_model``) a role holds."""
    perms = set()
    for label, actions in ROLE_PERMISSIONS.get(role, {}).items():
        app_label, model_name = label.split(".")
        perms.update(f"{app_label}.{action}_{model_name}" for action in actions)
    return perms
