"""Register import split per county: one process against one and two real Celery workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pe_bench_split \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
        .venv/bin/python -m benchmarks.import_split --rows 40000 --counties 8

The database named by DATABASE_URL is DROPPED and created again (its name must contain
"bench" or "scratch"); CELERY_BROKER_URL must name a Redis database (default db 12).

Builds a city register (a title row, 21 columns with 县区, dates as date cells) of
``--rows`` new people in ``--counties`` counties of 5 townships × 10 villages, the
counties one after the other as a city compiles its counties' registers, and uploads it
as a city account's batch. Then, ``--repeat`` rounds (each mode once per round, so that
other load on the machine falls on all alike), it times from the upload to the preview
(check) and from the confirmation to done (run):

- unsplit: ``importing.batch_preview`` and ``importing.batch_run`` in this process;
- split, 1 worker / 2 workers: ``check_import_batch`` / ``run_import_batch`` sent to real
  ``celery worker`` processes (prefork, one child each, as tests/faults starts them) that
  split the file per county (members.import_parts), whatever its size.

For the split runs the batch's progress is polled every 50 ms, which splits the time
into grouping (until the parts are sent), parts (until the last part is done) and
finishing (merge, then the preview stored or the one transaction's write). The members
written are removed (and the tables vacuumed) before each run. Prints a Markdown table
of medians. A benchmark, not a test: it asserts only that every batch ended as expected.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchmarks import register_rows

ROOT = Path(__file__).resolve().parent.parent
CITY = "429800000000"
TOWNSHIPS, VILLAGES = 5, 10
HEADER = register_rows.header(with_county=True)
MODES = ("unsplit", "split, 1 worker", "split, 2 workers")
POLL = 0.05


def county_code(n: int) -> str:
    return f"{CITY[:4]}{n:02d}000000"


def region_tree(counties: int) -> list[list[tuple[str, str, str]]]:
    """Per county, its (county, township, village) names; the regions are made once."""
    from organization import services
    from organization.choices import RegionLevel
    from organization.models import Region

    def region(code, name, level, parent=None, is_urban=False):
        existing = Region.objects.filter(code=code).first()
        return existing or services.region_create(code=code, name=name, level=level, parent=parent, is_urban=is_urban)

    city = region(CITY, "拆分基准市", RegionLevel.CITY)
    places = []
    for c in range(1, counties + 1):
        county = region(county_code(c), f"拆分{c}县", RegionLevel.COUNTY, city)
        own = []
        for t in range(1, TOWNSHIPS + 1):
            township = region(f"{county.code[:6]}{t:03d}000", f"拆分{c}县{t}镇", RegionLevel.TOWNSHIP, county)
            for v in range(1, VILLAGES + 1):
                name = f"拆分{c}县{t}镇{v}村" if v < VILLAGES else f"拆分{c}县{t}镇社区"
                region(f"{county.code[:6]}{t:03d}{v:03d}", name, RegionLevel.VILLAGE, township, is_urban=v == VILLAGES)
                own.append((county.name, township.name, name))
        places.append(own)
    return places


def city_user():
    from organization import services
    from organization.choices import Role
    from organization.models import Region, User

    user = User.objects.filter(username="bench_split_city").first()
    return user or services.user_create(
        username="bench_split_city",
        password="Bench2026pass!",  # noqa: S106 - a local benchmark account
        display_name="拆分基准市干部",
        role=Role.CITY_STAFF,
        region=Region.objects.get(code=CITY),
    )


def build(path: Path, rows: int, places: list[list[tuple[str, str, str]]]) -> None:
    from openpyxl import Workbook

    from members import idnumbers

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("登记表")
    sheet.append(["拆分基准市贫困党员登记造册"])
    sheet.append(HEADER)
    start = date(1966, 1, 1).toordinal()
    counties = len(places)
    for n in range(rows):
        c = n * counties // rows  # the counties one after the other
        k = n - c * rows // counties  # the row within its county
        born = date.fromordinal(start + k % 7300)
        number = idnumbers.make(county_code(c + 1)[:6], born, 1 + 2 * (k // 7300))
        place = places[c][k % len(places[c])]
        sheet.append(register_rows.person_row(n, born=born, id_number=number, phone=f"139{n:08d}", place=place))
    workbook.save(path)


def clear_city() -> None:
    """Remove the benchmark city's members and their history: every run creates them all."""
    from django.db import connection, transaction

    from members.models import FileNumberSequence, Member
    from organization.models import Region

    counties = Region.objects.filter(parent__code=CITY)
    history = Member.history.model
    ids = Member.objects.filter(county__in=counties).values("id")
    with transaction.atomic():
        history.objects.filter(id__in=ids)._raw_delete(history.objects.db)
        Member.objects.filter(county__in=counties)._raw_delete(Member.objects.db)
        FileNumberSequence.objects.filter(county__in=counties).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Member._meta.db_table}, {history._meta.db_table}")


