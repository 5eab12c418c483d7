"""``{{ amount|yuan }}``: an amount in yuan as people write it, ``1,272,300.00``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()

FEN = Decimal("0.01")


@register.filter
def yuan(value):
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)  # 四舍五入
    except (InvalidOperation, TypeError, ValueError):
        return value
    return f"{amount:,.2f}"
