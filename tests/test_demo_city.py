"""The demo city built by ``manage.py load_demo``: the regions and accounts, and every app's
demo records (members, training, projects, fund, reports, assistance).

It is built once for the module (it takes a while) and checked as the newcomer gets it;
each app's rerun is checked against it, so one build serves every app's checks.
"""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

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
from fund import selectors as fund_selectors
from fund.choices import ApplicationStatus, EntryKind, GuaranteeStatus, RecoveryStatus, Source
from fund.demo import TRAINING_TITLE as FUND_TRAINING_TITLE
from fund.demo import build_demo_fund
from fund.models import FollowUp, Fund, FundApplication, FundEntry, GuaranteeCall
from members.choices import NoticeState, Status, Track
from members.demo import build_demo_members
from members.models import IdNumberReveal, Member, StatusChange
from organization.choices import PartyOrganizationKind, RegionLevel, Role
from organization.demo import DEMO_PASSWORD, build_demo_city, plan_city
from organization.models import PATH_SEPARATOR, PartyOrganization, Region, User
from organization.roles import ROLE_REGION_LEVELS
from projects import selectors as project_selectors
from projects.choices import ProjectStatus
from projects.demo import build_demo_projects
from projects.models import IncomeProject, ProgressReport, ProjectSupport
from reports.choices import CommendationState, RectificationState
from reports.demo import build_demo_reports
from reports.models import Admonition, Commendation, Evaluation, JurisdictionPlan, Programme
from training import selectors as training_selectors
from training.choices import BatchStatus, EnrolmentStatus
from training.demo import BATCHES as TRAINING_BATCHES
from training.demo import build_demo_training
from training.models import Attendance, BaseVisit, BatchBudgetItem, Enrolment, Expert, ExpertService, TrainingBatch

# one pytest-xdist process builds it, once
pytestmark = pytest.mark.xdist_group("demo_city")

DEMO_USERNAMES = [role.value for role in Role] + ["county_staff2"]


