"""manage.py import_register: --json, --dry-run, --user, and the exit status."""

import json

import pytest
from django.core.management import call_command

from members.models import ImportBatch, ImportBatchStatus, Member
from tests.members import workbooks
from tests.organization.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def register_file(tmp_path):
    content, expected = workbooks.county_register()
    path = tmp_path / "青山县登记表.xlsx"
    path.write_bytes(content)
    return path, expected


def command(*args, capsys):
    call_command("import_register", *map(str, args))
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_json_prints_one_object_with_counts_and_rejected_rows(tree, users, register_file, capsys):
    path, expected = register_file
    out, _err = command(path, "--user", "county_staff", "--json", capsys=capsys)
    report = json.loads(out)
    assert set(report) == {"total", "created", "updated", "unchanged", "rejected", "errors"}
    assert (report["total"], report["created"], report["updated"], report["unchanged"], report["rejected"]) == (
        15,
        9,
        0,
        1,
        5,
    )
    assert report["total"] == report["created"] + report["updated"] + report["unchanged"] + report["rejected"]
    rejected = [e.row for e in expected if e.action == "rejected"]
    assert [error["row"] for error in report["errors"]] == rejected
    for error in report["errors"]:
        assert set(error) == {"row", "reasons"}
        assert error["reasons"]
        assert all(isinstance(reason, str) for reason in error["reasons"])
    assert "身份证号被存成了数字" in report["errors"][0]["reasons"][0]
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.created_by, batch.original_name) == (
        ImportBatchStatus.DONE,
        users.county_staff,
        "青山县登记表.xlsx",
    )


def test_dry_run_writes_nothing(tree, users, register_file, capsys):
    path, _expected = register_file
    out, _err = command(path, "--user", "county_staff", "--dry-run", "--json", capsys=capsys)
    assert json.loads(out)["created"] == 9
    assert not Member.objects.exists()
    assert not ImportBatch.objects.exists()


def test_the_second_run_changes_nothing(tree, users, register_file, capsys):
    path, _expected = register_file
    command(path, "--user", "county_staff", "--json", capsys=capsys)
    history = Member.history.count()
    out, _err = command(path, "--user", "county_staff", "--json", capsys=capsys)
    report = json.loads(out)
    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 10)
    assert Member.history.count() == history


def test_plain_output_in_chinese(tree, users, register_file, capsys):
    path, _expected = register_file
    out, _err = command(path, "--user", "county_staff", capsys=capsys)
    assert "人员行数 15：新建 9，更新 0，无变化 1，拒绝 5。" in out
    assert "第 14 行：所在村：“李家湾村”不在您的管辖范围内" in out
    assert "已记为导入批次" in out


def test_without_user_the_first_superuser_imports_and_it_is_said(tree, register_file, capsys):
    admin = make_user("admin", tree.city, username="root", is_superuser=True, is_staff=True)
    path, _expected = register_file
    out, err = command(path, "--json", capsys=capsys)
    assert "未指定 --user，按第一个超级用户 root 导入" in err
    assert json.loads(out)["rejected"] == 4  # 李家湾村 is within a superuser's reach
    assert Member.objects.get(name="张三").history.get().history_user == admin


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a workbook", "这不是 Excel 工作簿"),
        (workbooks.missing_id_column_register(), "缺少必需的列"),
        (workbooks.empty_workbook(), "工作簿是空的"),
    ],
)
def test_a_file_that_cannot_be_read_exits_1_with_one_message(tree, users, tmp_path, capsys, content, message):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_json:
        command(path, "--user", "county_staff", "--json", capsys=capsys)
    assert exit_json.value.code == 1
    out = capsys.readouterr().out
    assert message in json.loads(out)["error"]
    with pytest.raises(SystemExit) as exit_plain:
        command(path, "--user", "county_staff", capsys=capsys)
    assert exit_plain.value.code == 1
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.out == ""
    assert not ImportBatch.objects.exists()


def test_a_missing_file_exits_1(tree, users, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_status:
        command(tmp_path / "nowhere.xlsx", "--user", "county_staff", "--json", capsys=capsys)
    assert exit_status.value.code == 1
    assert "找不到文件" in json.loads(capsys.readouterr().out)["error"]
