"""What each role may do with the fund (merged by organization.roles).

Who does each step, and where (the jurisdiction narrows every permission below):

- 驻村工作队 (work team): drafts and submits applications for members of its villages
  (``submit_fundapplication``), records inspections of use; a misuse finding opens a
  follow-up, which the work team or staff close.
- 乡镇 staff: review submitted applications (``review_fundapplication``) of their
  township; close follow-ups.
- 县区 staff: review and approve or refuse (``approve_fundapplication``) applications of
  their county; keep their county's fund if it has one: record receipts, reverse
  entries, disburse and issue guarantees (``disburse_fundapplication``), release and
  call guarantees, record recoveries. A service also checks the fund is theirs, so a
  county clerk never pays out of the city's fund.
- 市 staff: all of the above everywhere, and the city's rules (FundPolicy).
- 领导: read only.
"""

from organization.choices import Role
from organization.roles import ALL, EDIT, VIEW  # noqa: F401

KEEPER = {
    "fund.fund": VIEW,
    "fund.fundpolicy": VIEW,
    "fund.fundentry": VIEW | {"add", "reverse_fundentry"},
    "fund.fundapplication": EDIT
    | {"submit_fundapplication", "review_fundapplication", "approve_fundapplication", "disburse_fundapplication"},
    "fund.guarantee": EDIT,
    "fund.guaranteecall": EDIT,
    "fund.fundinspection": EDIT,
    "fund.followup": EDIT,
}

READ_ONLY = {
    "fund.fund": VIEW,
    "fund.fundpolicy": VIEW,
    "fund.fundentry": VIEW,
    "fund.fundapplication": VIEW,
    "fund.guarantee": VIEW,
    "fund.guaranteecall": VIEW,
    "fund.fundinspection": VIEW,
    "fund.followup": VIEW,
}

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    Role.CITY_STAFF: {**KEEPER, "fund.fund": EDIT, "fund.fundpolicy": EDIT},
    Role.COUNTY_STAFF: KEEPER,
    Role.TOWNSHIP_STAFF: {
        **READ_ONLY,
        "fund.fundentry": frozenset(),
        "fund.fund": frozenset(),
        "fund.fundapplication": VIEW | {"review_fundapplication"},
        "fund.followup": EDIT,
    },
    Role.WORK_TEAM: {
        **READ_ONLY,
        "fund.fundentry": frozenset(),
        "fund.fund": frozenset(),
        "fund.fundapplication": EDIT | {"submit_fundapplication"},
        "fund.fundinspection": EDIT,
        "fund.followup": EDIT,
    },
    Role.LEADER: READ_ONLY,
    Role.ADMIN: READ_ONLY,
}
