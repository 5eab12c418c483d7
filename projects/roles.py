"""What each role may do with the projects models (merged by organization.roles).

Beyond view/add/change: ``review_incomeproject`` records a feasibility review (论证),
``approve_incomeproject`` approves or refuses a project. The services check them
together with the jurisdiction (``visible_to``)."""

from organization.choices import Role
from organization.roles import ALL, EDIT, VIEW

REVIEW = "review_incomeproject"
APPROVE = "approve_incomeproject"

# Staff run every step within their jurisdiction.
STAFF = {
    "projects.incomeproject": EDIT | {REVIEW, APPROVE},
    "projects.projectreview": EDIT,
    "projects.reviewparticipant": VIEW,
    "projects.projectsupport": EDIT,
    "projects.progressreport": EDIT,
}
READ_ONLY = {
    "projects.incomeproject": VIEW,
    "projects.projectreview": VIEW,
    "projects.reviewparticipant": VIEW,
    "projects.projectsupport": VIEW,
    "projects.progressreport": VIEW,
}

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: STAFF,
    Role.COUNTY_STAFF: STAFF,
    Role.TOWNSHIP_STAFF: STAFF,
    # Work teams propose with the member, take part in reviews and follow running projects.
    Role.WORK_TEAM: {
        **READ_ONLY,
        "projects.incomeproject": frozenset({"view", "add", REVIEW}),
        "projects.projectreview": EDIT,
        "projects.progressreport": EDIT,
    },
    Role.CADRE: READ_ONLY,
    Role.LEADER: READ_ONLY,
    # Experts take part in reviews; they read the projects to do so.
    Role.EXPERT: {"projects.incomeproject": VIEW, "projects.projectreview": VIEW, "projects.reviewparticipant": VIEW},
    Role.ADMIN: {
        "projects.incomeproject": ALL | {REVIEW, APPROVE},
        "projects.projectreview": ALL,
        "projects.reviewparticipant": ALL,
        "projects.projectsupport": ALL,
        "projects.progressreport": ALL,
    },
}
