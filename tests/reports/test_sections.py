"""The dashboard's and the bulletin's sections from the other areas: training, projects,
visits, difficulties, phase-2 pairs and the fund, from known records to known numbers,
scoped, in a fixed number of queries."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assistance import services as assistance_services
from assistance.choices import HelperKind
from fund.choices import Source
from projects.choices import ProjectStatus
from reports import bulletin, services
from reports.tasks import generate_bulletin
from tests.assistance.factories import make_team, pair
from tests.fund.factories import guarantee_fields, make_application, make_fund, receive
from tests.members.factories import id_number, make_member
from tests.projects.factories import make_project
from tests.training.factories import complete, enrol, make_batch
from training import services as training_services
from training.choices import BatchStatus

from .factories import make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def areas(tree, users):
    """In 青山县 (张庄村): m1 trained, with an approved project, a guarantee, paired and
    visited; m2 paired, not visited, with an overdue difficulty; m3 out of poverty and a
    mentor with one pair. In 白河县: m4 with a project."""
    make_programme(start_year=YEAR - 1, phase1_end_year=YEAR - 1)
    make_plan(tree.a, year=YEAR, out=1, target_trained=2, target_projects=1, target_mentor_pairs=1)
    m1, m2, m3 = (make_member(tree.a1v, name=n) for n in ("甲党员", "乙党员", "丙党员"))
    m4 = make_member(tree.b1v, name="丁党员")
    batch = make_batch(tree.a, start=timezone.localdate() - timedelta(days=40), status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, m1)
    training_services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    complete(enrolment)
    p1 = make_project(m1, stage=ProjectStatus.APPROVED)
    make_project(m4, stage=ProjectStatus.APPROVED)
    make_project(m2, stage=ProjectStatus.PROPOSED)
    team = make_team(tree.a1, [tree.a1v], accounts=[users.work_team])
    pair(m1, team)
    pair(m2, team)
    assistance_services.visit_note_create(actor=users.work_team, member=m1, findings="养牛顺利", helper=team)
    assistance_services.visit_policy_set(actor=None, kind=HelperKind.WORK_TEAM, every_days=20)
    visit = assistance_services.visit_note_create(
        actor=users.work_team,
        member=m2,
        findings="缺资金",
        helper=team,
        visited_on=timezone.localdate() - timedelta(days=25),
    )
    assistance_services.difficulty_raise(
        actor=users.work_team,
        member=m2,
        kind="funds",
        description="缺少饲料款",
        coordinator=team,
        deadline=timezone.localdate() - timedelta(days=5),
        visit=visit,
    )
    make_exit(m3, year=YEAR)
    m3.refresh_from_db()
    mentor = assistance_services.mentor_designate(actor=None, member=m3, reason="养殖能手")
    resident = assistance_services.poor_resident_save(
        actor=None,
        name="贫困群众甲",
        id_number=id_number(),
        village=tree.a1v,
        household_size=3,
        income_per_head=Decimal("2000"),
    )
    assistance_services.mentor_pair_create(actor=None, mentor=mentor, resident=resident)
    fund = make_fund(tree.city)
    receive(fund, "100000", actor=users.city_staff)
    receive(fund, "20000", actor=users.city_staff, source=Source.DONATION)
    make_application(users, tree.a1v, member=m1, project=p1, stage="paid", **guarantee_fields())
    return {"team": team}


def cells(response, key):
    table = next(t for t in response.context["section_tables"] if t.key == key)
    return {row[0].display: [cell.display for cell in row[1:]] for row in table.rows}


def test_the_city_dashboard_shows_every_area_by_county(client, users, tree, areas):
    client.force_login(users.leader)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    targets = cells(response, "targets")
    # trained / target, project / target, mentor pairs / target, paired, visited in time, overdue
    assert targets["青山县"] == ["1 / 2", "1 / 1", "1 / 1", "2", "1", "1"]
    assert targets["白河县"] == ["0 / —", "1 / —", "0 / —", "0", "0", "0"]
    assert targets["合计"] == ["1 / —", "2 / —", "1 / —", "2", "1", "1"]
    projects = cells(response, "projects")
    assert projects["青山县"] == ["1", "0", "1", "0", "0", "0"]
    assert projects["合计"][2] == "2"
    assert cells(response, "difficulties")["青山县"] == ["1", "1", "0"]
    guarantees = cells(response, "guarantees")
    assert guarantees["青山县"][:2] == ["1", "40,000.00"]
    assert guarantees["白河县"][:2] == ["0", "0.00"]
    fund = cells(response, "fund")
    assert fund["党费拨付"][0] == "100,000.00"
    assert fund["党员捐款"][0] == "20,000.00"
    content = response.content.decode()
    assert f"{reverse('projects:project_list')}?county={tree.a.pk}&amp;status=approved" in content
    assert reverse("assistance:difficulty_list") + "?overdue=true" in content


def test_a_county_sees_only_its_county_in_every_section(client, users, tree, areas):
    client.force_login(users.county_staff)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    assert set(cells(response, "projects")) == {"青石镇", "合计"}
    assert cells(response, "projects")["合计"][2] == "1"  # 白河县's approved project is not counted
    content = response.content.decode()
    assert "丁党员" not in content
    assert "白河" not in content


def test_a_role_without_an_areas_permission_does_not_get_its_section(client, users, tree, areas, monkeypatch):
    from reports import selectors

    monkeypatch.setitem(selectors.SECTION_PERMISSIONS, "fund", "fund.no_such_permission")
    client.force_login(users.leader)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR}")
    assert "fund" not in {t.key for t in response.context["section_tables"]}


def test_dashboard_with_every_section_stays_within_fifteen_queries(
    client, users, tree, areas, django_assert_max_num_queries
):
    client.force_login(users.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(5):
        member = make_member(tree.b1v if i % 2 else tree.a1c, name=f"加量{i}")
        make_project(member, stage=ProjectStatus.APPROVED)
    with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_the_export_holds_the_section_sheets(client, users, tree, areas):
    client.force_login(users.leader)
    response = client.get(reverse("reports:dashboard_export", args=[tree.city.code]) + f"?year={YEAR}")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    assert "困难问题" in workbook.sheetnames
    rows = list(workbook["困难问题"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:3] == ("青山县", 1, 1)


def test_the_bulletin_reports_the_other_areas(tree, areas):
    from docx import Document

    job = services.bulletin_request(actor=None, year=YEAR, region=tree.city, enqueue=False)
    generate_bulletin(job.pk)
    job.refresh_from_db()
    text = "\n".join(
        "|".join(c.text for c in row.cells)
        for table in Document(bulletin.media_path(job.docx)).tables
        for row in table.rows
    )
    assert "青山县|1 / 2|1 / 1|1 / 1|2|1|1" in text
    workbook = openpyxl.load_workbook(bulletin.media_path(job.xlsx), read_only=True)
    sheet = workbook["致富项目（按阶段）"]
    assert list(sheet.iter_rows(min_row=2, max_row=2, values_only=True))[0][:4] == ("青山县", "1", "0", "1")