def start_workers(queues: list[str], env: dict, logs: Path) -> list[subprocess.Popen]:
    """One `celery worker` per entry of ``queues`` (comma-separated queues), prefork, one child."""
    workers = []
    for n, queue in enumerate(queues, 1):
        workers.append(
            subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "benchmarks.import_split",
                    "worker",
                    "--pool=prefork",
                    "--concurrency=1",
                    "-n",
                    f"split{n}-{os.getpid()}@bench",
                    "-Q",
                    queue,
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "warning",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=(logs / f"worker{n}.log").open("w"),
            )
        )
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)


def wait(batch, busy: str, stages: dict, started: float, limit: float = 600) -> None:
    """Poll the batch until it leaves ``busy``; note when the parts were sent and all done."""
    while True:
        batch.refresh_from_db(fields=["status", "progress", "progress_note"])
        now = time.perf_counter() - started
        if batch.status != busy:
            return
        if batch.progress_note.startswith("正在按县区检查"):
            stages.setdefault("grouped", now)
            if batch.progress >= 90:
                stages.setdefault("parts", now)
        if now > limit:
            raise SystemExit(f"batch {batch.pk} still {busy} after {limit:.0f} s")
        time.sleep(POLL)


def one_round(mode: str, path: Path, user, queues: dict) -> dict:
    """Upload, check and run the file once in ``mode``; seconds of each phase and its stages."""
    from django.core.files import File

    from members import import_parts, importing, tasks
    from members.models import ImportBatchStatus

    clear_city()
    with path.open("rb") as handle:
        batch = importing.batch_create(user=user, upload=File(handle, "register.xlsx"), original_name="登记表.xlsx")
    result = {}
    for phase in (import_parts.CHECK, import_parts.RUN):
        stages: dict = {}
        if phase == import_parts.RUN:
            batch = importing.batch_confirm(batch, user=user)
        started = time.perf_counter()
        if mode == "unsplit" and phase == import_parts.CHECK:
            importing.batch_preview(batch)
        elif mode == "unsplit":
            importing.batch_run(batch.pk)
        elif phase == import_parts.CHECK:
            tasks.check_import_batch.apply_async(args=[batch.pk], queue=queues[mode])
            wait(batch, ImportBatchStatus.CHECKING, stages, started)
        else:
            tasks.run_import_batch.apply_async(args=[batch.pk], queue=queues[mode])
            # QUEUED until a worker claims it, then RUNNING
            wait(batch, ImportBatchStatus.QUEUED, stages, started)
            wait(batch, ImportBatchStatus.RUNNING, stages, started)
        seconds = time.perf_counter() - started
        batch.refresh_from_db()
        expected = ImportBatchStatus.PREVIEWED if phase == import_parts.CHECK else ImportBatchStatus.DONE
        if batch.status != expected:
            raise SystemExit(f"{mode}, {phase}: batch {batch.pk} is {batch.status}: {batch.message}")
        parts = import_parts.summary(batch.pk, phase)
        if (parts is None) != (mode == "unsplit"):
            raise SystemExit(f"{mode}, {phase}: split was {parts is not None}")
        workers = {part["worker"] for part in parts or []}
        if mode == "split, 2 workers" and len(workers) != 2:
            progress(f"  note: {phase} parts all on {workers}")
        result[phase] = {"seconds": seconds, "stages": stages, "workers": len(workers)}
    return result


