"""What each role may do with the assistance models (merged by organization.roles).

Staff keep the helpers, pairings and referrals of their jurisdiction; helper accounts
record their own work (visits, difficulties, support, services) for the members they
reach (assistance.scoping). Enterprise and urban-centre accounts get to view member
files here, because their jurisdiction is their paired members.
"""

from organization.choices import Role
from organization.roles import ALL, EDIT, VIEW

HELPERS_EDIT = {
    "assistance.helper": EDIT,
    "assistance.helperaccount": ALL,
    "assistance.workteam": EDIT,
    "assistance.leadingcadre": EDIT,
    "assistance.enterprise": EDIT,
    "assistance.urbancentre": EDIT,
}
HELPERS_VIEW = {
    "assistance.helper": VIEW,
    "assistance.helperaccount": VIEW,
    "assistance.workteam": VIEW,
    "assistance.leadingcadre": VIEW,
    "assistance.enterprise": VIEW,
    "assistance.urbancentre": VIEW,
}
STAFF = {
    **HELPERS_EDIT,
    "assistance.pairing": EDIT,
    "assistance.visitpolicy": VIEW,
    "assistance.visitnote": EDIT,
    "assistance.difficulty": EDIT,
    "assistance.enterprisesupport": EDIT,
    "assistance.centreservice": EDIT,
    "assistance.welfarereferral": EDIT | {"decide_welfarereferral"},
    "assistance.mentor": EDIT,
    "assistance.poorresident": EDIT,
    "assistance.mentorpair": EDIT,
    "assistance.mentoroutcome": EDIT,
}
READ_ALL = dict.fromkeys(STAFF, VIEW)
# A helper account's own work.
HELPER_WORK = {
    **HELPERS_VIEW,
    "assistance.pairing": VIEW,
    "assistance.visitpolicy": VIEW,
    "assistance.visitnote": EDIT,
    "assistance.difficulty": EDIT,
    "assistance.enterprisesupport": VIEW,
    "assistance.centreservice": VIEW,
    "assistance.welfarereferral": VIEW,
}

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: {**STAFF, "assistance.visitpolicy": EDIT},
    Role.COUNTY_STAFF: STAFF,
    Role.TOWNSHIP_STAFF: STAFF,
    Role.WORK_TEAM: {
        **HELPER_WORK,
        "assistance.mentor": VIEW,
        "assistance.poorresident": EDIT,
        "assistance.mentorpair": EDIT,
        "assistance.mentoroutcome": EDIT,
    },
    Role.CADRE: HELPER_WORK,
    Role.ENTERPRISE: {**HELPER_WORK, "assistance.enterprisesupport": EDIT, "members.member": VIEW},
    Role.URBAN_CENTRE: {**HELPER_WORK, "assistance.centreservice": EDIT, "members.member": VIEW},
    Role.LEADER: READ_ALL,
    Role.ADMIN: {**STAFF, "assistance.visitpolicy": EDIT},
}
