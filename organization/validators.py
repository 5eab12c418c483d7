import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's rule, with a message in our catalogue (Django's Chinese plural form is missing)."""

    def get_error_message(self):
        return _("密码太短，至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}

    def get_help_text(self):
        return _("密码至少需要 %(min_length)d 个字符。") % {"min_length": self.min_length}


class CharacterClassValidator:
    """A password must mix letters and digits."""

    def validate(self, password, user=None):
        if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_character_classes")

    def get_help_text(self):
        return _("密码必须同时包含字母和数字。")
