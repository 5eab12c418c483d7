"""Register pages at 1,000 and 100,000 members: SQL queries and time per request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_pages \\
        .venv/bin/python -m benchmarks.register_pages --sizes 1000 100000

Fills the database with members in bulk (no history: this measures reading), then asks
the list page (plain, searched, filtered) and a file page as a city account and as a
county account through Django's test client, and prints one table. A benchmark, not a
test: it prints figures and asserts nothing.
"""

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from members import idnumbers  # noqa: E402
from members.choices import LabourCapacity, Status, Track  # noqa: E402
from members.models import FileNumberSequence, Member  # noqa: E402
from organization.choices import RegionLevel  # noqa: E402
from organization.demo import build_demo_city  # noqa: E402
from organization.models import Region, User  # noqa: E402

REPEAT = 15


def fill(total: int) -> None:
    """Bring the member count up to ``total`` with plausible rows, in bulk."""
    have = Member.objects.count()
    if have > total:
        raise SystemExit(f"The database already holds {have} members, more than {total}: use a fresh database.")
    if have == total:
        return
    rng = random.Random(total)
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE).select_related("parent__parent"))
    sequences = {}
    batch = []
    for n in range(have, total):
        village = villages[n % len(villages)]
        township, county = village.parent, village.parent.parent
        born = date(1950, 1, 1) + timedelta(days=rng.randint(0, 365 * 50))
        number = idnumbers.make(f"41{n // 1000 % 100:02d}{n // 100000 % 10}1", born, n % 1000)
        sequences[county.pk] = sequences.get(county.pk, Member.objects.filter(county=county).count()) + 1
        batch.append(
            Member(
                file_number=f"{county.code[:6]}-{sequences[county.pk]:05d}",
                name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["建国", "秀英", "志刚", "桂兰", "德福"]),
                id_number=number,
                gender=idnumbers.gender(number),
                birth_date=born,
                labour_capacity=rng.choice([LabourCapacity.ORDINARY, LabourCapacity.WEAK, LabourCapacity.LOST]),
                village=village,
                township=township,
                county=county,
                is_urban=village.is_urban,
                poverty_causes=rng.sample(["skills", "funds", "illness", "project"], 2),
                income_per_head=Decimal(rng.randint(1500, 9000)),
                computed_track=Track.DEMONSTRATION,
                track=rng.choice(Track.values),
                status=rng.choice(Status.values),
            )
        )
        if len(batch) == 5000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    for county_pk, last in sequences.items():
        FileNumberSequence.objects.update_or_create(county_id=county_pk, defaults={"last": last})
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE members_member")


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100000])
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    build_demo_city()
    city, county = User.objects.get(username="city_staff"), User.objects.get(username="county_staff")
    rows = []
    for size in sorted(args.sizes):
        fill(size)
        member = Member.objects.filter(county=county.region).order_by("-pk").first()
        pages = {
            "list": "/members/",
            "list page 20": "/members/?page=20",
            "search by name": "/members/?q=王建",
            "search by ID tail": f"/members/?q={member.id_number[-6:]}",
            "filter status+cause": "/members/?status=poor&cause=funds",
            "file page": f"/members/{member.pk}/",
        }
        for who, user in (("city", city), ("county", county)):
            client = Client()
            client.force_login(user)
            for name, url in pages.items():
                queries, median, p95 = measure(client, url)
                rows.append((size, who, name, queries, median, p95))
    print(f"\nRegister pages on {connection.vendor}, {REPEAT} requests each (ms)")
    print(f"{'members':>8}  {'account':<7} {'page':<22} {'queries':>7} {'median':>8} {'p95':>8}")
    for size, who, name, queries, median, p95 in rows:
        print(f"{size:>8}  {who:<7} {name:<22} {queries:>7} {median:>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