def progress(text: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S', time.gmtime())} UTC] {text}\n")
    sys.stderr.flush()


def measure(rows: int, counties: int, repeat: int, broker: str) -> dict:
    """Build the file and time every mode ``repeat`` times (Django set up, database migrated)."""
    from django.db import connection
    from django.test.utils import override_settings

    from config.celery import app

    media = Path(tempfile.mkdtemp(prefix="bench-split-"))
    tag = f"bench-split-{os.getpid()}"
    queues = {"split, 1 worker": f"{tag}-one", "split, 2 workers": f"{tag}-two"}
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
        + db["NAME"],
        "CELERY_BROKER_URL": broker,
        "DJANGO_MEDIA_ROOT": str(media),
        "PYTHONWARNINGS": "ignore",
    }
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=broker, task_always_eager=False)
    app._pool = app.amqp._producer_pool = None
    # The first worker serves both queues, the second only the two-worker queue: the modes
    # alternate within a round without restarting workers.
    workers = start_workers([",".join(queues.values()), queues["split, 2 workers"]], env, media)
    times: dict = {mode: [] for mode in MODES}
    try:
        with override_settings(MEDIA_ROOT=str(media)):
            places = region_tree(counties)
            user = city_user()
            path = media / "register.xlsx"
            progress(f"building a workbook of {rows:,} rows in {counties} counties")
            build(path, rows, places)
            names = [f"split{n}-{os.getpid()}@bench" for n in (1, 2)]
            deadline = time.monotonic() + 60
            while len(app.control.ping(destination=names, timeout=0.5)) < 2:
                if time.monotonic() > deadline or any(worker.poll() is not None for worker in workers):
                    raise SystemExit("the workers did not start: " + (media / "worker1.log").read_text()[-2000:])
            for n in range(repeat):
                for mode in MODES:
                    progress(f"round {n + 1}/{repeat}: {mode}")
                    times[mode].append(one_round(mode, path, user, queues))
        clear_city()
    finally:
        stop_workers(workers)
        app.conf.update(saved)
        app._pool = app.amqp._producer_pool = None
        with app.connection_for_write() as connection_:
            for queue in queues.values():  # this run's own queues: nothing is left in Redis
                connection_.default_channel.client.delete(
                    queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
                )
        shutil.rmtree(media, ignore_errors=True)
    return times


def _median(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else ""


def table(times: dict, rows: int, counties: int) -> list[list[str]]:
    """[phase, mode, median s, min–max s, grouping, parts, finishing, vs unsplit] per phase and mode."""
    lines = []
    for phase in ("check", "run"):
        base = statistics.median(r[phase]["seconds"] for r in times["unsplit"])
        for mode in MODES:
            runs = [r[phase] for r in times[mode]]
            seconds = [r["seconds"] for r in runs]
            grouped = [r["stages"]["grouped"] for r in runs if "grouped" in r["stages"]]
            parts = [r["stages"]["parts"] - r["stages"]["grouped"] for r in runs if len(r["stages"]) == 2]
            finish = [r["seconds"] - r["stages"]["parts"] for r in runs if "parts" in r["stages"]]
            lines.append(
                [
                    phase,
                    mode,
                    f"{statistics.median(seconds):.1f}",
                    f"{min(seconds):.1f}–{max(seconds):.1f}",
                    _median(grouped),
                    _median(parts),
                    _median(finish),
                    f"{statistics.median(seconds) / base:.2f}",
                ]
            )
    return lines


def write_table(out, times: dict, rows: int, counties: int, repeat: int) -> None:
    from django.db import connection

    out.write(
        f"\nRegister import of {rows:,} new people in {counties} counties, PostgreSQL "
        f"{connection.pg_version // 10000} ({connection.settings_dict['NAME']}), {os.cpu_count()} CPUs; "
        f"median of {repeat} (wall seconds from the request to the preview stored / the batch done)\n\n"
    )
    header = ["phase", "mode", "median s", "min–max s", "grouping s", "parts s", "finishing s", "÷ unsplit"]
    out.write("| " + " | ".join(header) + " |\n|" + "|".join("---" for _ in header) + "|\n")
    for line in table(times, rows, counties):
        out.write("| " + " | ".join(line) + " |\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--counties", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from benchmarks.__main__ import recreate, scratch_database

    database = scratch_database()
    broker = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/12"
    recreate(database)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    times = measure(args.rows, args.counties, args.repeat, broker)
    write_table(sys.stdout, times, args.rows, args.counties, args.repeat)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    main()
else:
    # The workers' app (`celery -A benchmarks.import_split worker`).
    from celery.signals import worker_process_init

    from config.celery import app

    @worker_process_init.connect
    def split_always(**kwargs):
        """The test settings run tasks in-process: here the parts go to the broker, as in
        production. And both phases of every file of two counties are split, whatever the
        rule of import_parts.phase_is_split, so that the split can be compared with it."""
        from django.conf import settings

        app.conf.task_always_eager = False
        settings.REGISTER_IMPORT_SPLIT_ROWS = 0
        settings.REGISTER_IMPORT_SPLIT_CHECK = settings.REGISTER_IMPORT_SPLIT_RUN = True
