"""The import in the browser: upload → preview → confirm → result, rejected rows, rollback, Celery."""

import io

import openpyxl
import pytest
from django.urls import reverse

from members import importing
from members.models import ImportBatch, ImportBatchStatus, Member
from tests.members import workbooks

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.members.import_test_urls")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, content, name="青山县登记表.xlsx"):
    return client.post(reverse("members_import:upload"), {"file": workbooks.as_file(content, name)})


@pytest.fixture
def previewed(county_client, tree):
    content, expected = workbooks.county_register()
    response = upload(county_client, content)
    batch = ImportBatch.objects.get()
    return batch, response, expected


def test_upload_shows_row_by_row_what_will_happen_and_writes_nothing(county_client, previewed):
    batch, response, expected = previewed
    assert response.status_code == 302
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatchStatus.PREVIEWED
    assert not Member.objects.exists()
    page = county_client.get(batch.get_absolute_url())
    body = page.content.decode()
    assert "尚未写入任何数据" in body
    assert "确认导入（新建 9 人，更新 0 人）" in body
    rows = {number: (action, reasons) for number, action, _name, reasons in page.context["page"].object_list}
    for expectation in expected:
        action, reasons = rows[expectation.row]
        assert action == expectation.action
        if expectation.reason:
            assert any(expectation.reason in reason for reason in reasons)
    assert "不在您的管辖范围内" in body
    rejected = county_client.get(batch.get_absolute_url(), {"show": "rejected"}).context["page"].object_list
    assert [row[0] for row in rejected] == [9, 14, 15, 16, 18]


def test_confirm_imports_and_shows_the_result(county_client, previewed, users):
    batch, _response, _expected = previewed
    response = county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]), follow=True)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.DONE
    assert Member.objects.count() == 9
    body = response.content.decode()
    assert "导入完成" in body
    assert "下载被拒绝的行" in body
    assert "撤销本批次导入" in body
    # a second confirmation (a double click) imports nothing more
    county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]))
    assert Member.objects.count() == 9
    assert Member.history.count() == 9


