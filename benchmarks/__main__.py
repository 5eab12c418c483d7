"""All benchmarks of the project in one run, on a scratch PostgreSQL database: one table.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench .venv/bin/python -m benchmarks
    ... -m benchmarks --sizes 1000,100000 --import-rows 100000
    ... -m benchmarks --quick          # 1,000 and 10,000 members, 10,000 rows, short loads

The database named by DATABASE_URL is DROPPED and created again, so its name must contain
"bench" or "scratch"; anything else is refused. Steps, in order:

1. For each size (ascending): ``fill_city`` brings the city up to that many members;
   the register list, a member's file page, the leaders' dashboard and the API list are
   asked through Django's test client (SQL queries, median and p95 ms); the city's bulletin
   is produced by ``manage.py generate_bulletin`` in a child process (seconds, peak RSS);
   gunicorn serves the app on loopback and a load generator in other processes
   (benchmarks.load) hits the API list with a token and a trivial view on the same server.
2. The register import (benchmarks.register_import) of ``--import-rows`` new people
   against the bare openpyxl read of the same file. It adds its own county.
3. The register import split per county (benchmarks.import_split): ``--split-rows`` people
   in ``--split-counties`` counties, checked and imported in this process, then by one
   and by two real Celery workers (CELERY_BROKER_URL, default Redis db 12); its own table.

A benchmark, not a test: it prints one Markdown table with each target and whether it was met.
"""

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025


def scratch_database() -> dict:
    """Parse DATABASE_URL; refuse anything that is not a PostgreSQL database named as scratch."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql") or not name:
        raise SystemExit(
            "python -m benchmarks needs DATABASE_URL pointing at a scratch PostgreSQL database, e.g.\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench .venv/bin/python -m benchmarks\n"
            f"(got {url!r})."
        )
    if "bench" not in name and "scratch" not in name:
        raise SystemExit(
            f"Refusing to use database {name!r}: the benchmark drops and recreates it. "
            "Name a scratch database whose name contains 'bench' or 'scratch'."
        )
    return {"name": name, "host": parts.hostname, "port": parts.port or 5432, "user": parts.username, "url": url}


def recreate(database: dict) -> None:
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        host=database["host"],
        port=database["port"],
        user=database["user"],
        password=os.environ.get("PGPASSWORD") or urlsplit(database["url"]).password,
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database["name"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database["name"]}"')
    connection.close()


def progress(text: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}\n")
    sys.stderr.flush()


def measure(client, url: str, repeat: int) -> tuple[int, float, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm caches and the connection
    assert response.status_code == 200, (url, response.status_code)
    timings, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    timings.sort()
    return queries, statistics.median(timings), timings[max(0, int(len(timings) * 0.95 + 0.5) - 1)]


def bulletin(region_code: str, media: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of the city's bulletin, made in a fresh child process."""
    from reports.models import BulletinJob

    BulletinJob.objects.filter(year=YEAR).delete()  # a rerun at the next size makes it anew
    started = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and command, fixed arguments
        [sys.executable, "manage.py", "generate_bulletin", "--year", str(YEAR), "--region", region_code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        env={**os.environ, "DJANGO_MEDIA_ROOT": media},
    )
    # The child's own high-water mark (VmHWM, reset at exec). Its ru_maxrss would not do:
    # Linux counts the parent's RSS at fork in it, and this process holds a whole city.
    peak = 0
    while child.poll() is None:
        peak = max(peak, high_water_kb(child.pid))
        time.sleep(0.05)
    if child.returncode:
        raise SystemExit(f"generate_bulletin failed ({child.returncode})")
    return time.perf_counter() - started, peak / 1024


