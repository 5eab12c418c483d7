from decimal import Decimal

import pytest

from organization.templatetags.money import yuan


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("1272300"), "1,272,300.00"),
        (Decimal("-5600.5"), "-5,600.50"),
        (Decimal("0.00"), "0.00"),
        ("12.345", "12.35"),  # rounded half up to the fen, 四舍五入
        (None, ""),
        ("不是数字", "不是数字"),
    ],
)
def test_an_amount_in_yuan_is_grouped_by_thousands_to_the_fen(value, shown):
    assert yuan(value) == shown
