"""The villages' snapshot (统计快照): dashboards sum it while it is fresh, and it gives the
same figures as counting live for every user it applies to."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Member
from organization.models import User
from reports import selectors, services, tasks
from reports.models import VillageTally
from tests.members.factories import make_member

from .factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)


def figures_of(report) -> list[dict]:
    return [row.as_dict() for row in report.ranked()] + [report.total.as_dict()]


@pytest.fixture
def register(tree):
    make_programme()
    a = [make_member(tree.a1v, name=f"青山党员{i}") for i in range(3)]
    b = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    make_exit(a[0])
    make_exit(b[0])
    make_plan(tree.a, out=2)
    return a, b


def test_the_snapshot_gives_the_live_figures_to_every_user_it_applies_to():
    call_command("fill_city", members=300, stdout=io.StringIO())
    assert services.tallies_refresh(years=[YEAR]) > 0
    checked = set()
    for user in User.objects.filter(region__isnull=False).select_related("region"):
        if not user.has_perm("reports.view_dashboard"):
            continue
        # from a village with members up to the user's own region
        member = Member.objects.filter(village__path__startswith=user.region.path).order_by("pk").first()
        regions, region = [], member.village
        while region is not None and region.path.startswith(user.region.path):
            regions.append(region)
            region = region.parent
        for region in regions:
            tallied = selectors.progress_for_user(user=user, region=region, year=YEAR)
            live = selectors.progress_for_user(user=user, region=region, year=YEAR, live=True)
            assert live.as_of is None
            assert (tallied.as_of is not None) == selectors.tally_applies(user), user.username
            assert figures_of(tallied) == figures_of(live), (user.username, region.name)
            if tallied.as_of is not None:
                checked.add((user.role, region.level))
    # staff at each level and the leaders read the snapshot; members were counted in every section
    assert {("city_staff", "city"), ("leader", "village"), ("county_staff", "township")} <= checked
    # and the city's figures are not trivially equal: every section has something to count
    staff = User.objects.get(username="city_staff")
    city = selectors.progress_for_user(user=staff, region=staff.region, year=YEAR)
    assert city.as_of is not None
    for figure in ("exits", "trained", "with_project", "paired", "difficulties_open"):
        assert city.total.counts[figure] > 0, figure
    assert city.total.counts["guaranteed"] > 0


def test_users_whose_jurisdiction_is_a_set_of_members_always_count_live(tree, users, register):
    services.tallies_refresh(years=[YEAR])
    for user in (users.work_team, users.cadre):
        assert not selectors.tally_applies(user)
    assert selectors.tally_applies(users.county_staff)
    assert selectors.tally_applies(users.leader)


def test_the_dashboard_reads_a_fresh_snapshot_and_says_when_it_was_taken(client, users, register, tree):
    services.tallies_refresh(years=[YEAR])
    make_member(tree.a1v, name="快照之后登记")  # not in the snapshot yet
    login(client, users.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    response = client.get(url)
    report = response.context["report"]
    assert report.as_of is not None
    assert report.total.counts["total"] == 5
    content = response.content.decode()
    assert "统计数据截至" in content
    assert 'data-testid="live-link"' in content

    response = client.get(url + "&live=1")
    assert response.context["report"].as_of is None
    assert response.context["report"].total.counts["total"] == 6
    assert "以下为实时统计数据" in response.content.decode()


def test_a_stale_or_missing_snapshot_is_not_used(client, users, register, tree, settings):
    login(client, users.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    assert client.get(url).context["report"].as_of is None  # none taken yet

    services.tallies_refresh(years=[YEAR])
    make_member(tree.b1v, name="晚到的党员")
    VillageTally.objects.update(
        computed_at=timezone.now() - timedelta(minutes=settings.REPORTS_TALLY_MAX_AGE_MINUTES + 1)
    )
    response = client.get(url)
    assert response.context["report"].as_of is None
    assert response.context["report"].total.counts["total"] == 6
    assert "统计数据截至" not in response.content.decode()

    # taken on another day: "paired today" and "overdue" would be wrong
    services.tallies_refresh(years=[YEAR])
    VillageTally.objects.update(as_of=timezone.localdate() - timedelta(days=1))
    assert client.get(url).context["report"].as_of is None


def test_a_year_without_a_snapshot_counts_live(client, users, register):
    services.tallies_refresh(years=[YEAR])
    login(client, users.leader)
    response = client.get(reverse("reports:dashboard") + f"?year={YEAR - 1}")
    assert response.context["report"].as_of is None


def test_a_refresh_replaces_the_years_rows_and_keeps_others(tree, register):
    assert services.tallies_refresh(years=[YEAR, YEAR - 1]) == 4  # two villages with members, two years
    first = set(VillageTally.objects.values_list("pk", flat=True))
    make_member(tree.a1c, name="社区党员")
    assert services.tallies_refresh(years=[YEAR]) == 3
    assert VillageTally.objects.filter(year=YEAR).count() == 3
    assert VillageTally.objects.filter(year=YEAR - 1).count() == 2
    assert not first & set(VillageTally.objects.filter(year=YEAR).values_list("pk", flat=True))
    row = VillageTally.objects.get(year=YEAR, village=tree.a1v)
    assert row.figures["total"] == 3
    assert row.figures["exits"] == 1


def test_the_default_years_are_the_programmes_up_to_this_one(tree, register):
    today = timezone.localdate()
    years = services.tally_years(today)
    assert today.year in years
    assert all(year <= today.year for year in years)
    programme = selectors.active_programme()
    assert [y for y in programme.year_range if y <= today.year] == [y for y in years if y in programme.year_range]


def test_the_beat_task_refreshes(tree, register, settings):
    assert "refresh-tallies" in settings.CELERY_BEAT_SCHEDULE
    tasks.refresh_tallies.delay()
    assert VillageTally.objects.filter(year=timezone.localdate().year).exists()


def test_the_snapshot_dashboard_takes_fewer_queries_than_counting(
    client, users, register, django_assert_max_num_queries
):
    login(client, users.leader)
    url = reverse("reports:dashboard") + f"?year={YEAR}"
    with CaptureQueriesContext(connection) as live:
        client.get(url)
    services.tallies_refresh(years=[YEAR])
    with django_assert_max_num_queries(11), CaptureQueriesContext(connection) as tallied:
        assert client.get(url).context["report"].as_of is not None
    assert len(tallied) < len(live)


def test_the_api_says_where_its_figures_come_from(client, users, register, tree):
    services.tallies_refresh(years=[YEAR])
    login(client, users.leader)
    url = f"/api/v1/dashboard/{tree.city.code}/?year={YEAR}"
    body = client.get(url).json()
    assert body["as_of"] is not None
    assert body["total"]["total"] == 5
    make_member(tree.a1v, name="实时可见")
    body = client.get(url + "&live=true").json()
    assert body["as_of"] is None
    assert body["total"]["total"] == 6


def test_a_village_dashboard_has_no_empty_sub_region_table(client, users, register, tree):
    login(client, users.leader)
    response = client.get(reverse("reports:dashboard_region", args=[tree.a1v.code]) + f"?year={YEAR}")
    content = response.content.decode()
    assert "没有下级区域" not in content
    assert 'data-testid="dashboard-table"' not in content
    township = client.get(reverse("reports:dashboard_region", args=[tree.a1.code]) + f"?year={YEAR}")
    assert 'data-testid="dashboard-table"' in township.content.decode()


def test_the_command_refreshes_and_refuses_a_bad_year(tree, register):
    from django.core.management.base import CommandError

    out = io.StringIO()
    call_command("refresh_tallies", "--year", str(YEAR), stdout=out)
    assert "已写入 2 行" in out.getvalue()
    with pytest.raises(CommandError, match="2000 到 2100"):
        call_command("refresh_tallies", "--year", "1999", stdout=io.StringIO())
