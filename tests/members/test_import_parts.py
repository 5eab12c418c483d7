"""A large register split per county (members.import_parts): the split, the merge, redelivery,
the attempts cap, and that the split gives exactly what the one-process import gives."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction

from members import idnumbers, import_parts, importing, tasks
from members.models import ImportBatch, ImportBatchStatus, Member
from tests.members import workbooks
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db

HEADER = [*workbooks.STANDARD_HEADER, "乡镇（街道）"]
B_START = 3000  # 白河县's people are numbered from here (distinct from 青山县's)
VOLATILE = {"id", "created_at", "updated_at", "history_id", "history_date"}


class WorkerDied(BaseException):
    """Like SIGKILL: nothing in the task gets to handle it."""


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.REGISTER_IMPORT_SPLIT_ROWS = 0  # split whatever has two counties
    # both phases split (off by default: see the test below)
    settings.REGISTER_IMPORT_SPLIT_CHECK = settings.REGISTER_IMPORT_SPLIT_RUN = True


def two_county_register(tree, per_county: int = 12) -> tuple[bytes, dict]:
    """Rows of 青山县 and 白河县 interleaved, with the cases that cross counties or stay in one.

    Returns the workbook and the row numbers of the cases (the header is row 1).
    """
    a = workbooks.many_people(per_county, village="张庄村")
    b = workbooks.many_people(per_county, start=B_START, village="李家湾村")
    people = [person for pair in zip(a, b, strict=True) for person in pair]
    rows = {}

    def add(name, person):
        people.append(person)
        rows[name] = len(people) + 1

    # 青山县's row 2 again, in 白河县, with another village: rejected (same ID number, other content)
    add("across", {**a[0], "村（社区）": "李家湾村"})
    # 青山县's fourth row again, in 白河县 and without 劳动能力: only the repeat is said, as in one process
    add("across_unplanned", {**a[3], "村（社区）": "李家湾村", "劳动能力": ""})
    # 白河县's first row again, in 青山县
    add("across_back", {**b[0], "村（社区）": "张庄村"})
    # 青山县's third row again, word for word: unchanged, within the county's part
    add("identical", dict(a[2]))
    # a place that is no village of the city, and one whose 乡镇 is the other county's: no county
    unknown_id = idnumbers.make(workbooks.PLACE, date(1980, 5, 5), 11)
    add("unknown", workbooks.person("无名氏", unknown_id, "无名村"))
    add("unknown_again", workbooks.person("无名氏", unknown_id, "张庄村"))  # its first row has no county
    add("mismatch", workbooks.person("错乡镇", idnumbers.make(workbooks.PLACE, date(1981, 5, 5), 11), "张庄村"))
    people[-1]["乡镇（街道）"] = "白沙镇"
    # a new file without 劳动能力 (rejected when planned) and its ID number again in the other county
    no_labour = workbooks.person("缺劳力", idnumbers.make(workbooks.PLACE, date(1982, 5, 5), 11), "张庄村")
    no_labour["劳动能力"] = ""
    add("no_labour", no_labour)
    add("no_labour_again", {**no_labour, "村（社区）": "李家湾村", "劳动能力": "普通劳动力"})
    # same name, birth date and 乡镇 as 青山县's sixth row, another ID number: a possible duplicate
    born = date.fromordinal(date(1970, 1, 1).toordinal() + 5)
    add("possible_duplicate", workbooks.person(a[5]["姓名"], idnumbers.make(workbooks.PLACE, born, 3), "张庄村"))
    add("bad_id", {**workbooks.person("坏号码", b[0]["公民身份号码"], "李家湾村"), "公民身份号码": "123"})
    # files that exist: 白河县's second row changes the income, 青山县's second row changes nothing
    make_member(tree.b1v, name=b[1]["姓名"], id_number=b[1]["公民身份号码"], income_per_head=Decimal("2000.00"))
    make_member(tree.a1v, name=a[1]["姓名"], id_number=a[1]["公民身份号码"], poverty_causes=[])
    rows["updated"], rows["unchanged"] = 5, 4
    return workbooks.simple_register(people, header=HEADER), rows


def new_batch(user, content: bytes) -> ImportBatch:
    return importing.batch_create(user=user, upload=ContentFile(content, "register.xlsx"), original_name="登记表.xlsx")


def preview_of(batch: ImportBatch) -> dict:
    batch.refresh_from_db()
    return {
        "status": batch.status,
        "counts": (batch.total, batch.created, batch.updated, batch.unchanged, batch.rejected),
        "rows": batch.rows,
        "errors": batch.errors,
        "sheet": (batch.sheet_name, batch.header_row),
    }


def written_by(batch: ImportBatch) -> dict:
    """The members the batch wrote and their history rows, without ids and times."""
    batch.refresh_from_db()
    reason = batch.change_reason
    members = {
        m["id_number"]: {k: v for k, v in m.items() if k not in VOLATILE}
        for m in Member.objects.filter(id__in=importing.batch_history(batch).values("id")).values()
    }
    history = sorted(
        (
            sorted(
                (k, str(v) if k != "history_change_reason" else v.replace(reason, "<reason>"))
                for k, v in record.items()
                if k not in VOLATILE
            )
            for record in importing.batch_history(batch).values()
        ),
        key=str,
    )
    return {"members": members, "history": history, "counts": preview_of(batch)["counts"]}


def reference_run(user, content: bytes) -> dict:
    """The one-process import of the file (never split), rolled back after it is recorded."""

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            batch = importing.batch_confirm(importing.batch_preview(new_batch(user, content)), user=user)
            batch = importing.batch_run(batch.pk)
            assert batch.status == ImportBatchStatus.DONE, batch.message
            recorded = written_by(batch)
            raise Undo
    except Undo:
        return recorded


# --- the split ---------------------------------------------------------------------------------


def test_the_file_is_read_once_and_its_rows_sorted_by_county(tree, users, monkeypatch):
    content, rows = two_county_register(tree)
    batch = new_batch(users.city_staff, content)
    reads = []
    real = importing.read_register
    monkeypatch.setattr(importing, "read_register", lambda source: reads.append(1) or real(source))
    job = import_parts.split_file(batch, import_parts.CHECK)
    assert len(reads) == 1
    assert job["parts"] == [str(tree.a.pk), str(tree.b.pk), import_parts.NO_COUNTY]
    assert job["names"][str(tree.a.pk)] == "青山县"
    # unknown village, 乡镇 of the other county, and the unknown's ID number again (with a village of 青山县)
    assert job["rows"][import_parts.NO_COUNTY] == 2
    assert sum(job["rows"].values()) == 24 + len(rows) - 2  # "updated" and "unchanged" are rows of the 24
    # the rows whose ID number first appears in another county's part, and where
    assert job["repeats"] == {
        str(rows["across"]): 2,
        str(rows["across_unplanned"]): 8,
        str(rows["across_back"]): 3,
        str(rows["unknown_again"]): rows["unknown"],
        str(rows["no_labour_again"]): rows["no_labour"],
    }
    assert len(job["shared"]) == 5
    directory = import_parts.part_directory(batch.pk, import_parts.CHECK)
    first = json.loads((directory / f"{tree.b.pk}.rows").read_text(encoding="utf-8").splitlines()[0])
    assert first[0] == 3  # 白河县's first row, as read
    # a redelivered coordinator does not read again
    assert import_parts.split_file(batch, import_parts.CHECK) == job
    assert len(reads) == 1


def test_a_file_of_one_county_or_of_few_rows_is_not_split(tree, users, settings):
    one_county = workbooks.simple_register(workbooks.many_people(30))
    batch = new_batch(users.city_staff, one_county)
    assert import_parts.split_file(batch, import_parts.CHECK) is None
    content, _rows = two_county_register(tree)
    settings.REGISTER_IMPORT_SPLIT_ROWS = 100
    batch = new_batch(users.city_staff, content)
    assert import_parts.split_file(batch, import_parts.CHECK) is None
    directory = import_parts.part_directory(batch.pk, import_parts.CHECK)
    assert not directory.exists() or not any(directory.iterdir())  # nothing left behind


def test_by_default_neither_the_check_nor_the_confirmed_run_is_split(tree, users, settings):
    from config.settings import base

    # the configured defaults (base settings), not the ones the fixture above switched on
    settings.REGISTER_IMPORT_SPLIT_CHECK = base.REGISTER_IMPORT_SPLIT_CHECK
    settings.REGISTER_IMPORT_SPLIT_RUN = base.REGISTER_IMPORT_SPLIT_RUN
    assert settings.REGISTER_IMPORT_SPLIT_CHECK is False
    assert settings.REGISTER_IMPORT_SPLIT_RUN is False
    content, _rows = two_county_register(tree)
    user = users.city_staff
    reference_preview = preview_of(importing.batch_preview(new_batch(user, content)))
    reference = reference_run(user, content)
    batch = new_batch(user, content)
    assert tasks.check_import_batch(batch.pk) == ImportBatchStatus.PREVIEWED
    assert import_parts.summary(batch.pk, import_parts.CHECK) is None  # checked as in one process
    assert preview_of(batch) == reference_preview
    batch = importing.batch_confirm(batch, user=user)
    assert tasks.run_import_batch(batch.pk) == ImportBatchStatus.DONE
    assert import_parts.summary(batch.pk, import_parts.RUN) is None  # written as in one process
    assert not import_parts.part_directory(batch.pk, import_parts.RUN).parent.exists()
    assert written_by(batch) == reference
    # each phase is switched on by itself
    settings.REGISTER_IMPORT_SPLIT_CHECK = True
    batch = new_batch(user, content)
    tasks.check_import_batch(batch.pk)
    assert import_parts.summary(batch.pk, import_parts.CHECK) is not None


def test_a_bad_id_number_in_normal_form_in_two_counties_is_no_repeat(tree, users):
    """The grouping validates an 18-character number only when two parts hold it."""
    a = workbooks.many_people(3, village="张庄村")
    b = workbooks.many_people(3, start=B_START, village="李家湾村")
    good = a[0]["公民身份号码"]
    bad = good[:17] + ("0" if good[17] != "0" else "1")  # the check digit wrong
    people = [*a, *b, {**a[1], "公民身份号码": bad}, {**b[1], "公民身份号码": bad}, {**a[0], "村（社区）": "李家湾村"}]
    content = workbooks.simple_register(people, header=HEADER)
    reference = preview_of(importing.batch_preview(new_batch(users.city_staff, content)))
    batch = new_batch(users.city_staff, content)
    job = import_parts.split_file(batch, import_parts.CHECK)
    assert job["repeats"] == {"10": 2}  # only the valid number of row 2, again in row 10
    assert job["shared"] == [good]
    tasks.check_import_batch(batch.pk)
    assert preview_of(batch) == reference
    assert [row[1] for row in reference["rows"][6:8]] == [importing.REJECTED, importing.REJECTED]


def test_a_county_account_s_file_is_not_even_read_to_decide(tree, users, monkeypatch):
    content, _rows = two_county_register(tree)
    batch = new_batch(users.county_staff, content)  # 白河县's rows are outside its villages
    monkeypatch.setattr(importing, "read_register", lambda source: pytest.fail("read to decide"))
    assert import_parts.split_file(batch, import_parts.CHECK) is None


# --- the same result as in one process ---------------------------------------------------------


def test_the_split_preview_is_the_one_process_preview(tree, users):
    content, rows = two_county_register(tree)
    reference = preview_of(importing.batch_preview(new_batch(users.city_staff, content)))
    batch = new_batch(users.city_staff, content)
    assert tasks.check_import_batch(batch.pk) == ImportBatchStatus.PREVIEWED
    split = preview_of(batch)
    assert split == reference
    assert import_parts.summary(batch.pk, import_parts.CHECK) is not None  # it was split
    # row order, and the cross-county cases as the one-process import settles them
    assert [row[0] for row in split["rows"]] == sorted(row[0] for row in split["rows"])
    by_row = {row[0]: row for row in split["rows"]}
    assert by_row[rows["across"]][1] == importing.REJECTED
    assert "与第 2 行是同一身份证号码但内容不同" in " ".join(by_row[rows["across"]][3])
    assert by_row[rows["across_back"]][1] == importing.REJECTED
    assert by_row[rows["across_unplanned"]][3] == [
        "与第 8 行是同一身份证号码但内容不同；同一人只能出现一次，请核对后只保留一行。"
    ]
    assert by_row[rows["identical"]][1] == importing.UNCHANGED
    assert by_row[rows["unknown_again"]][1] == importing.REJECTED
    assert by_row[rows["no_labour"]][1] == importing.REJECTED
    assert "新建档案必须填写劳动能力" in " ".join(by_row[rows["no_labour"]][3])
    assert by_row[rows["no_labour_again"]][1] == importing.REJECTED
    assert by_row[rows["possible_duplicate"]][1] == importing.REJECTED
    assert by_row[rows["updated"]][1] == importing.UPDATED
    assert by_row[rows["unchanged"]][1] == importing.UNCHANGED
    assert split["counts"] == (35, 22, 1, 2, 10)


def test_the_split_preview_is_what_import_register_gives(tree, users):
    content, _rows = two_county_register(tree)
    result = importing.import_register(io.BytesIO(content), user=users.city_staff, dry_run=True)
    batch = new_batch(users.city_staff, content)
    tasks.check_import_batch(batch.pk)
    batch.refresh_from_db()
    expected = [[row.number, row.action, row.name, row.reasons(result.sheet) + row.notes] for row in result.rows]
    assert batch.rows == expected


def test_the_split_run_writes_what_the_one_process_run_writes(tree, users):
    content, _rows = two_county_register(tree)
    user = users.city_staff
    reference = reference_run(user, content)
    assert not Member.objects.filter(name="党员00000").exists()  # rolled back
    batch = new_batch(user, content)
    tasks.check_import_batch(batch.pk)
    batch = importing.batch_confirm(batch, user=user)
    assert tasks.run_import_batch(batch.pk) == ImportBatchStatus.DONE
    batch.refresh_from_db()
    assert batch.attempts == 1
    parts = import_parts.summary(batch.pk, import_parts.RUN)
    assert [part["county"] for part in parts] == ["青山县", "白河县", ""]
    assert written_by(batch) == reference
    assert len(reference["members"]) == 23  # 22 created, 1 updated
    assert not import_parts.part_directory(batch.pk, import_parts.RUN).exists()  # the parts are cleared
    # a late duplicate of any message changes nothing
    assert tasks.run_import_batch(batch.pk) == ImportBatchStatus.DONE
    assert tasks.finish_import_parts(batch.pk, import_parts.RUN) == "skipped"
    assert tasks.check_import_part(batch.pk, import_parts.RUN, str(tree.a.pk)) == "skipped"
    assert importing.batch_history(batch).count() == 23


# --- redelivery, the cap, the join ------------------------------------------------------------


def split_batch(user, content: bytes, phase: str = import_parts.CHECK) -> tuple[ImportBatch, dict]:
    batch = new_batch(user, content)
    if phase == import_parts.RUN:
        batch = importing.batch_confirm(importing.batch_preview(batch), user=user)
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatchStatus.RUNNING, attempts=1)
        batch.refresh_from_db()
    return batch, import_parts.split_file(batch, phase)


def test_a_redelivered_part_is_not_checked_again(tree, users, monkeypatch):
    content, _rows = two_county_register(tree)
    batch, job = split_batch(users.city_staff, content)
    key = job["parts"][0]
    assert tasks.check_import_part(batch.pk, import_parts.CHECK, key) == "done"
    directory = import_parts.part_directory(batch.pk, import_parts.CHECK)
    written = (directory / f"{key}.result").read_text(encoding="utf-8")

    def no_second_check(*args, **kwargs):
        raise AssertionError("checked twice")

    monkeypatch.setattr(importing, "check_rows", no_second_check)
    assert tasks.check_import_part(batch.pk, import_parts.CHECK, key) == "done"
    assert (directory / f"{key}.result").read_text(encoding="utf-8") == written
    assert (directory / f"{key}.attempts").read_text() == "1"
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.CHECKING
    assert batch.progress_note == "正在按县区检查（1 / 3个已完成）"


def test_the_finishing_step_waits_for_every_part_and_runs_once(tree, users):
    content, _rows = two_county_register(tree)
    batch, job = split_batch(users.city_staff, content, import_parts.RUN)
    user_parts = job["parts"]
    tasks.check_import_part(batch.pk, import_parts.RUN, user_parts[0])
    assert import_parts.finish(batch.pk, import_parts.RUN) == "waiting"
    assert not Member.objects.filter(name="党员00000").exists()
    # the last part sends the finishing step (in-process here), which writes everything at once
    tasks.check_import_part(batch.pk, import_parts.RUN, user_parts[1])
    assert not Member.objects.filter(name="党员00000").exists()
    tasks.check_import_part(batch.pk, import_parts.RUN, user_parts[2])
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.DONE, batch.message
    assert (batch.created, batch.updated) == (22, 1)
    assert import_parts.finish(batch.pk, import_parts.RUN) == "skipped"
    assert importing.batch_history(batch).count() == 23


def test_a_part_that_kills_its_worker_every_time_fails_the_batch_after_the_cap(tree, users, monkeypatch):
    content, _rows = two_county_register(tree)
    batch, job = split_batch(users.city_staff, content, import_parts.RUN)
    key = job["parts"][1]

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(importing, "check_rows", die)
    for _ in range(importing.MAX_ATTEMPTS):
        with pytest.raises(WorkerDied):
            tasks.check_import_part(batch.pk, import_parts.RUN, key)  # the broker redelivers each time
        batch.refresh_from_db()
        assert batch.status == ImportBatchStatus.RUNNING
    assert tasks.check_import_part(batch.pk, import_parts.RUN, key) == "failed"
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.FAILED
    assert "已开始3次" in batch.message
    assert "没有写入任何数据" in batch.message
    assert not import_parts.part_directory(batch.pk, import_parts.RUN).exists()
    assert Member.objects.count() == 2  # the two that were there


def test_a_finishing_step_that_kills_its_worker_every_time_fails_the_batch_after_the_cap(tree, users, monkeypatch):
    content, _rows = two_county_register(tree)
    batch, job = split_batch(users.city_staff, content, import_parts.RUN)
    for key in job["parts"]:
        import_parts.check_part(batch, import_parts.RUN, key, worker="w")

    def die(*args, **kwargs):
        raise WorkerDied

    monkeypatch.setattr(importing, "_insert_history", die)
    for _ in range(importing.MAX_ATTEMPTS):
        with pytest.raises(WorkerDied):
            tasks.finish_import_parts(batch.pk, import_parts.RUN)
    assert tasks.finish_import_parts(batch.pk, import_parts.RUN) == "failed"
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (ImportBatchStatus.FAILED, 1)
    assert "已开始3次" in batch.message
    assert Member.objects.count() == 2


def test_a_file_changed_after_the_parts_read_it_is_planned_again_in_the_one_transaction(tree, users):
    content, rows = two_county_register(tree)
    batch, job = split_batch(users.city_staff, content, import_parts.RUN)
    for key in job["parts"]:
        import_parts.check_part(batch, import_parts.RUN, key, worker="w")
    # meanwhile someone changes the file the batch updates, and creates one it was to create
    changed = Member.objects.get(income_per_head=Decimal("2000.00"))
    changed.household_size = 5
    changed.save()
    people = workbooks.many_people(12, start=B_START, village="李家湾村")
    make_member(tree.b1v, name=people[5]["姓名"], id_number=people[5]["公民身份号码"])
    assert import_parts.finish(batch.pk, import_parts.RUN) == "done"
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.DONE, batch.message
    # planned again from the file: the member created meanwhile is no second file (and unchanged)
    assert (batch.created, batch.updated, batch.unchanged) == (21, 1, 3)
    changed.refresh_from_db()
    assert (changed.household_size, changed.income_per_head) == (3, Decimal("2800.00"))
    assert Member.objects.filter(id_number=people[5]["公民身份号码"]).count() == 1


def test_parts_the_broker_will_not_take_send_the_batch_back_to_be_confirmed(tree, users, monkeypatch):
    content, _rows = two_county_register(tree)
    user = users.city_staff
    batch = importing.batch_confirm(importing.batch_preview(new_batch(user, content)), user=user)
    monkeypatch.setattr(tasks, "_inline", lambda task: False)
    monkeypatch.setattr(tasks, "enqueue", lambda *args, **kwargs: False)
    assert tasks.run_import_batch(batch.pk) == ImportBatchStatus.PREVIEWED
    batch.refresh_from_db()
    assert "任务队列暂时不可用" in batch.message
    assert Member.objects.count() == 2
    assert not import_parts.part_directory(batch.pk, import_parts.RUN).exists()
