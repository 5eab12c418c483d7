"""What each role may do with the training models (merged by organization.roles).

Scoping (training.scoping) says which records: staff change batches, experts and bases
of their own region and below; admission and assessment need change on the batch too.
"""

from organization.choices import Role
from organization.roles import ALL, EDIT, VIEW

# Staff who run training in their jurisdiction.
STAFF = {
    "training.trainingbatch": EDIT,
    "training.curriculumtopic": ALL,
    "training.trainingsession": ALL,
    "training.attendance": EDIT,
    "training.enrolment": EDIT,
    "training.batchbudgetitem": EDIT,
    "training.expert": EDIT,
    "training.expertservice": EDIT,
    "training.practicebase": EDIT,
    "training.basevisit": EDIT,
}
READ = dict.fromkeys(STAFF, VIEW)

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: STAFF,
    Role.COUNTY_STAFF: STAFF,
    Role.TOWNSHIP_STAFF: STAFF,
    # Work teams recommend the members of their villages and follow their training.
    Role.WORK_TEAM: {**READ, "training.enrolment": frozenset({"view", "add"}), "training.batchbudgetitem": frozenset()},
    Role.CADRE: {**READ, "training.batchbudgetitem": frozenset()},
    # Experts record their own services (ExpertServiceQuerySet keeps changes to their own).
    # Their member jurisdiction is training.scoping.expert_member_q (the ``member_scopes`` hook);
    # they read those files to choose whom a service served.
    Role.EXPERT: {
        **READ,
        "training.expertservice": EDIT,
        "training.batchbudgetitem": frozenset(),
        "members.member": VIEW,
    },
    Role.ENTERPRISE: {"training.trainingbatch": VIEW, "training.practicebase": VIEW},
    Role.URBAN_CENTRE: {"training.trainingbatch": VIEW, "training.practicebase": VIEW, "training.expert": VIEW},
    Role.LEADER: READ,
    Role.ADMIN: dict.fromkeys(STAFF, ALL),
}