def load_demo() -> str:
    """Run the command the way a user would; return what it printed."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo city, built once for the module (building takes a couple of seconds).

    It lives in a transaction that is rolled back after the module; each test still runs
    in its own transaction inside it, so what a test changes does not reach the next.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo()
        transaction.set_rollback(True)


# What a second run must leave alone, in every app, history included.
COUNTED = (
    Region,
    PartyOrganization,
    User,
    Member,
    StatusChange,
    IdNumberReveal,
    TrainingBatch,
    Enrolment,
    Attendance,
    ExpertService,
    BaseVisit,
    IncomeProject,
    ProjectSupport,
    ProgressReport,
    FundEntry,
    FundApplication,
    GuaranteeCall,
    FollowUp,
    JurisdictionPlan,
    Admonition,
    Commendation,
    Evaluation,
    Pairing,
    VisitNote,
    Difficulty,
    EnterpriseSupport,
    WelfareReferral,
    Mentor,
    PoorResidentIdReveal,
)


def table_counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    counts.update(
        {f"{model.__name__} history": model.history.count() for model in COUNTED if hasattr(model, "history")}
    )
    return counts


def test_plan_is_the_same_every_time():
    assert plan_city() == plan_city()


@pytest.mark.django_db
def test_load_demo_builds_the_city(demo_output):
    levels = Counter(Region.objects.values_list("level", flat=True))
    assert levels[RegionLevel.CITY] == 1
    assert levels[RegionLevel.COUNTY] == 6
    assert levels[RegionLevel.TOWNSHIP] >= 20
    assert levels[RegionLevel.VILLAGE] >= 200
    city = Region.objects.get(level=RegionLevel.CITY)
    assert (city.code, city.name) == ("419900000000", "河洛市")
    villages = Region.objects.filter(level=RegionLevel.VILLAGE)
    assert villages.filter(is_urban=True, name__endswith="社区").exists()
    assert villages.filter(is_urban=False, name__endswith="村").exists()

    # Every region has a party organization.
    assert not Region.objects.filter(party_organizations__isnull=True).exists()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert set(User.objects.values_list("username", flat=True)) == set(DEMO_USERNAMES)
    for username in DEMO_USERNAMES:
        assert username in demo_output
    assert DEMO_PASSWORD in demo_output
    assert "河洛市/青山县" in demo_output


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(demo_output):
    before = table_counts()
    output = load_demo()
    assert table_counts() == before
    assert "区划 0，党组织 0，账号 0" in output


@pytest.mark.django_db
def test_each_apps_builder_run_again_adds_nothing(demo_output):
    before = table_counts()
    members = build_demo_members()
    assert members == {"created": 0, "total": before["Member"]}
    assert not any(build_demo_training().values())
    assert build_demo_projects() == {"created": 0, "total": before["IncomeProject"]}
    assert build_demo_fund()["created"] == 0
    assert build_demo_reports() == {"plans": 0}
    assert build_demo_assistance() == {"created": 0}
    assert table_counts() == before


@pytest.mark.django_db
def test_rerun_completes_a_partial_city(demo_output):
    village = Region.objects.filter(level=RegionLevel.VILLAGE).last()
    village.party_organizations.all().delete()
    village.delete()

    result = build_demo_city(stdout=io.StringIO())

    assert result["created"] == {"region": 1, "party_organization": 1, "account": 0}
    recreated = Region.objects.get(code=village.code)
    assert recreated.party_organizations.get().parent.region == recreated.parent
    assert result["counts"]["village"] == Region.objects.filter(level=RegionLevel.VILLAGE).count()
    assert [account["username"] for account in result["accounts"]] == [plan.username for plan in plan_city()[1]]


@pytest.mark.django_db
def test_region_tree_is_consistent(demo_output):
    regions = list(Region.objects.select_related("parent"))
    codes = [region.code for region in regions]
    assert len(codes) == len(set(codes))
    for region in regions:
        assert re.fullmatch(r"4199\d{8}", region.code), region.code
        assert region.full_name.startswith("河洛市")
        if region.parent is None:
            assert region.path == f"{PATH_SEPARATOR}{region.code}{PATH_SEPARATOR}"
            continue
        assert region.path.startswith(region.parent.path)
        assert region.full_name == f"{region.parent.full_name}{PATH_SEPARATOR}{region.name}"
    # County 4199NN000000, township 4199NNTTT000, village 4199NNTTTVVV: a child keeps its
    # parent's digits, adds its own and leaves the rest zero.
    own_digits = {RegionLevel.COUNTY: slice(4, 6), RegionLevel.TOWNSHIP: slice(6, 9), RegionLevel.VILLAGE: slice(9, 12)}
    for region in regions:
        if region.parent is not None:
            own = own_digits[region.level]
            assert region.code[: own.start] == region.parent.code[: own.start]
            assert region.code[own] != "0" * (own.stop - own.start)
            assert region.code[own.stop :] == "0" * (12 - own.stop)


@pytest.mark.django_db
def test_villages_are_plausible(demo_output):
    for township in Region.objects.filter(level=RegionLevel.TOWNSHIP).select_related("parent"):
        villages = list(township.children.all())
        assert 5 <= len(villages) <= 12
        names = [village.name for village in villages]
        assert len(names) == len(set(names)), township.full_name
        urban = sum(village.is_urban for village in villages)
        if township.name.endswith("街道"):
            assert urban >= len(villages) - 1
        elif township.parent.name.endswith("县"):
            assert urban == 0
    for county in Region.objects.filter(level=RegionLevel.COUNTY):
        assert 4 <= county.children.count() <= 7


@pytest.mark.django_db
def test_party_organizations_follow_the_regions(demo_output):
    organizations = PartyOrganization.objects.select_related("region__parent", "parent__region")
    assert organizations.count() == Region.objects.count()
    for organization in organizations:
        region = organization.region
        assert re.fullmatch(r"1[358]\d{9}", organization.leader_phone)
        assert 2 <= len(organization.leader_name) <= 3
        assert organization.leader_post
        if region.parent is None:
            assert organization.parent is None
            assert organization.kind == PartyOrganizationKind.COMMITTEE
        else:
            assert organization.parent.region == region.parent
        if region.level == RegionLevel.VILLAGE:
            assert organization.name == f"中共{region.name}支部委员会"
            assert organization.kind == PartyOrganizationKind.BRANCH


@pytest.mark.django_db
def test_accounts_sit_where_their_roles_allow(demo_output):
    users = {user.username: user for user in User.objects.select_related("region")}
    for user in users.values():
        assert user.region.level in ROLE_REGION_LEVELS[user.role]
        assert user.is_superuser == (user.role == Role.ADMIN)
    assert users["county_staff"].region.name == "青山县"
    assert users["county_staff2"].region.name == "白河县"
    assert users["urban_centre"].region.name == "河东区"
    assert users["township_staff"].region.parent == users["county_staff"].region
    assert users["work_team"].region.parent == users["township_staff"].region


def assert_logs_in(username: str) -> None:
    """Log in through the real form, so that axes and the backends take part."""
    client = Client()
    response = client.post("/login/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, username
    assert client.session["_auth_user_id"] == str(User.objects.get(username=username).pk)


@pytest.mark.django_db
def test_demo_accounts_log_in_with_the_printed_password(demo_output):
    for username in DEMO_USERNAMES:
        assert re.search(rf"^{username}\s+{DEMO_PASSWORD}\s", demo_output, re.MULTILINE)
        assert_logs_in(username)


@pytest.mark.django_db
def test_rerun_restores_only_the_password(demo_output):
    user = User.objects.get(username="county_staff")
    user.set_password("Changed2026word")
    user.display_name = "改过的名字"
    user.save()

    load_demo()

    user.refresh_from_db()
    assert user.display_name == "改过的名字"
    assert_logs_in("county_staff")


def test_demo_is_refused_where_demo_data_is_not_allowed(settings):
    from django.core.management import CommandError

    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())


# --- each app's demo records ------------------------------------------------------------


@pytest.mark.django_db
def test_demo_members_are_varied(demo_output):
    """Every county has members, and the casework shows each stage."""
    assert Member.objects.count() > 100
    assert Member.objects.values("county").distinct().count() == 6
    assert set(Member.objects.values_list("track", flat=True)) == set(Track.values)
    assert Member.objects.filter(status=Status.OUT).exists()
    assert StatusChange.objects.filter(state=NoticeState.NOTICING).exists()
    assert StatusChange.objects.filter(state=NoticeState.CONFIRMED).exists()
    assert Member.objects.filter(plans__is_current=True).exists()
    assert Member.objects.filter(is_urban=True).exists()
    # the reveal log is not empty: 青山县's staff, members of their county
    reveals = IdNumberReveal.objects.select_related("user", "member__county")
    assert {(reveal.user.username, reveal.member.county.name) for reveal in reveals} == {("county_staff", "青山县")}


@pytest.mark.django_db
def test_demo_training_is_varied_and_follows_the_rules(demo_output):
    # the six of the training demo, and the fund demo's batch for its untrained applicants
    assert TrainingBatch.objects.exclude(title=FUND_TRAINING_TITLE).count() == len(TRAINING_BATCHES) == 6
    statuses = set(TrainingBatch.objects.values_list("status", flat=True))
    assert statuses == {BatchStatus.FINISHED, BatchStatus.RUNNING, BatchStatus.ENROLLING}
    assert {2025, 2026} == {batch.start_date.year for batch in TrainingBatch.objects.all()}
    enrolment_statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {EnrolmentStatus.COMPLETED, EnrolmentStatus.ADMITTED, EnrolmentStatus.RECOMMENDED} <= enrolment_statuses
    assert training_selectors.key_assistance_targets().exists()
    assert not Enrolment.objects.exclude(member__track="demonstration").exists()
    for batch in TrainingBatch.objects.all():
        assert batch.enrolments.filter(status__in=("admitted", "completed", "failed")).count() <= batch.capacity
    assert Attendance.objects.exists()
    assert BatchBudgetItem.objects.filter(spent_on__year=2025).exists()
    assert BatchBudgetItem.objects.filter(spent_on__year=2026).exists()
    assert Expert.objects.filter(account__username="expert").exists()
    assert ExpertService.objects.filter(follow_up_done_on__isnull=False).exists()
    assert BaseVisit.objects.exists()


@pytest.mark.django_db
def test_demo_projects_cover_every_stage(demo_output):
    assert IncomeProject.objects.count() > 20
    assert set(IncomeProject.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    # every county has approved or running projects for the fund's demo
    counties = IncomeProject.objects.filter(status__in=["approved", "running"]).values("member__county").distinct()
    assert counties.count() == 6
    assert ProjectSupport.objects.exists()
    assert ProgressReport.objects.exists()
    assert IncomeProject.objects.filter(status="failed").exclude(failure_reason="").exists()
    # some running projects are overdue for a progress report (a work item)
    assert project_selectors.overdue_progress(user=User.objects.get(username="city_staff")).exists()


@pytest.mark.django_db
def test_demo_fund_covers_every_stage(demo_output):
    """Receipts from the three sources, every stage of an application, a called guarantee."""
    receipts = FundEntry.objects.filter(kind=EntryKind.RECEIPT)
    assert set(receipts.values_list("source", flat=True)) == set(Source.values)
    assert {d.year for d in receipts.values_list("date", flat=True)} == {2025, 2026}
    assert FundEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert set(FundApplication.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
    call = GuaranteeCall.objects.get()
    assert call.status == RecoveryStatus.RECOVERING
    assert 0 < fund_selectors.recovered_amount(call) < call.paid_amount
    assert call.guarantee.status == GuaranteeStatus.CALLED
    assert FollowUp.objects.count() == 1
    assert Fund.objects.count() == 2  # the city's and 青山县's
    for fund in Fund.objects.all():
        balances = fund_selectors.fund_balances(fund)
        assert balances.free >= 0
        assert balances.reserved >= 0


@pytest.mark.django_db
def test_demo_reports_are_plausible(demo_output):
    """A programme, plans for every county, an admonition with a plan, commendations."""
    assert Programme.objects.filter(is_active=True).count() == 1
    counties = JurisdictionPlan.objects.filter(region__level="county")
    assert counties.values("region").distinct().count() == 6
    assert counties.count() == 18
    assert JurisdictionPlan.objects.count() > 18
    assert all(plan.target_out_of_poverty >= 1 for plan in counties)
    admonition = Admonition.objects.get()
    assert admonition.rectification.state == RectificationState.OPEN
    assert Commendation.objects.filter(state=CommendationState.CONFIRMED).count() == 1
    assert Commendation.objects.filter(state=CommendationState.NOTICING).count() == 1
    evaluation = Evaluation.objects.get()
    assert evaluation.grade == "excellent"
    assert evaluation.indicators["items"]


@pytest.mark.django_db
def test_demo_helpers_each_see_their_own_members(demo_output):
    # PoorResidentIdReveal: the demo logs a reveal or two, so that the log is not empty.
    for model in (Pairing, VisitNote, Difficulty, EnterpriseSupport, WelfareReferral, Mentor, PoorResidentIdReveal):
        assert model.objects.exists(), model.__name__
    accounts = User.objects.in_bulk(["work_team", "cadre", "enterprise", "urban_centre"], field_name="username")
    for user in accounts.values():
        assert Member.objects.visible_to(user).exists(), user.username
    assert [difficulty for difficulty in Difficulty.objects.all() if difficulty.is_overdue]
