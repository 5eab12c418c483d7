"""The demo city's income projects: every stage, deterministic and idempotent."""

import pytest

from members.demo import build_demo_members
from organization.demo import build_demo_city
from projects import selectors
from projects.choices import ProjectStatus
from projects.demo import build_demo_projects
from projects.models import IncomeProject, ProgressReport, ProjectSupport

pytestmark = pytest.mark.django_db


def test_demo_projects_cover_every_stage_and_a_rerun_adds_nothing():
    build_demo_city()
    build_demo_members(per_village=(0, 1))
    first = build_demo_projects()
    assert first["created"] > 20
    assert set(IncomeProject.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    # every county has approved or running projects for the fund's demo
    counties = IncomeProject.objects.filter(status__in=["approved", "running"]).values("member__county").distinct()
    assert counties.count() == 6
    assert ProjectSupport.objects.exists()
    assert ProgressReport.objects.exists()
    assert IncomeProject.objects.filter(status="failed").exclude(failure_reason="").exists()
    snapshot = sorted(IncomeProject.objects.values_list("member__file_number", "status"))
    second = build_demo_projects()
    assert second == {"created": 0, "total": first["total"]}
    assert sorted(IncomeProject.objects.values_list("member__file_number", "status")) == snapshot
    # some running projects are overdue for a progress report (a work item)
    from organization.models import User

    assert selectors.overdue_progress(user=User.objects.get(username="city_staff")).exists()
