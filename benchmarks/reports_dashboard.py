"""The leaders' dashboard and the yearly bulletin at 1,000 and 100,000 members.

    createdb -h 127.0.0.1 -U postgres pe_bench_reports
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_reports \\
        .venv/bin/python -m benchmarks.reports_dashboard --sizes 1000 100000

Fills a fresh database like benchmarks.register_pages (members in bulk), adds a plan per
county and township and a confirmed exit for one member in ten, then asks the dashboard
(city, county, township; page and Excel export) as a leader through Django's test client,
and produces the city's bulletin in a child process (``manage.py generate_bulletin``) to
measure its time and peak memory (RSS). A benchmark, not a test: it prints figures.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from benchmarks.register_pages import fill  # noqa: E402  (sets Django up)
from members.choices import NoticeState, Status  # noqa: E402
from members.models import IncomeCheck, IncomeThreshold, Member, StatusChange  # noqa: E402
from organization.choices import RegionLevel  # noqa: E402
from organization.demo import build_demo_city  # noqa: E402
from organization.models import Region, User  # noqa: E402
from reports import services  # noqa: E402
from reports.models import JurisdictionPlan  # noqa: E402

YEAR = 2025
REPEAT = 20
MEDIA = tempfile.mkdtemp(prefix="bench-bulletin-")


def add_exits_and_plans() -> None:
    """One member in ten has a confirmed exit in YEAR; every county and township has a plan."""
    if not IncomeThreshold.objects.filter(year=YEAR).exists():
        IncomeThreshold.objects.create(year=YEAR, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    done = set(IncomeCheck.objects.filter(year=YEAR).values_list("member_id", flat=True))
    todo = [pk for pk in Member.objects.order_by("pk").values_list("pk", flat=True)[::10] if pk not in done]
    for start in range(0, len(todo), 5000):
        chunk = todo[start : start + 5000]
        checks = IncomeCheck.objects.bulk_create(
            IncomeCheck(member_id=pk, year=YEAR, income_per_head=Decimal("6000"), checked_on=date(YEAR, 12, 1))
            for pk in chunk
        )
        StatusChange.objects.bulk_create(
            StatusChange(
                member_id=check.member_id,
                income_check=check,
                from_status=Status.POOR,
                to_status=Status.OUT,
                reason="收入高于脱贫标准",
                state=NoticeState.CONFIRMED,
                notice_starts=date(YEAR, 12, 2),
                notice_ends=date(YEAR, 12, 8),
            )
            for check in checks
        )
    if services.active_programme() is None:
        services.programme_save(actor=None, name="示范行动", start_year=2024, years=3, phase1_end_year=2025)
    planned = set(JurisdictionPlan.objects.filter(year=YEAR).values_list("region_id", flat=True))
    per_region = max(1, Member.objects.count() // 60)
    for region in Region.objects.filter(level__in=(RegionLevel.COUNTY, RegionLevel.TOWNSHIP)).exclude(pk__in=planned):
        target = per_region if region.level == RegionLevel.COUNTY else max(1, per_region // 6)
        services.plan_save(actor=None, region=region, year=YEAR, target_out_of_poverty=target)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE members_member; ANALYZE members_statuschange; ANALYZE members_incomecheck")


def measure(client: Client, url: str) -> tuple[int, float, float]:
    client.get(url)  # warm caches and the connection
    timings, queries = [], 0
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    return queries, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def bulletin_run(region_code: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of producing the bulletin in a fresh child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - our own interpreter and command, fixed arguments
        [sys.executable, "manage.py", "generate_bulletin", "--year", str(YEAR), "--region", region_code],
        check=True,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "DJANGO_MEDIA_ROOT": MEDIA},
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss is the largest child so far (KB on Linux); children only grow here.
    return seconds, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    build_demo_city()
    leader = User.objects.get(username="leader")
    city = Region.objects.get(level=RegionLevel.CITY)
    county = Region.objects.filter(parent=city).order_by("code").first()
    township = Region.objects.filter(parent=county).order_by("code").first()
    rows, bulletins = [], []
    for size in sorted(args.sizes):
        fill(size)
        add_exits_and_plans()
        client = Client()
        client.force_login(leader)
        pages = {
            "city": f"/reports/dashboard/{city.code}/?year={YEAR}",
            "county": f"/reports/dashboard/{county.code}/?year={YEAR}",
            "township": f"/reports/dashboard/{township.code}/?year={YEAR}",
            "city Excel export": f"/reports/dashboard/{city.code}/export/?year={YEAR}",
        }
        for name, url in pages.items():
            queries, median, p95 = measure(client, url)
            rows.append((size, name, queries, median, p95))
        seconds, peak = bulletin_run(city.code)
        bulletins.append((size, seconds, peak))
    print(f"\nDashboard on {connection.vendor} as a leader, {REPEAT} requests each (ms)")
    print(f"{'members':>8}  {'page':<20} {'queries':>7} {'p50':>8} {'p95':>8}")
    for size, name, queries, median, p95 in rows:
        print(f"{size:>8}  {name:<20} {queries:>7} {median:>8.1f} {p95:>8.1f}")
    print("\nCity bulletin (.docx + .xlsx with every member), in a child process")
    print(f"{'members':>8}  {'seconds':>8} {'peak RSS MB':>12}")
    for size, seconds, peak in bulletins:
        print(f"{size:>8}  {seconds:>8.1f} {peak:>12.0f}")


if __name__ == "__main__":
    main()
