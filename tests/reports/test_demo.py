"""The demo's reports: a programme, plans for every county, an admonition with a plan, commendations."""

import pytest

from members.demo import build_demo_members
from organization.demo import build_demo_city
from reports.choices import CommendationState, RectificationState
from reports.demo import build_demo_reports
from reports.models import Admonition, Commendation, Evaluation, JurisdictionPlan, Programme

pytestmark = pytest.mark.django_db


def test_demo_reports_are_plausible_and_a_rerun_adds_nothing():
    build_demo_city()
    build_demo_members(per_village=(0, 1))
    first = build_demo_reports()
    assert Programme.objects.filter(is_active=True).count() == 1
    counties = JurisdictionPlan.objects.filter(region__level="county")
    assert counties.values("region").distinct().count() == 6
    assert counties.count() == 18
    assert all(plan.target_out_of_poverty >= 1 for plan in counties)
    admonition = Admonition.objects.get()
    assert admonition.rectification.state == RectificationState.OPEN
    assert Commendation.objects.filter(state=CommendationState.CONFIRMED).count() == 1
    assert Commendation.objects.filter(state=CommendationState.NOTICING).count() == 1
    evaluation = Evaluation.objects.get()
    assert evaluation.grade == "excellent"
    assert evaluation.indicators["items"]
    counts = (
        JurisdictionPlan.objects.count(),
        Admonition.objects.count(),
        Commendation.objects.count(),
        Evaluation.objects.count(),
    )
    second = build_demo_reports()
    assert first["plans"] > 18
    assert second == {"plans": 0}
    assert (
        JurisdictionPlan.objects.count(),
        Admonition.objects.count(),
        Commendation.objects.count(),
        Evaluation.objects.count(),
    ) == counts
