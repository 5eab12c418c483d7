"""What each role may do with the fund models (merged by organization.roles)."""

from organization.choices import Role  # noqa: F401
from organization.roles import ALL, EDIT, VIEW  # noqa: F401

ROLE_PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {}
