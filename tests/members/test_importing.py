"""The register import through its service: every quirk of real registers, counts, writes, rollback."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from members import idnumbers, importing, services
from members.importing import CellError, RegisterFileError
from members.models import FileNumberSequence, ImportBatch, ImportBatchStatus, Member
from tests.members import workbooks
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db

History = Member.history.model


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(content: bytes, user, **kwargs):
    return importing.import_register(io.BytesIO(content), user=user, **kwargs)


@pytest.fixture
def county_register():
    return workbooks.county_register()


@pytest.fixture
def imported(tree, users, county_register):
    content, expected = county_register
    result = run(content, users.county_staff)
    return result, {e.row: e for e in expected}


def by_row(result):
    return {row.number: row for row in result.rows}


# --- the register with every quirk --------------------------------------------------------


def test_counts_add_up_and_only_person_rows_count(imported):
    result, expected = imported
    counts = result.counts
    assert counts == {"total": 15, "created": 9, "updated": 0, "unchanged": 1, "rejected": 5}
    assert counts["total"] == counts["created"] + counts["updated"] + counts["unchanged"] + counts["rejected"]
    # blank lines (13, 21, 23), the totals row (22) and the signature lines (24, 25) are not rows of the result
    assert sorted(by_row(result)) == sorted(expected)


def test_each_row_ends_as_expected(imported):
    result, expected = imported
    rows = by_row(result)
    for number, expectation in expected.items():
        row = rows[number]
        assert row.action == expectation.action, (number, row.reasons(result.sheet))
        if expectation.name:
            assert row.name == expectation.name, number
        if expectation.reason:
            assert any(expectation.reason in reason for reason in row.reasons(result.sheet)), (number, row.errors)
        if expectation.bad_column:
            assert [result.sheet.header_of(col) for col, _message in row.errors] == [expectation.bad_column]


def test_title_rows_and_merged_two_row_header_are_found(imported):
    result, _expected = imported
    sheet = result.sheet
    assert sheet.header_row == 4
    assert len(sheet.top_rows) == 4
    # 序号 is merged down from row 3 over row 4; the alternative names map to the fields
    assert sheet.columns["seq"] == 0
    assert sheet.columns["name"] == workbooks.COLUMN["党员姓名"]
    assert sheet.columns["id_number"] == workbooks.COLUMN["身份证号"]
    assert sheet.columns["village"] == workbooks.COLUMN["所在村"]
    assert sheet.columns["income_per_head"] == workbooks.COLUMN["人均纯收入（元）"]


def test_full_width_digits_and_spaces_are_read(imported):
    member = Member.objects.get(name="张三")
    assert member.phone == "13800138000"
    assert member.income_per_head == Decimal("2800.00")
    chu = Member.objects.get(name="褚四")
    assert chu.household_size == 3
    assert chu.income_per_head == Decimal("3000.00")


def test_id_numbers_as_numbers_and_with_a_small_x(imported):
    result, expected = imported
    for number in (6, 7, 8):  # small x, a 15-digit number, an 18-digit number Excel kept whole
        assert Member.objects.filter(id_number=expected[number].id_number).exists(), number
    assert Member.objects.get(name="李秀英").id_number.endswith("X")
    lost = by_row(result)[9]
    assert lost.reasons(result.sheet) == ["身份证号：" + importing.ID_LOST_DIGITS]


def test_every_date_spelling_and_serial_dates(imported):
    _result, expected = imported
    for number, expectation in expected.items():
        if expectation.action == "created" and expectation.joined:
            member = Member.objects.get(name=expectation.name)
            assert member.joined_party_on == expectation.joined, (number, member.joined_party_on)


def test_same_person_twice_identical_is_unchanged_and_different_is_rejected(imported):
    result, _expected = imported
    rows = by_row(result)
    assert rows[17].action == "unchanged"
    assert "与第 5 行重复" in rows[17].notes[0]
    assert rows[18].action == "rejected"
    assert Member.objects.filter(name="张三").count() == 1
    assert Member.objects.get(name="李秀英").income_per_head == Decimal("2800.00")  # row 6 won, row 18 did not


def test_villages_outside_the_jurisdiction_or_unknown_and_gender_mismatch_are_rejected(imported):
    assert not Member.objects.filter(name__in=["郑一", "冯二", "陈三"]).exists()


def test_derived_fields_follow_the_services_rules(imported, tree):
    chu = Member.objects.get(name="褚四")
    assert chu.village == tree.a1c
    assert (chu.township, chu.county, chu.is_urban) == (tree.a1, tree.a, True)
    assert chu.labour_capacity == "skilled"
    assert chu.poverty_causes == ["funds", "project"]
    zhang = Member.objects.get(name="张三")
    assert zhang.labour_capacity == "ordinary"  # 有劳动能力
    assert zhang.poverty_causes == ["illness", "skills"]
    assert zhang.ethnicity == "汉族"
    assert zhang.birth_date == date(1965, 3, 12)
    assert zhang.gender == "male"
    assert (
        zhang.computed_track
        == zhang.track
        == services.route(age=zhang.age, labour_capacity="ordinary", has_living_source=True)
    )
    assert zhang.file_number.startswith("419921-")
    assert FileNumberSequence.objects.get(county=tree.a).last == 9


def test_every_created_member_has_one_history_row_by_the_importing_user(imported, users):
    records = History.objects.all()
    assert records.count() == 9
    assert {(r.history_type, r.history_user_id, r.history_change_reason) for r in records} == {
        ("+", users.county_staff.pk, "Excel导入")
    }


def test_alternative_column_names_with_stars_newlines_and_units(tree, users):
    people = workbooks.many_people(3)
    result = run(workbooks.alternative_names_register(people), users.county_staff)
    assert result.counts["created"] == 3, result.as_json()
    assert result.sheet.header_row == 2
    assert set(result.sheet.columns) >= {"name", "id_number", "village", "labour_capacity", "income_per_head"}


def test_sub_headers_under_group_titles_end_the_header(tree, users):
    workbook = workbooks.Workbook()
    sheet = workbook.active
    sheet.append(["序号", "姓名", "身份证号码", "所在村", "家庭情况", None])
    sheet.append([None, None, None, None, "家庭人口", "人均纯收入"])
    person = workbooks.many_people(1)[0]
    sheet.append([1, person["姓名"], person["公民身份号码"], "张庄村", 4, 3100])
    sheet.merge_cells("E1:F1")
    result = run(workbooks.save(workbook), users.county_staff)
    assert result.sheet.header_row == 2
    assert result.counts["total"] == 1
    assert result.rows[0].values["household_size"] == 4
    assert result.rows[0].values["income_per_head"] == Decimal("3100.00")


# --- nothing before confirmation, nothing twice ---------------------------------------------


def test_dry_run_writes_nothing(tree, users, county_register):
    content, _expected = county_register
    result = run(content, users.county_staff, dry_run=True)
    assert result.counts["created"] == 9
    assert not Member.objects.exists()
    assert not History.objects.exists()
    assert not FileNumberSequence.objects.exists()
    assert not ImportBatch.objects.exists()


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tree, users, county_register):
    content, _expected = county_register
    run(content, users.county_staff)
    before = (History.objects.count(), list(Member.objects.values_list("pk", "updated_at")))
    second = run(content, users.county_staff)
    assert second.counts == {"total": 15, "created": 0, "updated": 0, "unchanged": 10, "rejected": 5}
    assert (History.objects.count(), list(Member.objects.values_list("pk", "updated_at"))) == before


def test_a_changed_row_updates_only_that_member_with_history(tree, users):
    people = workbooks.many_people(3)
    run(workbooks.simple_register(people), users.county_staff)
    people[1]["人均纯收入"] = 5200
    people[1]["劳动能力"] = "丧失劳动力"
    history_before = History.objects.count()
    result = run(workbooks.simple_register(people), users.county_staff)
    assert result.counts == {"total": 3, "created": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    member = Member.objects.get(name=people[1]["姓名"])
    assert member.income_per_head == Decimal("5200.00")
    assert member.labour_capacity == "lost"
    assert member.track == "undecided"  # under 60 and unable to work: the rule does not decide
    assert History.objects.count() == history_before + 1
    record = History.objects.latest("history_id")
    assert (record.history_type, record.history_user, record.income_per_head) == ("~", users.county_staff, 5200)
    assert set(result.rows[1].changed) >= {"income_per_head", "labour_capacity", "computed_track", "track"}


def test_an_update_keeps_a_persons_track_decision_while_the_rule_agrees(tree, users):
    people = workbooks.many_people(1)
    run(workbooks.simple_register(people), users.county_staff)
    member = Member.objects.get()
    services.member_decide_track(actor=users.county_staff, member=member, track="relief", reason="家中无人照料")
    people[0]["人均纯收入"] = 3000
    people[0]["劳动能力"] = "技能劳动力"  # still able to work: the rule's result is the same
    run(workbooks.simple_register(people), users.county_staff)
    member.refresh_from_db()
    assert (member.computed_track, member.track, member.track_override_reason) == (
        "demonstration",
        "relief",
        "家中无人照料",
    )


def test_blank_cells_never_clear_what_a_file_holds(tree, users):
    people = workbooks.many_people(1)
    run(workbooks.simple_register(people), users.county_staff)
    people[0]["人均纯收入"] = ""
    result = run(workbooks.simple_register(people), users.county_staff)
    assert result.rows[0].action == "unchanged"
    assert Member.objects.get().income_per_head == Decimal("2800.00")


def test_a_member_of_another_county_cannot_be_taken_over(tree, users):
    other = make_member(tree.b1v, name="白河县党员")
    content = workbooks.simple_register([workbooks.person("白河县党员", other.id_number)])
    result = run(content, users.county_staff)
    assert result.rows[0].action == "rejected"
    assert "管辖范围以外建档" in result.rows[0].reasons(result.sheet)[0]
    other.refresh_from_db()
    assert other.village == tree.b1v


def test_a_new_file_needs_labour_capacity(tree, users):
    person = workbooks.many_people(1)[0]
    person["劳动能力"] = ""
    result = run(workbooks.simple_register([person]), users.county_staff)
    assert result.rows[0].action == "rejected"
    assert "必须填写劳动能力" in result.rows[0].reasons(result.sheet)[0]


def test_ambiguous_village_names_ask_for_the_township(tree, users):
    from tests.organization.factories import make_region

    other_township = make_region("419921002000", "青河镇", "township", tree.a)
    make_region("419921002001", "张庄村", "village", other_township)
    person = workbooks.many_people(1)[0]
    result = run(workbooks.simple_register([person]), users.county_staff)
    assert "请填写“乡镇（街道）”列" in result.rows[0].reasons(result.sheet)[0]
    header = [*workbooks.STANDARD_HEADER, "乡镇（街道）"]
    result = run(workbooks.simple_register([{**person, "乡镇（街道）": "青河镇"}], header=header), users.county_staff)
    assert result.rows[0].action == "created"
    assert Member.objects.get().township == other_township


# --- all or nothing, and the budget of queries ---------------------------------------------------


def test_a_failure_mid_way_writes_nothing(tree, users, monkeypatch):
    people = workbooks.many_people(7)
    monkeypatch.setattr(importing, "BATCH_SIZE", 2)
    calls = {"n": 0}
    real = importing._insert_history

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # after two chunks of members and their history are in
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_insert_history", failing)
    with pytest.raises(RuntimeError):
        run(workbooks.simple_register(people), users.county_staff)
    assert calls["n"] == 3
    assert not Member.objects.exists()
    assert not History.objects.exists()
    assert not FileNumberSequence.objects.exists()


def test_a_failed_batch_says_so_and_writes_nothing(tree, users, monkeypatch):
    content = workbooks.simple_register(workbooks.many_people(4))
    batch = importing.batch_create(user=users.county_staff, upload=workbooks.as_file(content), original_name="a.xlsx")
    importing.batch_preview(batch)
    importing.batch_confirm(batch, user=users.county_staff)

    def broken(*args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(importing, "_insert_history", broken)
    batch = importing.batch_run(batch.pk)
    assert batch.status == ImportBatchStatus.FAILED
    assert "没有写入任何数据" in batch.message
    assert not Member.objects.exists()


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite allows 999 parameters per statement, so Django splits a bulk insert into batches of ~35 rows",
)
@pytest.mark.parametrize("kind", ["create", "update"])
def test_queries_do_not_grow_with_the_number_of_rows(tree, users, kind, django_assert_max_num_queries):
    def queries_for(count, start):
        people = workbooks.many_people(count, start=start)
        if kind == "update":
            run(workbooks.simple_register(people), users.county_staff)
            for person in people:
                person["人均纯收入"] = 9000
                person["劳动能力"] = "弱劳动力"
        content = workbooks.simple_register(people)
        with django_assert_max_num_queries(1000) as captured:
            result = run(content, users.county_staff)
        assert result.counts[f"{kind}d"] == count
        return len(captured.captured_queries)

    run(workbooks.simple_register(workbooks.many_people(1, start=6000)), users.county_staff)  # the county's sequence
    small, large = queries_for(50, 0), queries_for(500, 1000)
    assert small == large
    assert large <= 15  # for 1,000 rows the budget is 5 per 1,000 plus a fixed few
    with django_assert_max_num_queries(5 * 2 + 12):
        run(workbooks.simple_register(workbooks.many_people(2000, start=3000)), users.county_staff)


# --- files that cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "文件是空的"),
        (b"%PDF-1.4 not a workbook", "这不是 Excel 工作簿（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old", "旧版 Excel（.xls）"),
        (workbooks.not_a_workbook_zip(), "这不是 Excel 工作簿（.xlsx）文件"),
        (b"PK\x03\x04 broken", "文件已损坏"),
        (workbooks.empty_workbook(), "工作簿是空的"),
        (workbooks.header_only_register(), "没有找到人员数据"),
        (workbooks.missing_id_column_register(), "缺少必需的列：“公民身份号码”"),
    ],
    ids=["empty", "pdf", "xls", "docx", "broken-zip", "empty-workbook", "header-only", "missing-columns"],
)
def test_a_file_that_cannot_be_imported_gets_one_clear_message(tree, users, content, message):
    with pytest.raises(RegisterFileError) as error:
        run(content, users.county_staff)
    assert message in error.value.message
    assert "\n" not in error.value.message
    assert not Member.objects.exists()


def test_a_workbook_without_a_recognisable_header(tree, users):
    workbook = workbooks.Workbook()
    workbook.active.append(["甲", "乙", "丙"])
    workbook.active.append([1, 2, 3])
    with pytest.raises(RegisterFileError, match="没有找到表头"):
        run(workbooks.save(workbook), users.county_staff)


@pytest.mark.parametrize("role", ["leader", "work_team", "expert"])
def test_roles_that_cannot_register_members_cannot_import(tree, users, role):
    with pytest.raises(PermissionDenied):
        run(workbooks.simple_register(workbooks.many_people(1)), getattr(users, role))


def test_a_township_account_imports_only_into_its_township(tree, users):
    result = run(
        workbooks.simple_register(
            [workbooks.many_people(1)[0], workbooks.many_people(1, start=1, village="李家湾村")[0]]
        ),
        users.township_staff,
    )
    assert [row.action for row in result.rows] == ["created", "rejected"]


# --- cells, one by one ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1965.03", (date(1965, 3, 1), False)),
        ("1965年3月", (date(1965, 3, 1), False)),
        ("19650312", (date(1965, 3, 12), True)),
        ("1965-03-12", (date(1965, 3, 12), True)),
        ("1965/3/12", (date(1965, 3, 12), True)),
        ("1965.3.12", (date(1965, 3, 12), True)),
        ("1965年3月12日", (date(1965, 3, 12), True)),
        ("１９６５．０３", (date(1965, 3, 1), False)),
        ("196503", (date(1965, 3, 1), False)),
        ("1965-03-12 00:00:00", (date(1965, 3, 12), True)),
        (19650312, (date(1965, 3, 12), True)),
        (1965.03, (date(1965, 3, 1), False)),
        (1965.12, (date(1965, 12, 1), False)),
        (23813.0, (date(1965, 3, 12), True)),  # an Excel serial date
        (23813, (date(1965, 3, 12), True)),
        (datetime(1965, 3, 12, 0, 0), (date(1965, 3, 12), True)),  # openpyxl's datetime for a date cell
        (date(1965, 3, 12), (date(1965, 3, 12), True)),
    ],
)
def test_date_spellings(value, expected):
    assert importing.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1965.1, "分不清是 1 月还是 10 月"),
        ("1965", "只写了年份"),
        (1965, "只写了年份"),
        ("1965.13", "无法识别的日期"),
        ("三月", "无法识别的日期"),
    ],
)
def test_dates_that_cannot_be_read(value, message):
    with pytest.raises(CellError, match=message):
        importing.parse_date(value)


def test_id_number_cells():
    valid = idnumbers.make("419921", date(1965, 3, 12), 1)
    with_x = workbooks.id_with(date(1970, 5, 6), female=True, ending="X")
    assert importing.clean_id_number(f" {valid[:6]} {valid[6:]} ") == valid
    assert importing.clean_id_number(valid.translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == valid
    assert importing.clean_id_number(with_x.lower()) == with_x
    intact = workbooks.id_ending_000()
    assert importing.clean_id_number(int(intact)) == intact
    assert importing.clean_id_number(float(intact)) == intact
    fifteen = valid[:6] + valid[8:17]
    assert importing.clean_id_number(float(fifteen)) == idnumbers.upgrade_15(fifteen)
    lost = workbooks.id_losing_digits()
    for value in (float(lost), int(lost[:15] + "000"), int(with_x[:17]), "4.11521196503120E+17"):
        with pytest.raises(CellError, match="身份证号被存成了数字"):
            importing.clean_id_number(value)
    with pytest.raises(CellError, match="校验位不正确"):
        importing.clean_id_number(valid[:17] + ("0" if valid[17] != "0" else "1"))


@pytest.mark.parametrize("separator", ["、", "，", ",", ";", "；", "/", " ", "　"])
def test_poverty_causes_split_on_every_separator(separator):
    assert importing.clean_causes(f"因病致贫{separator}缺技术{separator}缺资金") == ["illness", "skills", "funds"]


def test_unknown_poverty_cause_is_named():
    with pytest.raises(CellError, match="无法识别的致贫原因：缺钱"):
        importing.clean_causes("因病、缺钱")


@pytest.mark.parametrize(
    ("value", "code"),
    [("有劳动能力", "ordinary"), ("普通劳动力", "ordinary"), ("半劳动力", "weak"), ("无劳动能力", "none")],
)
def test_labour_capacity_spellings(value, code):
    assert importing.FIELD_CLEANERS["labour_capacity"](value) == code


@pytest.mark.parametrize(("value", "amount"), [("2,800元", "2800.00"), ("３０００", "3000.00"), (2800.456, "2800.46")])
def test_income_spellings(value, amount):
    assert importing.clean_money(value) == Decimal(amount)


# --- batches and rollback -------------------------------------------------------------------------


def confirmed_batch(user, content):
    batch = importing.batch_create(user=user, upload=workbooks.as_file(content), original_name="青山县台账.xlsx")
    importing.batch_preview(batch)
    importing.batch_confirm(batch, user=user)
    return importing.batch_run(batch.pk)


def test_a_batch_records_who_when_which_file_and_what_it_did(tree, users, county_register):
    content, _expected = county_register
    batch = confirmed_batch(users.county_staff, content)
    assert batch.status == ImportBatchStatus.DONE
    assert (batch.created_by, batch.region, batch.original_name) == (users.county_staff, tree.a, "青山县台账.xlsx")
    assert (batch.total, batch.created, batch.updated, batch.unchanged, batch.rejected) == (15, 9, 0, 1, 5)
    assert [error["row"] for error in batch.errors] == [9, 14, 15, 16, 18]
    assert batch.file.name.startswith("imports/")
    assert importing.batch_history(batch).count() == 9
    assert set(History.objects.values_list("history_change_reason", flat=True)) == {f"Excel导入（批次 #{batch.pk}）"}
    # running the same batch again (a redelivered task) does nothing
    assert importing.batch_run(batch.pk).status == ImportBatchStatus.DONE
    assert Member.objects.count() == 9


def test_rollback_deletes_what_the_batch_created_and_restores_what_it_changed(tree, users):
    people = workbooks.many_people(3)
    confirmed_batch(users.county_staff, workbooks.simple_register(people[:2]))
    before = Member.objects.get(name=people[0]["姓名"])
    people[0]["人均纯收入"] = 9999
    people[0]["劳动能力"] = "无劳动力"
    batch = confirmed_batch(users.county_staff, workbooks.simple_register(people))
    assert (batch.created, batch.updated, batch.unchanged) == (1, 1, 1)
    assert importing.rollback_refusal(batch) is None
    importing.batch_rollback(batch, user=users.county_staff)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.ROLLED_BACK
    assert batch.rolled_back_by == users.county_staff
    assert not Member.objects.filter(name=people[2]["姓名"]).exists()
    after = Member.objects.get(name=people[0]["姓名"])
    for field in ("income_per_head", "labour_capacity", "computed_track", "track", "updated_at"):
        if field != "updated_at":
            assert getattr(after, field) == getattr(before, field), field
    kinds = list(History.objects.filter(history_change_reason=f"撤销导入批次 #{batch.pk}").values_list("history_type"))
    assert sorted(kinds) == [("-",), ("~",)]
    with pytest.raises(ValidationError, match="只有已完成的导入批次可以撤销"):
        importing.batch_rollback(batch, user=users.county_staff)


def test_rollback_is_refused_once_a_member_of_the_batch_changed_since(tree, users):
    people = workbooks.many_people(2)
    batch = confirmed_batch(users.county_staff, workbooks.simple_register(people))
    member = Member.objects.get(name=people[0]["姓名"])
    services.member_update(actor=users.county_staff, member=member, phone="13911112222")
    assert "此后已被修改或删除" in importing.rollback_refusal(batch)
    with pytest.raises(ValidationError, match="不能整批撤销"):
        importing.batch_rollback(batch, user=users.county_staff)
    assert Member.objects.count() == 2


def test_rollback_is_refused_once_a_created_file_has_other_records(tree, users):
    batch = confirmed_batch(users.county_staff, workbooks.simple_register(workbooks.many_people(1)))
    member = Member.objects.get()
    services.household_member_save(actor=users.county_staff, member=member, relation="spouse", name="家属")
    assert "已有其他记录（家庭成员）" in importing.rollback_refusal(batch)
    assert Member.objects.count() == 1


def test_a_file_error_found_by_the_check_fails_the_batch_with_the_message(tree, users):
    upload = workbooks.as_file(workbooks.missing_id_column_register())
    batch = importing.batch_preview(importing.batch_create(user=users.county_staff, upload=upload, original_name="x"))
    assert batch.status == ImportBatchStatus.FAILED
    assert "缺少必需的列" in batch.message


def test_same_name_and_birth_date_in_the_township_is_a_possible_duplicate(tree, users):
    existing = make_member(tree.a1v, name="王五", born=date(1975, 6, 1))
    other_id = workbooks.id_with(date(1975, 6, 1), skip=7)
    twin_id = workbooks.id_with(date(1975, 6, 1), skip=9)
    content = workbooks.simple_register(
        [
            workbooks.person("王五", other_id, "建设路社区"),
            workbooks.person("赵六", twin_id),
            workbooks.person("赵六", workbooks.id_with(date(1975, 6, 1), skip=11)),
        ]
    )
    result = run(content, users.county_staff)
    reasons = [row.reasons(result.sheet) for row in result.rows]
    assert [row.action for row in result.rows] == ["rejected", "created", "rejected"]
    assert existing.file_number in reasons[0][0]
    assert "与第 3 行同名、同出生日期、同乡镇" in reasons[2][0]


def test_a_lapsed_track_decision_stands_again_after_rollback(tree, users):
    people = workbooks.many_people(1)
    confirmed_batch(users.county_staff, workbooks.simple_register(people))
    member = Member.objects.get()
    services.member_decide_track(actor=users.county_staff, member=member, track="relief", reason="家中无人照料")
    people[0]["劳动能力"] = "无劳动力"  # the rule's result changes: the decision lapses
    batch = confirmed_batch(users.county_staff, workbooks.simple_register(people))
    member.refresh_from_db()
    decision = member.track_decisions.get()
    assert (member.track, decision.lapsed_at is not None) == ("undecided", True)
    assert batch.lapsed_decisions == [decision.pk]
    importing.batch_rollback(batch, user=users.county_staff)
    member.refresh_from_db()
    decision.refresh_from_db()
    assert (member.track, member.track_override_reason, decision.lapsed_at) == ("relief", "家中无人照料", None)


def test_text_with_commas_quotes_tabs_and_line_breaks_is_stored_as_written(tree, users):
    notes = '住址：张庄村3组，"老党员"\t备注\\说明\n第二行'
    person = {**workbooks.many_people(1)[0], "备注": notes, "所在党支部": "张庄村,第一支部"}
    header = [*workbooks.STANDARD_HEADER, "备注", "所在党支部"]
    run(workbooks.simple_register([person], header=header), users.county_staff)
    member = Member.objects.get()
    assert (member.notes, member.party_branch) == (notes, "张庄村,第一支部")
    assert member.history.get().notes == notes
    assert run(workbooks.simple_register([person], header=header), users.county_staff).rows[0].action == "unchanged"
