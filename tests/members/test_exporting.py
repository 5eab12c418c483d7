"""The register export: layout, masking by role, formula escaping, scoping, and export → import."""

import io
import random

import openpyxl
import pytest
from django.urls import reverse

from members import exporting, importing, selectors
from members.models import Member, RegisterExport
from members.register_columns import EXPORT_COLUMNS
from members.resources import MemberResource
from tests.members.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.members.import_test_urls")]

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def export(user):
    buffer = io.BytesIO()
    exporting.write_register(selectors.member_list(user=user), user=user, destination=buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer).active


def values(sheet):
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_standard_layout_with_title_and_date_line(tree, users):
    make_member(tree.a1v, name="张三", party_branch="张庄村党支部")
    sheet = export(users.county_staff)
    rows = values(sheet)
    assert rows[0][0] == "青山县贫困党员登记造册"
    assert "A1:V1" in {str(r) for r in sheet.merged_cells.ranges}
    assert rows[1][0].startswith("导出日期：")
    assert rows[2] == [header for header, _key in EXPORT_COLUMNS]
    record = dict(zip(rows[2], rows[3], strict=True))
    assert record["序号"] == 1
    assert record["姓名"] == "张三"
    assert (record["县区"], record["乡镇（街道）"], record["村（社区）"], record["城乡"]) == (
        "青山县",
        "青石镇",
        "张庄村",
        "农村",
    )
    assert record["致贫原因"] == "缺技术、缺资金"
    assert record["劳动能力"] == "普通劳动力"


def test_id_numbers_are_masked_unless_the_role_may_see_them(tree, users):
    member = make_member(tree.a1v)
    column = [header for header, _key in EXPORT_COLUMNS].index("公民身份号码")
    leader_rows = values(export(users.leader))
    assert leader_rows[3][column] == member.masked_id_number
    assert member.id_number not in str(leader_rows)
    assert values(export(users.county_staff))[3][column] == member.id_number
    logs = list(RegisterExport.objects.order_by("id").values_list("user__username", "full_id_numbers", "row_count"))
    assert logs == [("leader", False, 1), ("county_staff", True, 1)]


def test_other_counties_members_are_not_exported(tree, users):
    make_member(tree.a1v, name="青山县党员")
    make_member(tree.b1v, name="白河县党员")
    names = {row[2] for row in values(export(users.county_staff))[3:]}
    assert names == {"青山县党员"}
    city = {row[2] for row in values(export(users.city_staff))[3:]}
    assert city == {"青山县党员", "白河县党员"}


def test_the_list_pages_filters_choose_the_rows(client, tree, users):
    make_member(tree.a1v, name="农村党员")
    make_member(tree.a1c, name="社区党员")
    client.force_login(users.county_staff)
    response = client.get(reverse("members_import:export"), {"village": tree.a1c.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {row[2] for row in values(sheet)[3:]} == {"社区党员"}
    assert RegisterExport.objects.get().filters == f"village={tree.a1c.pk}"
    # another county's village is not a valid choice: the filter is dropped, never widened
    response = client.get(reverse("members_import:export"), {"village": tree.b1v.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert {row[2] for row in values(sheet)[3:]} == {"农村党员", "社区党员"}


@pytest.mark.parametrize("prefix", DANGEROUS)
@pytest.mark.parametrize("payload", ["SUM(A1:A9)", "cmd|' /C calc'!A0", 'HYPERLINK("http://x")', "1+1"])
def test_no_exported_cell_can_run_as_a_formula(tree, users, prefix, payload):
    make_member(tree.a1v, name=(prefix + payload)[:32], party_branch=prefix + payload, ethnicity=(prefix + "族")[:16])
    sheet = export(users.county_staff)
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not cell.value.startswith(DANGEROUS), (cell.coordinate, cell.value)
    # some openpyxl versions read a carriage return back as a line feed; the quote is what counts
    assert values(sheet)[3][8].replace("\r", "\n") == ("'" + prefix + payload).replace("\r", "\n")


def test_escape_formula_property():
    rng = random.Random(20241)  # noqa: S311 - a fixed seed, for repeatable cases
    alphabet = list("=+-@\t\r\n abc张三123'") + ["\x00"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        escaped = exporting.escape_formula(text)
        assert not escaped.startswith(DANGEROUS + ("\0",))
        if text and text[0] in "=+-@\t\r\n":
            assert escaped.startswith("'")
            assert escaped[1:] == text.replace("\x00", "")
    assert exporting.escape_formula(12) == 12
    assert exporting.escape_formula(None) is None


def test_export_then_import_changes_nothing(tree, users):
    make_member(tree.a1v, name="张三", phone="+86 138 0013 8000", party_branch="-第一支部")
    make_member(tree.a1c, name="李四", female=True, household_size=5)
    buffer = io.BytesIO()
    exporting.write_register(
        selectors.member_list(user=users.county_staff), user=users.county_staff, destination=buffer
    )
    history = Member.history.count()
    result = importing.import_register(io.BytesIO(buffer.getvalue()), user=users.county_staff)
    assert result.counts == {"total": 2, "created": 0, "updated": 0, "unchanged": 2, "rejected": 0}, result.as_json()
    assert Member.history.count() == history


def test_export_view_streams_a_workbook_with_a_fixed_number_of_queries(
    client, tree, users, django_assert_max_num_queries
):
    client.force_login(users.county_staff)
    url = reverse("members_import:export")
    make_member(tree.a1v)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    for _ in range(30):
        make_member(tree.a1v)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment")
    assert "xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 3 + 31


def test_export_view_needs_login_and_a_role_that_sees_members(client, users):
    url = reverse("members_import:export")
    assert client.get(url).status_code == 302
    # experts, enterprises and the centre see a few assigned members, not the register
    for account in (users.expert, users.enterprise, users.urban_centre):
        client.force_login(account)
        assert client.get(url).status_code == 403
    client.force_login(users.leader)
    assert client.get(url).status_code == 200


def test_member_resource_for_the_admin_export(tree, users):
    member = make_member(tree.a1v, name="=张三")
    dataset = MemberResource(user=users.leader).export()
    assert dataset.headers[:3] == ["档案编号", "姓名", "性别"]
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert row["姓名"] == "'=张三"
    assert row["公民身份号码"] == member.masked_id_number
    assert row["村（社区）"] == "张庄村"
    assert (
        MemberResource(user=users.county_staff).export()[0][dataset.headers.index("公民身份号码")] == member.id_number
    )
