"""The demo helpers and casework: each demo helper account sees its own members."""

import pytest

from assistance.demo import build_demo_assistance
from assistance.models import (
    Difficulty,
    EnterpriseSupport,
    Mentor,
    Pairing,
    PoorResidentIdReveal,
    VisitNote,
    WelfareReferral,
)
from members.demo import build_demo_members
from members.models import Member
from organization.demo import build_demo_city
from organization.models import User

pytestmark = pytest.mark.django_db

# PoorResidentIdReveal: the demo logs a reveal or two, so that the log is not empty.
MODELS = (Pairing, VisitNote, Difficulty, EnterpriseSupport, WelfareReferral, Mentor, PoorResidentIdReveal)


def test_demo_is_plausible_and_idempotent():
    build_demo_city()
    build_demo_members()
    build_demo_assistance()
    counts = {model.__name__: model.objects.count() for model in MODELS}
    assert all(counts.values()), counts
    accounts = User.objects.in_bulk(["work_team", "cadre", "enterprise", "urban_centre"], field_name="username")
    for user in accounts.values():
        assert Member.objects.visible_to(user).exists(), user.username
    overdue = [d for d in Difficulty.objects.all() if d.is_overdue]
    assert overdue
    build_demo_assistance()
    assert counts == {model.__name__: model.objects.count() for model in MODELS}
