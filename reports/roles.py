"""What each role may do with the reports models (merged by organization.roles).

City staff configure the programme; counties and townships set their own plans; staff
produce bulletins and keep admonitions and commendations; leaders read everything in
their jurisdiction. ``view_dashboard`` is the dashboards' own permission.
"""

from organization.choices import Role
from organization.roles import ALL, EDIT, VIEW

DASHBOARD = frozenset({"view", "view_dashboard"})

STAFF = {
    "reports.programme": DASHBOARD,
    "reports.jurisdictionplan": EDIT,
    "reports.bulletinjob": EDIT,
    "reports.admonition": EDIT,
    "reports.rectificationplan": EDIT,
    "reports.commendation": EDIT,
    "reports.commendationobjection": EDIT,
    "reports.evaluation": EDIT,
}
READ = {
    "reports.programme": DASHBOARD,
    "reports.jurisdictionplan": VIEW,
    "reports.bulletinjob": VIEW,
    "reports.admonition": VIEW,
    "reports.rectificationplan": VIEW,
    "reports.commendation": VIEW,
    "reports.commendationobjection": VIEW,
    "reports.evaluation": VIEW,
}

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: {**STAFF, "reports.programme": DASHBOARD | EDIT},
    Role.COUNTY_STAFF: STAFF,
    Role.TOWNSHIP_STAFF: {**READ, "reports.jurisdictionplan": EDIT},
    Role.LEADER: READ,
    Role.WORK_TEAM: {"reports.programme": VIEW},
    Role.CADRE: {"reports.programme": VIEW},
    Role.ADMIN: {**dict.fromkeys(STAFF, ALL), "reports.programme": DASHBOARD | ALL},
}
