"""A large register, checked per county in parallel subtasks and merged; written in one transaction.

The steps (members.tasks sends them; in-process they run one after the other):

1. ``split_file`` (the coordinator): reads the stored workbook once, sorts its person rows
   by the county their place resolves to (rows that resolve to none form a part of their
   own) and writes each part's rows to MEDIA_ROOT/imports/parts/<batch>/<phase>/. Only
   a phase that ``phase_is_split`` (settings; off by default) gets here. The ID
   numbers are read here too, so that a row whose ID number first appears in another
   county's part is known to every part (``job["repeats"]``). A file with one county, or
   with no more than ``split_row_threshold()`` person rows, is not split (None).
2. ``check_part`` (one per county, any worker): the row checks and the plan of
   members.importing (villages, existing members, in-part duplicates) for its rows; the
   rows repeated from another part are left to the merge. The result goes to a part file,
   meta last, attempts counted beside it (capped at importing.MAX_ATTEMPTS).
3. ``merge`` / ``finish`` (the last part sends it): the parts in row order, the ID numbers
   repeated across counties settled as plan_rows settles them, then the preview stored
   (check) or everything written in ONE transaction (run) with the batch row locked, as
   importing.batch_run does. What crosses counties is only the ID number: the other
   file-wide check (same name, birth date and 乡镇) never does, a 乡镇 lying in one county.

The join is through the files, not a Celery chord (no result backend), as for the bulletin.
"""

import json
import logging
import os
import re
import shutil
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from operator import attrgetter
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from organization.choices import RegionLevel
from organization.models import Region

from . import importing, register_columns
from .models import ImportBatch, ImportBatchStatus, Member, TrackDecision

logger = logging.getLogger(__name__)

CHECK, RUN = "check", "run"
NO_COUNTY = "none"
STATUS = {CHECK: ImportBatchStatus.CHECKING, RUN: ImportBatchStatus.RUNNING}


def split_row_threshold() -> int:
    """A file is split only above this many person rows (and with two counties or more)."""
    return getattr(settings, "REGISTER_IMPORT_SPLIT_ROWS", importing.async_row_threshold())


def phase_is_split(phase: str) -> bool:
    """Whether a large file's check / confirmed run is split at all: neither by default. With two
    workers at 8 counties neither finished reliably sooner, the run never (its write stays one
    transaction on one worker); docs/performance.md, "Register import split per county"."""
    if phase == RUN:
        return bool(getattr(settings, "REGISTER_IMPORT_SPLIT_RUN", False))
    return bool(getattr(settings, "REGISTER_IMPORT_SPLIT_CHECK", False))


