"""City staff import a county's register: upload, read the preview row by row, confirm, find the member."""

from datetime import date

import pytest

from members.models import Member
from tests.browser.conftest import log_in, screenshot
from tests.members.workbooks import id_with, person, simple_register

pytestmark = pytest.mark.django_db(transaction=True)


def register() -> bytes:
    return simple_register(
        [
            person("韩梅梅", id_with(date(1972, 4, 5), female=True)),
            person("刘大壮", id_with(date(1970, 8, 1)), "建设路社区", 人均纯收入=3100),
            person("马有才", "41992119700101123"),  # 17 digits: refused with its reason
            person("孙不在", id_with(date(1971, 2, 2)), "王家村"),  # no such village
        ],
        title="青山县贫困党员登记造册",
    )


def test_city_staff_import_a_register_and_find_the_member(desk_page, tree, users, tmp_path):
    page = desk_page
    log_in(page, users.city_staff.username)
    page.get_by_role("button", name="贫困党员档案").click()  # the members' drop-down in the menu
    page.get_by_role("link", name="台账导入").click()
    page.wait_for_url("**/members/import/")
    assert page.get_by_role("heading", name="导入 Excel 台账").is_visible()

    workbook = tmp_path / "青山县登记表.xlsx"
    workbook.write_bytes(register())
    page.set_input_files("input[name=file]", str(workbook))
    page.get_by_role("button", name="上传并检查").click()
    page.get_by_test_id("batch-rows").wait_for()
    screenshot(page, "import_preview")

    # the preview says row by row, in Chinese, what will happen, and nothing is written yet
    assert page.get_by_test_id("batch-status").inner_text() == "待确认"
    assert "尚未写入任何数据" in page.locator(".alert-warning").inner_text()
    rows = {cells[1]: cells for cells in _rows(page)}
    assert rows["韩梅梅"][2] == "新建"
    assert rows["刘大壮"][2] == "新建"
    assert rows["马有才"][2] == "拒绝"
    assert "身份证号" in rows["马有才"][3]
    assert rows["孙不在"][2] == "拒绝"
    assert "王家村" in rows["孙不在"][3]
    assert not Member.objects.exists()

    page.get_by_test_id("confirm-import").click()
    page.get_by_text("导入完成。").wait_for()
    screenshot(page, "import_done")
    assert page.get_by_test_id("batch-status").inner_text() == "已完成"
    counts = _counts(page)
    assert counts == {"人员行数": "4", "新建": "2", "更新": "0", "无变化": "0", "拒绝": "2"}

    # the imported member is in the register list, in the village the file named
    page.get_by_role("button", name="贫困党员档案").click()
    page.locator("#mainnav").get_by_role("link", name="贫困党员档案").click()
    page.fill("input[name=q]", "刘大壮")
    page.get_by_role("button", name="查询").click()
    table = page.locator("table").first
    table.wait_for()
    assert "共 1 条" in page.locator("main").inner_text()
    assert "刘大壮" in table.inner_text()
    assert "建设路社区" in table.inner_text()
    table.get_by_role("link", name="刘大壮").click()
    page.wait_for_url("**/members/*/")
    assert "刘大壮" in page.locator("h1").inner_text()


def _rows(page):
    return [
        [cell.strip() for cell in row.locator("td").all_inner_texts()]
        for row in page.get_by_test_id("batch-rows").locator("tbody tr").all()
    ]


def _counts(page):
    cards = page.get_by_test_id("batch-counts").locator(".card-body").all()
    return {card.locator(".stat-label").inner_text(): card.locator(".stat-value").inner_text() for card in cards}