def test_rejected_rows_come_back_as_the_same_workbook_with_bad_cells_marked(county_client, previewed):
    batch, _response, expected = previewed
    county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]))
    response = county_client.get(reverse("members_import:batch_rejected", args=[batch.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows())
    assert rows[0][0].value == "青山县贫困党员登记造册"
    assert "A1:Q1" in {str(r) for r in sheet.merged_cells.ranges}
    header = [cell.value for cell in rows[3]]
    assert header[1:4] == ["党员姓名", "身份证号", "性别"]
    assert header[-1] == "错误说明"
    data = rows[4:]
    assert [row[1].value for row in data] == ["钱七", "郑一", "冯二", "陈三", "李秀英"]
    by_name = {row[1].value: row for row in data}
    for expectation in expected:
        if expectation.action != "rejected" or not expectation.bad_column:
            continue
        row = by_name[expectation.name]
        bad = header.index(expectation.bad_column)
        assert row[bad].fill.fgColor.rgb.endswith(importing.REJECTED_FILL)
        assert expectation.reason in row[bad].comment.text
        assert all(cell.comment is None for index, cell in enumerate(row) if index != bad)
        assert f"原第 {expectation.row} 行" in row[-1].value
    assert "与第 6 行是同一身份证号码" in by_name["李秀英"][-1].value
    # the county fixes the village of 冯二 and sends the file back
    fixed = openpyxl.load_workbook(
        io.BytesIO(b"".join(county_client.get(response.request["PATH_INFO"]).streaming_content))
    )
    sheet = fixed.active
    for row in sheet.iter_rows(min_row=5):
        if row[1].value == "冯二":
            row[header.index("所在村")].value = "张庄村"
    buffer = io.BytesIO()
    fixed.save(buffer)
    result = importing.import_register(io.BytesIO(buffer.getvalue()), user=batch.created_by, dry_run=True)
    # 冯二 is now new; 李秀英's second version, sent alone, is an update of row 6's file
    assert [(row.name, row.action) for row in result.rows if row.action != "rejected"] == [
        ("冯二", "created"),
        ("李秀英", "updated"),
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"hello", "a.xlsx", "这不是 Excel 工作簿"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a.xls", "旧版 .xls 文件请先“另存为” .xlsx"),
        (workbooks.simple_register([]), "a.csv", "只能导入 Excel 工作簿"),
        (workbooks.missing_id_column_register(), "a.xlsx", "缺少必需的列"),
        (workbooks.header_only_register(), "a.xlsx", "没有找到人员数据"),
    ],
)
def test_a_file_that_cannot_be_imported_gets_one_message_on_the_form(county_client, tree, content, name, message):
    response = upload(county_client, content, name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert message in errors[0]
    assert not ImportBatch.objects.exists()


def test_a_file_over_20_mb_is_refused(county_client, tree, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 100)
    response = upload(county_client, workbooks.simple_register(workbooks.many_people(2)))
    assert "超过 20 MB" in response.context["form"].errors["file"][0]


def test_roles_that_cannot_import_get_403(client, users):
    client.force_login(users.leader)
    assert client.get(reverse("members_import:upload")).status_code == 403


def test_another_countys_batch_is_404_everywhere(client, tree, users):
    content = workbooks.simple_register(workbooks.many_people(1, village="李家湾村"))
    batch = importing.batch_create(user=users.county_b, upload=workbooks.as_file(content), original_name="b.xlsx")
    importing.batch_preview(batch)
    client.force_login(users.county_staff)
    for name in ("batch", "batch_status", "batch_confirm", "batch_rollback", "batch_rejected"):
        url = reverse(f"members_import:{name}", args=[batch.pk])
        assert client.get(url).status_code == 404, name
        if name in ("batch_confirm", "batch_rollback"):
            assert client.post(url).status_code == 404, name
    assert "b.xlsx" not in client.get(reverse("members_import:batch_list")).content.decode()
    assert "b.xlsx" not in client.get(reverse("members_import:upload")).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.PREVIEWED


def test_rollback_from_the_page(county_client, previewed):
    batch, _response, _expected = previewed
    county_client.post(reverse("members_import:batch_confirm", args=[batch.pk]))
    response = county_client.post(reverse("members_import:batch_rollback", args=[batch.pk]), follow=True)
    assert "已撤销该批次导入" in response.content.decode()
    assert not Member.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.ROLLED_BACK


def test_a_large_file_is_imported_by_celery_with_progress(
    county_client, tree, settings, django_capture_on_commit_callbacks
):
    settings.REGISTER_IMPORT_ASYNC_ROWS = 10
    content = workbooks.simple_register(workbooks.many_people(25))
    upload(county_client, content)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatchStatus.PREVIEWED
    confirm = reverse("members_import:batch_confirm", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        county_client.post(confirm)
    assert len(callbacks) == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.QUEUED
    assert not Member.objects.exists()
    page = county_client.get(batch.get_absolute_url()).content.decode()
    assert 'id="progress-card"' in page
    status = county_client.get(reverse("members_import:batch_status", args=[batch.pk])).json()
    assert (status["status"], status["finished"]) == ("queued", False)
    callbacks[0]()  # the worker runs the task (eager in tests)
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.DONE
    assert Member.objects.count() == 25
    status = county_client.get(reverse("members_import:batch_status", args=[batch.pk])).json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["finished"] is True
    assert status["counts"] == {"total": 25, "created": 25, "updated": 0, "unchanged": 0, "rejected": 0}
    # the task is idempotent: a redelivered message does nothing
    from members.tasks import run_import_batch

    assert run_import_batch.delay(batch.pk).get() == "done"
    assert Member.objects.count() == 25


def test_a_large_upload_is_checked_by_celery(county_client, tree, settings, django_capture_on_commit_callbacks):
    settings.REGISTER_IMPORT_ASYNC_BYTES = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(county_client, workbooks.simple_register(workbooks.many_people(3)))
    batch = ImportBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportBatchStatus.PREVIEWED
    assert batch.created == 3
    assert not Member.objects.exists()


def test_progress_is_reported_while_checking(tree, users, monkeypatch):
    content = workbooks.simple_register(workbooks.many_people(3))
    batch = importing.batch_create(user=users.county_staff, upload=workbooks.as_file(content), original_name="a.xlsx")
    seen = []
    real = importing._progress_for

    def spy(batch):
        report = real(batch)

        def wrapped(phase, done, total):
            report(phase, done, total)
            seen.append((phase, ImportBatch.objects.get(pk=batch.pk).progress))

        return wrapped

    monkeypatch.setattr(importing, "_progress_for", spy)
    importing.batch_preview(batch)
    assert ("check", 100) in seen
