"""Citizen ID numbers (居民身份证号码, GB 11643-1999).

Registers write them in many ways: full-width digits, spaces, a lower-case x, the old
15-digit form. ``normalize`` undoes all of that, ``validate`` checks the check digit and
the birth date, and the rest derive what the number already says (birth date, gender,
age), so those are never typed twice.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric

# Province-level codes (the first two digits) in use since 1999.
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42"}
    | {"43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"}
)
FULL_WIDTH = str.maketrans("０１２３４５６７８９ＸｘＸ", "0123456789XXX")


def normalize(value) -> str:
    """Digits and an upper-case X, with spaces and full-width forms removed."""
    if value is None:
        return ""
    text = str(value).translate(FULL_WIDTH)
    return "".join(text.split()).replace("x", "X").replace("-", "")


def upgrade_15(number: str) -> str:
    """The 18-digit form of a 15-digit number issued before 1999 (born 19xx)."""
    body = number[:6] + "19" + number[6:]
    return body + ric.calc_check_digit(body + "0")


def validate(value) -> str:
    """The normalized 18-digit number, or ValidationError with a message a clerk can act on."""
    number = normalize(value)
    if not number:
        raise ValidationError(_("请填写身份证号码。"), code="required")
    if len(number) == 15 and number.isdigit():
        number = upgrade_15(number)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位（现为%(length)d位）。") % {"length": len(number)}, code="id_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码前17位应为数字，最后一位为数字或X。"), code="id_format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(_("身份证号码前两位不是有效的省级代码。"), code="id_province")
    try:
        birth = ric.get_birth_date(number)
    except ric.ValidationError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date") from None
    if birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="id_birth_date")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对是否抄错。"), code="id_checksum")
    return number


def birth_date(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender(number: str) -> str:
    """ "male" or "female": the 17th digit is odd for men."""
    return "male" if int(number[16]) % 2 else "female"


def age_on(number: str, day: date) -> int:
    born = birth_date(number)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def mask(number: str) -> str:
    """``410102********1234``: the place and the last four digits stay readable."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def make(place: str, born: date, sequence: int) -> str:
    """A valid number for ``place`` (6 digits), ``born`` and a 3-digit sequence (demo and tests)."""
    body = f"{place}{born:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")
