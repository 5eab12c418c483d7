"""A leader opens the progress dashboard from the menu and drills down city → county → township →
village, each level's figures counting only that place."""

import pytest

from tests.browser.conftest import log_in, screenshot
from tests.members.factories import make_member
from tests.reports.factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def register(tree):
    """6 members: 张庄村 3 (2 out of poverty in YEAR), 建设路社区 1, 白河县's 李家湾村 2 (1 out)."""
    make_programme()
    zhang = [make_member(tree.a1v, name=f"张庄党员{i}") for i in range(3)]
    make_member(tree.a1c, name="社区党员")
    bai = [make_member(tree.b1v, name=f"白河党员{i}") for i in range(2)]
    for member in (zhang[0], zhang[1], bai[0]):
        make_exit(member)
    make_plan(tree.a, out=2)
    make_plan(tree.b, out=3)


def test_a_leader_drills_down_from_the_city_to_a_village(desk_page, users, register):
    page = desk_page
    log_in(page, users.leader.username)
    page.get_by_role("button", name="统计与考核").click()
    page.locator("#mainnav").get_by_role("link", name="进展看板").click()
    page.wait_for_url("**/reports/")
    page.select_option("select#year", str(YEAR))  # the year is chosen once and kept while drilling down
    page.wait_for_url(f"**/reports/?year={YEAR}")
    screenshot(page, "dashboard_city")
    assert _view(page) == {
        "title": f"河洛市 {YEAR}年度进展看板",
        "members": "6",
        "poor": "3",
        "exits": "3",
        "rows": {"青山县": ("4", "2"), "白河县": ("2", "1")},
    }

    _drill(page, "青山县")
    assert _view(page) == {
        "title": f"青山县 {YEAR}年度进展看板",
        "members": "4",
        "poor": "2",
        "exits": "2 / 2",  # against the county's plan
        "rows": {"青石镇": ("4", "2")},
    }
    assert "白河" not in page.locator("main").inner_text()

    _drill(page, "青石镇")
    screenshot(page, "dashboard_township")
    assert _view(page) == {
        "title": f"青石镇 {YEAR}年度进展看板",
        "members": "4",
        "poor": "2",
        "exits": "2",
        "rows": {"张庄村": ("3", "2"), "建设路社区": ("1", "0")},
    }

    _drill(page, "张庄村")
    screenshot(page, "dashboard_village")
    view = _view(page)
    assert view == {"title": f"张庄村 {YEAR}年度进展看板", "members": "3", "poor": "1", "exits": "2", "rows": {}}
    assert _crumbs(page) == ["河洛市", "青山县", "青石镇", "张庄村"]
    assert page.get_by_test_id("dashboard-table").count() == 0  # a village has no regions below it

    # the village's figure opens the register list of exactly those members
    page.get_by_test_id("total-members").click()
    page.wait_for_url("**/members/?*")
    assert "共 3 条" in page.locator("main").inner_text()
    names = page.locator("table").first.inner_text()
    assert all(f"张庄党员{i}" in names for i in range(3))
    assert "社区党员" not in names


def _drill(page, name):
    page.get_by_test_id("dashboard-table").get_by_role("link", name=name, exact=True).click()
    page.get_by_role("heading", name=f"{name} {YEAR}年度进展看板").wait_for()


def _crumbs(page):
    return [text.strip() for text in page.locator(".breadcrumb-item").all_inner_texts()]


def _view(page) -> dict:
    cards = page.locator(".stat-card .stat-value")
    rows = {}
    for row in page.get_by_test_id("dashboard-table").locator("tbody tr").all():
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        if len(cells) > 2:
            rows[cells[1]] = (cells[2], cells[10])  # 贫困党员, 年度脱贫
    return {
        "title": page.locator("h1").inner_text(),
        "members": cards.nth(0).inner_text(),
        "poor": cards.nth(1).inner_text(),
        "exits": cards.nth(2).inner_text(),
        "rows": rows,
    }
