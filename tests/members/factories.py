"""Members built through the real services."""

import itertools
from datetime import date
from decimal import Decimal

from members import idnumbers, services
from members.choices import LabourCapacity

_sequence = itertools.count(1)


def id_number(born=date(1975, 6, 1), place="411521", female=False) -> str:
    """A valid, unique citizen ID number."""
    while True:
        n = next(_sequence) % 1000
        if (n % 2 == 0) == female:
            return idnumbers.make(place, born, n)


def make_member(village, *, actor=None, born=date(1975, 6, 1), female=False, **fields):
    values = {
        "name": fields.pop("name", f"测试党员{next(_sequence)}"),
        "id_number": fields.pop("id_number", None) or id_number(born, female=female),
        "labour_capacity": LabourCapacity.ORDINARY,
        "household_size": 3,
        "income_per_head": Decimal("2800.00"),
        "poverty_causes": ["skills", "funds"],
        "village": village,
    }
    values.update(fields)
    return services.member_create(actor=actor, **values)