def part_directory(batch_id: int, phase: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "parts" / str(batch_id) / phase


def summary_path(batch_id: int, phase: str) -> Path:
    """Which worker checked which county, kept after the parts are cleared."""
    return Path(settings.MEDIA_ROOT) / "imports" / "parts" / str(batch_id) / f"{phase}.json"


def summary(batch_id: int, phase: str) -> list[dict] | None:
    path = summary_path(batch_id, phase)
    return json.loads(path.read_text())["parts"] if path.exists() else None


def _write_atomically(path: Path, text: str) -> None:
    scratch = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    scratch.write_text(text, encoding="utf-8")
    os.replace(scratch, path)


# --- cells and members as JSON lines ---------------------------------------------------------


def _encode(value):
    """What json cannot write: the dates and times calamine gives, Decimals of the members."""
    if isinstance(value, datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, date):
        return ["d", value.isoformat()]
    if isinstance(value, clock):
        return ["t", value.isoformat()]
    if isinstance(value, timedelta):
        return ["td", value.total_seconds()]
    if isinstance(value, Decimal):
        return ["dec", str(value)]
    raise TypeError(type(value).__name__)


_DECODE = {
    "dt": datetime.fromisoformat,
    "d": date.fromisoformat,
    "t": clock.fromisoformat,
    "td": lambda seconds: timedelta(seconds=seconds),
    "dec": Decimal,
}


def _decode(value):
    # Only called on cells: never lists, except tagged ones.
    if value.__class__ is list:
        return _DECODE[value[0]](value[1])
    return value


_MEMBER_FIELDS = Member._meta.concrete_fields
_MEMBER_ATTNAMES = [field.attname for field in _MEMBER_FIELDS]
_TAGGED_FIELDS = tuple(
    index
    for index, field in enumerate(_MEMBER_FIELDS)
    if isinstance(field, models.DateField | models.DecimalField)  # DateTimeField is a DateField
)


def _member_values(member: Member) -> list:
    return [getattr(member, attname) for attname in _MEMBER_ATTNAMES]


def _member_from(values: list, *, adding: bool) -> Member:
    """The member a part planned, as the write needs it: its fields' values, nothing else.

    Model.__init__ would cost more than the write of the row (it sets each field through
    its descriptor); the values were a Member's own, so they are put in place as they are.
    """
    for index in _TAGGED_FIELDS:
        if values[index].__class__ is list:
            values[index] = _DECODE[values[index][0]](values[index][1])
    member = Member.__new__(Member)
    member.__dict__.update(zip(_MEMBER_ATTNAMES, values, strict=True))
    member._state = ModelState()
    member._state.adding, member._state.db = adding, None if adding else connection.alias
    return member


def _row_line(row: importing.RegisterRow, key: str | None, *, with_member: bool) -> str:
    data = {
        "n": row.number,
        "a": row.action,
        "name": row.name,
        "id": row.id_number,
        "e": row.errors,
        "o": row.notes,
        "k": key,
    }
    if with_member and row.action in (importing.CREATED, importing.UPDATED):
        data["m"] = _member_values(row.member)
        data["c"] = row.changed
        data["l"] = row.lapsed.pk if row.lapsed is not None else None
    return json.dumps(data, ensure_ascii=False, default=_encode)


def _row_from(data: dict) -> importing.RegisterRow:
    row = importing.RegisterRow(
        number=data["n"],
        errors=[(column, message) for column, message in data["e"]],
        notes=data["o"],
        name=data["name"],
        id_number=data["id"],
        action=data["a"],
    )
    if "m" in data:
        row.member = _member_from(data["m"], adding=row.action == importing.CREATED)
        row.changed = tuple(data["c"])
        row.lapsed = TrackDecision(pk=data["l"]) if data["l"] is not None else None
    return row


# --- 1. the coordinator: read once, sort the rows by county ---------------------------------


def _sheet(job: dict, rows, row_count: int = 0) -> importing.RegisterSheet:
    info = job["sheet"]
    return importing.RegisterSheet(
        name=info["name"],
        header_row=info["header_row"],
        col_offset=info["col_offset"],
        columns=info["columns"],
        headers=info["headers"],
        top_rows=[],
        merged=[],
        rows=rows,
        row_count=row_count,
    )


_CANONICAL_ID = re.compile(r"\d{17}[\dX]")


def _id_key(cells: list, col: int) -> str:
    """The row's ID number as check_rows reads it, for finding it in another part. A cell that
    is already in the normal form is its own key, unvalidated: validating every row's number
    was a third of the grouping, and only a number seen in two parts needs it (split_file).
    A bad number in that form matches only itself, so it cannot be taken for a valid one."""
    raw = cells[col] if col < len(cells) else None
    if raw.__class__ is str and len(raw) == 18 and _CANONICAL_ID.fullmatch(raw):
        return raw
    return importing.id_of(cells, col)


def load_job(batch_id: int, phase: str) -> dict | None:
    path = part_directory(batch_id, phase) / "job.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def may_span_counties(user) -> bool:
    """Only a city's account can import rows of two counties: anyone else's villages are in one."""
    return user.is_superuser or (user.region is not None and user.region.level == RegionLevel.CITY)


def split_file(batch: ImportBatch, phase: str) -> dict | None:
    """Read the batch's workbook once and write each county's person rows to its part's input.

    Returns the job (also written to job.json, last), or None when the file is not worth
    splitting; then nothing is left behind. Raises what read_register raises.
    """
    job = load_job(batch.pk, phase)
    if job is not None:
        return job  # a redelivered coordinator: the split was made
    user = batch.created_by
    importing._require_import_permission(user)
    if not may_span_counties(user):
        return None  # not worth reading the file to find out
    directory = part_directory(batch.pk, phase)
    directory.mkdir(parents=True, exist_ok=True)
    token = uuid.uuid4().hex
    scratch: dict[str, Path] = {}
    handles = {}
    counts: Counter = Counter()
    first: dict[str, tuple[int, str]] = {}
    repeats: dict[str, int] = {}
    shared: set[str] = set()
    try:
        with batch.file.open("rb") as source:
            sheet = importing.read_register(source)
            columns = sheet.columns
            person_columns = [
                col for key, col in columns.items() if key not in register_columns.IGNORED_COLUMNS and key != "seq"
            ]
            place_cols = [columns.get("village"), columns.get("township"), columns.get("county")]
            id_col = columns["id_number"]
            by_name = importing.villages_by_name(user)
            for number, cells in sheet.rows:
                if not importing._holds_person(cells, columns, person_columns):
                    continue
                candidates = importing.village_candidates(importing.place_of(cells, place_cols), by_name)
                key = str(candidates[0].parent.parent_id) if len(candidates) == 1 else NO_COUNTY
                if key not in handles:
                    scratch[key] = directory / f"{key}.rows.{token}.tmp"
                    handles[key] = scratch[key].open("w", encoding="utf-8")
                handles[key].write(json.dumps([number, cells], ensure_ascii=False, default=_encode) + "\n")
                counts[key] += 1
                id_number = _id_key(cells, id_col)
                if id_number:
                    seen = first.setdefault(id_number, (number, key))
                    # validated only when seen in two parts: its first row's number is then valid too
                    if seen[1] != key and importing.id_of(cells, id_col):
                        repeats[str(number)] = seen[0]
                        shared.add(id_number)
    finally:
        for handle in handles.values():
            handle.close()
    counties = {
        str(region.pk): region for region in Region.objects.filter(pk__in=[k for k in counts if k != NO_COUNTY])
    }
    if len(counties) < 2 or sum(counts.values()) <= split_row_threshold():
        for path in scratch.values():
            path.unlink(missing_ok=True)
        return None
    for key, path in scratch.items():
        os.replace(path, directory / f"{key}.rows")
    keys = sorted(counties, key=lambda k: counties[k].code) + ([NO_COUNTY] if NO_COUNTY in counts else [])
    job = {
        "phase": phase,
        "today": timezone.localdate().isoformat(),
        "sheet": {
            "name": sheet.name,
            "header_row": sheet.header_row,
            "col_offset": sheet.col_offset,
            "columns": sheet.columns,
            "headers": sheet.headers,
        },
        "parts": keys,
        "names": {key: counties[key].name if key in counties else "" for key in keys},
        "rows": dict(counts),
        "repeats": repeats,  # row number → the row of another part where its ID number first appears
        "shared": sorted(shared),  # the ID numbers in rows of two parts or more
    }
    _write_atomically(directory / "job.json", json.dumps(job, ensure_ascii=False))
    return job


# --- 2. one county's part ---------------------------------------------------------------------


def _input_rows(path: Path):
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            number, cells = json.loads(line)
            yield number, [_decode(cell) for cell in cells]


def check_part(batch: ImportBatch, phase: str, key: str, *, worker: str) -> dict | None:
    """Check and plan one part (once: a part already done is returned as it is); None if capped."""
    directory = part_directory(batch.pk, phase)
    meta = directory / f"{key}.json"
    if meta.exists():
        return json.loads(meta.read_text(encoding="utf-8"))
    tries = directory / f"{key}.attempts"
    attempts = int(tries.read_text() or 0) + 1 if tries.exists() else 1
    if attempts > importing.MAX_ATTEMPTS:
        fail(batch.pk, phase, _capped_message(phase, attempts - 1))
        return None
    tries.write_text(str(attempts))
    started = time.monotonic()
    job = load_job(batch.pk, phase)
    user = batch.created_by
    sheet = _sheet(job, _input_rows(directory / f"{key}.rows"), job["rows"][key])
    rows = importing.check_rows(sheet, user=user)
    shared, repeats = set(job["shared"]), job["repeats"]
    # Taken before planning (which clears the values); equal exactly when plan_rows would find them equal.
    keys = {row.number: importing.values_key(row.values) for row in rows if row.id_number in shared}
    elsewhere = frozenset(row.number for row in rows if str(row.number) in repeats)
    importing.plan_rows(rows, user=user, today=date.fromisoformat(job["today"]), elsewhere=elsewhere)
    token = uuid.uuid4().hex
    scratch = directory / f"{key}.result.{token}.tmp"
    with scratch.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(_row_line(row, keys.get(row.number), with_member=phase == RUN) + "\n")
    os.replace(scratch, directory / f"{key}.result")
    data = {
        "key": key,
        "county": job["names"][key],
        "rows": len(rows),
        "worker": worker,
        "seconds": round(time.monotonic() - started, 3),
    }
    _write_atomically(meta, json.dumps(data, ensure_ascii=False))  # last: the part is done once this exists
    _progress(batch.pk, phase, job)
    return data


def done_parts(batch_id: int, phase: str) -> list[dict] | None:
    """The parts' descriptions in county order, or None while any is missing."""
    job = load_job(batch_id, phase)
    if job is None:
        return None
    directory = part_directory(batch_id, phase)
    parts = []
    for key in job["parts"]:
        meta = directory / f"{key}.json"
        if not meta.exists():
            return None
        parts.append(json.loads(meta.read_text(encoding="utf-8")))
    return parts


def progress_note(done: int, total: int) -> str:
    if not done:
        return _("正在按县区检查（%(n)s个）") % {"n": total}
    return _("正在按县区检查（%(done)s / %(n)s个已完成）") % {"done": done, "n": total}


def _progress(batch_id: int, phase: str, job: dict) -> None:
    directory = part_directory(batch_id, phase)
    done = sum(1 for key in job["parts"] if (directory / f"{key}.json").exists())
    total = len(job["parts"])
    # Filtered by status: a late part must not write over a finished batch's 100 %.
    ImportBatch.objects.filter(pk=batch_id, status=STATUS[phase]).update(
        progress=10 + 80 * done // total, progress_note=progress_note(done, total)[:128], updated_at=timezone.now()
    )


def started(batch_id: int, phase: str, job: dict) -> None:
    ImportBatch.objects.filter(pk=batch_id, status=STATUS[phase]).update(
        progress=10, progress_note=progress_note(0, len(job["parts"]))[:128], updated_at=timezone.now()
    )


# --- 3. the merge and the finishing step ------------------------------------------------------


def merge(batch_id: int, phase: str) -> importing.ImportResult:
    """The parts' rows in row order, with the ID numbers repeated across parts settled."""
    job = load_job(batch_id, phase)
    directory = part_directory(batch_id, phase)
    rows: list[importing.RegisterRow] = []
    keys: dict[int, str] = {}
    for key in job["parts"]:
        with (directory / f"{key}.result").open(encoding="utf-8") as handle:
            for line in handle:
                data = json.loads(line)
                rows.append(_row_from(data))
                if data["k"] is not None:
                    keys[data["n"]] = data["k"]
    rows.sort(key=attrgetter("number"))
    by_number = {row.number: row for row in rows}
    for number, first in sorted((int(n), f) for n, f in job["repeats"].items()):
        row, first_row = by_number[number], by_number[first]
        importing.settle_repeat(row, first_row, same_values=keys[number] == keys[first])
    return importing.ImportResult(sheet=_sheet(job, []), rows=rows)


def _taken_since_checked(rows: list[importing.RegisterRow]) -> None:
    """A file the parts planned to create was created meanwhile (the parts read outside this
    transaction): plan again, as when a file to update changed."""
    ids = [row.id_number for row in rows if row.action == importing.CREATED]
    if connection.vendor == "postgresql":
        # One array parameter: 40,000 ids as IN lists cost 0.7 s, most of it building the SQL.
        with connection.cursor() as cursor:
            table = Member._meta.db_table
            cursor.execute(f"SELECT 1 FROM {table} WHERE id_number = ANY(%s) LIMIT 1", [ids])  # noqa: S608 - our table
            if cursor.fetchone():
                raise importing.ConcurrentChange(None)
        return
    for start in range(0, len(ids), importing.LOOKUP_CHUNK):
        if Member.objects.filter(id_number__in=ids[start : start + importing.LOOKUP_CHUNK]).exists():
            raise importing.ConcurrentChange(None)


def finish(batch_id: int, phase: str) -> str:
    """Merge the parts and store the preview (check) or write the batch in one transaction (run).

    Holds the batch row's lock, as batch_run does: a second finishing step at once finds it
    locked and returns; a dead one loses its transaction and its lock, and is counted.
    """
    batch = None
    try:
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .select_related("created_by")
                .filter(pk=batch_id, status=STATUS[phase])
                .first()
            )
            if batch is None:
                return "skipped"  # finished, failed, or being finished by another worker
            parts = done_parts(batch_id, phase)
            if parts is None:
                return "waiting"  # the last part sends this again
            tries = part_directory(batch_id, phase) / "finish.attempts"
            attempts = int(tries.read_text() or 0) + 1 if tries.exists() else 1
            if attempts > importing.MAX_ATTEMPTS:
                fail(batch_id, phase, _capped_message(phase, attempts - 1))
                return "failed"
            tries.write_text(str(attempts))
            result = merge(batch_id, phase)
            if phase == CHECK:
                importing._store_result(batch, result)
                batch.status, batch.progress, batch.progress_note, batch.message = (
                    ImportBatchStatus.PREVIEWED,
                    100,
                    "",
                    "",
                )
                batch.save()
            else:
                _write(batch, result)
    except Exception as error:  # noqa: BLE001 - recorded on the batch for its page; nothing was written
        logger.exception("import batch %s: finishing the %s failed", batch_id, phase)
        if phase == RUN and batch is not None:
            importing.fail_run(batch, error)  # the message batch_run gives for the same error
        fail(batch_id, phase, _failed_message(phase, error))  # (a no-op on the status if already failed)
        return "failed"
    summary_path(batch_id, phase).write_text(json.dumps({"parts": parts}, ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(part_directory(batch_id, phase), ignore_errors=True)
    return "done"


def _write(batch: ImportBatch, result: importing.ImportResult) -> None:
    """All the parts' rows in the caller's transaction; a file changed since the parts read it
    makes the whole batch be planned again here, from the stored file (importing.execute_batch)."""
    batch.change_reason = importing._batch_reason(batch)
    try:
        with transaction.atomic():
            _taken_since_checked(result.rows)
            result.history_from, result.history_to = importing.write_rows(
                result.rows,
                user=batch.created_by,
                reason=batch.change_reason,
                progress=importing._progress_for(batch, cached=True),
            )
    except importing.ConcurrentChange:
        importing.execute_batch(batch)
        return
    finally:
        cache.delete(importing.PROGRESS_CACHE_KEY % batch.pk)
    importing.record_done(batch, result)


# --- failures ---------------------------------------------------------------------------------


def _capped_message(phase: str, attempts: int) -> str:
    if phase == CHECK:
        return _("文件检查已开始%(n)s次仍未完成，已停止。请检查文件后重新上传。") % {"n": attempts}
    return _("导入已开始%(n)s次仍未完成，已停止，没有写入任何数据。请检查文件后重新上传。") % {"n": attempts}


def _failed_message(phase: str, error: Exception) -> str:
    if phase == CHECK:
        return _("文件检查失败（%(error)s）。请稍后重新上传，或联系管理员。") % {"error": type(error).__name__}
    return _("导入失败，没有写入任何数据（%(error)s）。请稍后重试，或联系管理员。") % {"error": type(error).__name__}


def fail(batch_id: int, phase: str, message: str) -> None:
    """Fail the batch (if still checking or running) and clear its parts."""
    ImportBatch.objects.filter(pk=batch_id, status=STATUS[phase]).update(
        status=ImportBatchStatus.FAILED, message=message, finished_at=timezone.now(), updated_at=timezone.now()
    )
    shutil.rmtree(part_directory(batch_id, phase), ignore_errors=True)


def fail_part(batch_id: int, phase: str, error: Exception) -> None:
    logger.exception("import batch %s: a part of the %s failed", batch_id, phase)
    fail(batch_id, phase, _failed_message(phase, error))


def discard(batch_id: int, phase: str) -> None:
    shutil.rmtree(part_directory(batch_id, phase), ignore_errors=True)


def refuse(batch_id: int, phase: str) -> None:
    """The broker would not take the parts: as when it refuses the batch's own message."""
    shutil.rmtree(part_directory(batch_id, phase), ignore_errors=True)
    if phase == CHECK:
        fail(batch_id, phase, _("任务队列暂时不可用，文件未能完成检查。请稍后重新上传；如持续出现，请联系管理员。"))
        return
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatchStatus.RUNNING).update(
        status=ImportBatchStatus.PREVIEWED,
        confirmed_at=None,
        progress=0,
        progress_note="",
        message=_("任务队列暂时不可用，导入未能开始，没有写入任何数据。请稍后再点“确认导入”。"),
        updated_at=timezone.now(),
    )
