"""Reads of income projects beyond a plain filter. Other apps (fund) rely on
``member_approved_projects`` and ``member_has_approved_project``."""

from .choices import APPROVED_STATES
from .models import IncomeProject


def member_approved_projects(member):
    """The member's projects that are approved or running (有项目), newest first.

    Not scoped by user: callers (the fund's eligibility check) have already reached the
    member through their own scope."""
    return IncomeProject.objects.filter(member=member, status__in=APPROVED_STATES).order_by("-proposed_on", "-id")


def member_has_approved_project(member) -> bool:
    return member_approved_projects(member).exists()