def high_water_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(workers: int):
    """gunicorn on loopback with the benchmark settings; returns (process, base URL) once it answers."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own venv's gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "PYTHONWARNINGS": "ignore"},
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        time.sleep(0.2)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server, base
        except OSError:
            if server.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
    server.terminate()
    raise SystemExit("gunicorn did not answer within 20 s")


def load(url: str, seconds: float, token: str | None, concurrency: int, fresh: bool = False) -> dict:
    """Run benchmarks.load in a second process against ``url``."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.load",
        url,
        "--seconds",
        str(seconds),
        "--processes",
        "2",
        "--threads",
        str(max(1, concurrency // 2)),
    ]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    if fresh:
        command += ["--header", "Cache-Control: no-cache"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)  # noqa: S603
    return json.loads(done.stdout.strip().splitlines()[-1])


def throughput(args, token: str) -> tuple[dict, dict, dict]:
    """The trivial view, the API list as a client polling it gets it (the micro-cache of
    organization.api.caching, as in production), and the API list computed every time."""
    server, base = serve(args.workers)
    try:
        for url in (f"{base}/bench/trivial/", f"{base}/api/v1/members/"):
            load(url, 1, token, 2)  # warm every worker
        trivial = load(f"{base}/bench/trivial/", args.load_seconds, None, args.concurrency)
        api = load(f"{base}/api/v1/members/", args.load_seconds, token, args.concurrency)
        fresh = load(f"{base}/api/v1/members/", args.load_seconds, token, args.concurrency, fresh=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return trivial, api, fresh


def import_benchmark(rows: int) -> dict:
    from benchmarks import register_import as bench
    from members import importing

    places = bench.region_tree()
    user = bench.importing_user()
    bench.clear_county()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        bench.build(path, rows, places)
        read = bench.timed("openpyxl", rows, lambda: bench.read_openpyxl(path))
        full = bench.timed("import", rows, lambda: importing.import_register(path, user=user, reason="基准导入"))
    return {"read": read["rate"], "import": full["rate"], "seconds": full["seconds"], "counts": full["value"].counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="member counts, ascending (default 1000,100000)")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page and size")
    parser.add_argument("--load-seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections of the load generator")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 members, 10,000 rows, 5 s loads")
    parser.add_argument("--split-rows", type=int, default=40_000, help="rows of the split import (step 3)")
    parser.add_argument("--split-counties", type=int, default=8)
    parser.add_argument("--skip", default="", help="comma-separated: import,import_split,bulletin,load")
    args = parser.parse_args()
    if args.quick:
        args.sizes, args.import_rows, args.repeat, args.load_seconds = "1000,10000", 10_000, 8, 5
        args.split_rows = 10_000
    sizes = sorted(int(size) for size in args.sizes.split(","))
    skip = set(filter(None, args.skip.split(",")))

    database = scratch_database()
    recreate(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from assistance.models import VisitNote
    from members.models import Member
    from organization.choices import RegionLevel
    from organization.demo import build_demo_city
    from organization.models import Region, User
    from projects.models import IncomeProject
    from reports.management.commands._city import CityFiller
    from reports.services import tallies_refresh
    from training.models import Enrolment

    call_command("migrate", verbosity=0)
    build_demo_city()
    staff, leader = User.objects.get(username="city_staff"), User.objects.get(username="leader")
    token = Token.objects.get_or_create(user=staff)[0].key
    city = Region.objects.get(level=RegionLevel.CITY)
    media = tempfile.mkdtemp(prefix="bench-media-")
    rows, notes = [], []

    def row(measure, size, queries="", median=None, p95=None, figure="", target="", met=""):
        fmt = lambda v: "" if v is None else f"{v:,.1f}"  # noqa: E731
        rows.append([measure, f"{size:,}" if size else "", str(queries), fmt(median), fmt(p95), figure, target, met])

    pages = {}
    for size in sizes:
        have = Member.objects.count()
        if size > have:
            progress(f"fill_city up to {size:,} members")
            started = time.perf_counter()
            CityFiller(size - have).fill()
            notes.append(f"fill_city to {size:,} members: {time.perf_counter() - started:.0f} s")
        # A member with a project, a training place and visits: the fullest file page.
        member = (
            Member.objects.filter(pk__in=IncomeProject.objects.values("member_id"))
            .filter(pk__in=Enrolment.objects.values("member_id"))
            .filter(pk__in=VisitNote.objects.values("member_id"))
            .order_by("pk")
            .first()
        ) or Member.objects.order_by("pk").first()
        progress(f"villages' snapshot at {size:,} members")
        started = time.perf_counter()
        written = tallies_refresh(years=[YEAR])
        row(
            "villages' snapshot refresh (beat task)",
            size,
            "",
            None,
            None,
            f"{time.perf_counter() - started:.1f} s for {written:,} village rows of one year",
        )
        progress(f"pages at {size:,} members")
        for name, user, url in (
            ("register list /members/", staff, "/members/"),
            ("member file page", staff, f"/members/{member.pk}/"),
            ("dashboard (city), from the snapshot", leader, f"/reports/dashboard/{city.code}/?year={YEAR}"),
            ("dashboard (city), counted live", leader, f"/reports/dashboard/{city.code}/?year={YEAR}&live=1"),
            ("API list /api/v1/members/", staff, "/api/v1/members/"),
        ):
            # the API list computed every time, not the micro-cache (measured under load below)
            client = Client(HTTP_CACHE_CONTROL="no-cache") if name.startswith("API") else Client()
            client.force_login(user)
            queries, median, p95 = measure(client, url, args.repeat)
            pages.setdefault(name, []).append((size, queries, median, p95))
        if "bulletin" not in skip:
            progress(f"bulletin at {size:,} members")
            seconds, peak = bulletin(city.code, media)
            met = "yes" if seconds < 30 and peak < 500 else "no"
            row(
                "bulletin (city, .docx + .xlsx)",
                size,
                "",
                None,
                None,
                f"{seconds:.1f} s, {peak:.0f} MB peak RSS",
                "< 30 s, < 500 MB at 100k",
                met if size >= 100_000 else "",
            )
        if "load" not in skip:
            progress(f"gunicorn under load at {size:,} members")
            trivial, api, fresh = throughput(args, token)
            ratio = api["rps"] / trivial["rps"] if trivial["rps"] else 0
            fresh_ratio = fresh["rps"] / trivial["rps"] if trivial["rps"] else 0
            row(
                "API list under load, computed every time (Cache-Control: no-cache)",
                size,
                "",
                fresh["median_ms"],
                fresh["p95_ms"],
                f"{fresh['rps']:,.0f} req/s ({fresh['errors']} errors), {fresh_ratio:.2f} × trivial",
            )
            row(
                "trivial view, gunicorn",
                size,
                "",
                trivial["median_ms"],
                trivial["p95_ms"],
                f"{trivial['rps']:,.0f} req/s ({trivial['errors']} errors)",
            )
            row(
                "API list under load, gunicorn (10 s list cache, as production)",
                size,
                "",
                api["median_ms"],
                api["p95_ms"],
                f"{api['rps']:,.0f} req/s ({api['errors']} errors), {ratio:.2f} × trivial",
                "≥ 0.5 × trivial",
                "yes" if ratio >= 0.5 else "no",
            )

    for name, results in pages.items():
        same = len({queries for _size, queries, _m, _p in results}) == 1
        for size, queries, median, p95 in results:
            target, met = "queries equal at all sizes", "yes" if same else "no"
            if name == "dashboard (city), from the snapshot" and size >= 100_000:
                target += "; ≤ 15 queries, p95 < 300 ms at 100k"
                met = "yes" if same and queries <= 15 and p95 < 300 else "no"
            if name.startswith("API") and size >= 100_000:
                target += "; ≤ 10 queries, p95 ≤ 300 ms"
                met = "yes" if same and queries <= 10 and p95 <= 300 else "no"
            row(name, size, queries, median, p95, "", target, met)

    shutil.rmtree(media, ignore_errors=True)
    if "import" not in skip:
        progress(f"register import of {args.import_rows:,} rows")
        result = import_benchmark(args.import_rows)
        ratio = result["import"] / result["read"]
        row(
            "register import (all new) vs bare openpyxl read",
            args.import_rows,
            "",
            None,
            None,
            f"{result['import']:,.0f} vs {result['read']:,.0f} rows/s, ratio {ratio:.2f}",
            "ratio ≥ 1.0",
            "yes" if ratio >= 1.0 else "no",
        )

    split = None
    if "import_split" not in skip:
        from benchmarks import import_split

        progress(f"register import split per county: {args.split_rows:,} rows in {args.split_counties} counties")
        broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/12"
        split = import_split.measure(args.split_rows, args.split_counties, 3, broker)

    header = ["measure", "members/rows", "queries", "median ms", "p95 ms", "figure", "target", "met"]
    order = {name: i for i, name in enumerate(pages)}
    rows.sort(key=lambda r: (order.get(r[0], len(order)), r[0], int(r[1].replace(",", "") or 0)))
    out = sys.stdout
    out.write(
        f"\nBenchmarks on PostgreSQL {connection.pg_version // 10000} ({database['name']}), "
        f"{os.cpu_count()} CPUs, {args.repeat} requests per page, load {args.load_seconds:.0f} s at "
        f"{args.concurrency} connections against {args.workers} gunicorn workers\n\n"
    )
    out.write("| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n")
    for line in rows:
        out.write("| " + " | ".join(line) + " |\n")
    out.write("\n" + "\n".join(notes) + "\n")
    if split is not None:
        import_split.write_table(out, split, args.split_rows, args.split_counties, 3)


if __name__ == "__main__":
    main()
