"""Register import at 100,000 rows: the whole import against a bare openpyxl read of the same file.

    createdb -h 127.0.0.1 -U postgres pe_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench \\
        .venv/bin/python -m benchmarks.register_import --rows 100000

Builds a county register of ``--rows`` people × 20 columns with openpyxl (write-only, a
title row above the header, dates as date cells) in a temporary folder, then in one run
times: openpyxl reading it (read-only, values only: the floor any Excel import pays with
openpyxl), python-calamine reading it, the full import into the configured database
(read, check, write, history) of new people, and the same file again (every row
unchanged: nothing written). Prints one table with rows per second and the ratio to the
openpyxl read; the target is a ratio of at least 1.0 for the full import.

It makes its own region tree (河洛市基准 / 基准县 with 10 townships × 10 villages) and a
county account, and clears that county's members before it starts. A benchmark, not a
test: it prints figures and asserts nothing.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from benchmarks import register_rows  # noqa: E402
from members import idnumbers, importing  # noqa: E402
from members.models import FileNumberSequence, Member  # noqa: E402
from organization import services as organization_services  # noqa: E402
from organization.choices import RegionLevel, Role  # noqa: E402
from organization.models import Region, User  # noqa: E402

CITY, COUNTY = "429900000000", "429901000000"
PLACE = COUNTY[:6]
HEADER = register_rows.header(with_county=False)


def region_tree() -> list[tuple[str, str]]:
    """(township, village) names of the benchmark county, made once."""

    def region(code, name, level, parent=None, is_urban=False):
        existing = Region.objects.filter(code=code).first()
        return existing or organization_services.region_create(
            code=code, name=name, level=level, parent=parent, is_urban=is_urban
        )

    city = region(CITY, "河洛市基准", RegionLevel.CITY)
    county = region(COUNTY, "基准县", RegionLevel.COUNTY, city)
    places = []
    for t in range(1, 11):
        township = region(f"{COUNTY[:6]}{t:03d}000", f"基准{t}镇", RegionLevel.TOWNSHIP, county)
        for v in range(1, 11):
            name = f"基准{t}镇{v}村" if v < 10 else f"基准{t}镇社区"
            region(f"{COUNTY[:6]}{t:03d}{v:03d}", name, RegionLevel.VILLAGE, township, is_urban=v == 10)
            places.append((township.name, name))
    return places


def importing_user() -> User:
    user = User.objects.filter(username="bench_county").first()
    if user is None:
        county = Region.objects.get(code=COUNTY)
        user = organization_services.user_create(
            username="bench_county",
            password="Bench2026pass!",  # noqa: S106 - a local benchmark account
            display_name="基准县干部",
            role=Role.COUNTY_STAFF,
            region=county,
        )
    return user


def clear_county() -> None:
    """Remove the benchmark county's members and their history, so that every run creates."""
    county = Region.objects.get(code=COUNTY)
    history = Member.history.model
    ids = Member.objects.filter(county=county).values("id")
    with transaction.atomic():
        history.objects.filter(id__in=ids)._raw_delete(history.objects.db)
        Member.objects.filter(county=county)._raw_delete(Member.objects.db)
        FileNumberSequence.objects.filter(county=county).delete()
    if connection.vendor == "postgresql":
        # Dead rows of the previous run would slow this one's inserts: every run starts alike.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {Member._meta.db_table}, {history._meta.db_table}")


def build(path: Path, rows: int, places: list[tuple[str, str]]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("登记表")
    sheet.append(["基准县贫困党员登记造册"])
    sheet.append(HEADER)
    start = date(1966, 1, 1).toordinal()
    for n in range(rows):
        born = date.fromordinal(start + n % 7300)
        number = idnumbers.make(PLACE, born, 1 + 2 * (n // 7300))
        phone = f"138{n:08d}"
        sheet.append(
            register_rows.person_row(n, born=born, id_number=number, phone=phone, place=places[n % len(places)])
        )
    workbook.save(path)


def timed(label, rows, function):
    started = time.perf_counter()
    value = function()
    seconds = time.perf_counter() - started
    return {"label": label, "rows": rows, "seconds": seconds, "rate": rows / seconds, "value": value}


def read_openpyxl(path):
    workbook = load_workbook(path, read_only=True)
    count = sum(1 for _row in workbook.active.iter_rows(values_only=True))
    workbook.close()
    return count


def read_calamine(path):
    return sum(1 for _row in CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows())


def export(user, folder) -> int:
    from members import exporting, selectors

    with open(Path(folder) / "export.xlsx", "wb") as handle:
        return exporting.write_register(selectors.member_list(user=user), user=user, destination=handle)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-migrate", action="store_true", help="the database is migrated already")
    args = parser.parse_args()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    places = region_tree()
    user = importing_user()
    clear_county()
    history = Member.history.model
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.xlsx"
        built = timed("build the workbook (openpyxl write-only)", args.rows, lambda: build(path, args.rows, places))
        size = path.stat().st_size
        bare = timed("openpyxl read (read_only, values_only)", args.rows, lambda: read_openpyxl(path))
        calamine = timed("python-calamine read", args.rows, lambda: read_calamine(path))
        history_before = history.objects.count()
        first = timed(
            "import, all new (read, check, write, history)",
            args.rows,
            lambda: importing.import_register(path, user=user, reason="基准导入"),
        )
        new_history = history.objects.count() - history_before
        second = timed("import again, all unchanged", args.rows, lambda: importing.import_register(path, user=user))
        after_second = history.objects.count() - history_before
        exported = timed("export the register (登记造册, openpyxl write-only)", args.rows, lambda: export(user, folder))
    results = [built, bare, calamine, first, second, exported]
    say(
        f"\n{args.rows:,} rows × {len(HEADER)} columns, {size / 1e6:.1f} MB; database: {connection.vendor} "
        f"({connection.settings_dict['NAME']})\n"
    )
    say(f"{'step':<48} {'seconds':>8} {'rows/s':>9} {'÷ openpyxl read':>16}")
    for result in results:
        ratio = result["rate"] / bare["rate"]
        say(f"{result['label']:<48} {result['seconds']:>8.2f} {result['rate']:>9,.0f} {ratio:>16.2f}")
    say(
        f"\nfirst import: {first['value'].counts}; history rows written: {new_history:,}"
        f"\nsecond import: {second['value'].counts}; history rows written: {after_second - new_history:,}"
    )
    say(f"ratio full import ÷ openpyxl read: {first['rate'] / bare['rate']:.2f} (target ≥ 1.0)")
    say(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def say(text: str) -> None:
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
