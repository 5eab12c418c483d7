"""A work-team member on a phone: from the home page's list of members due a visit to a saved
note, then through the menu to the member's file, where the note is the latest visit.

tests/browser/test_visit_note.py covers the form itself (member search, the draft kept
across a reload) and checks the database; this journey checks what the member sees.
"""

import pytest

from tests.assistance.factories import make_team
from tests.browser.conftest import log_in, screenshot
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_work_team_visits_a_member_due_from_the_home_page(phone_page, tree, users):
    make_team(tree.a, [tree.a1v], [users.work_team])
    make_member(tree.a1v, name="张庄党员")
    make_member(tree.a1v, name="王家老二")
    page = phone_page
    log_in(page, users.work_team.username)

    # the home panel lists who is due a visit, each with its own button
    due = _due_visits(page).locator(".list-group-item", has_text="张庄党员")
    assert "尚未走访" in due.inner_text()
    due.get_by_role("link", name="走访").click()
    page.wait_for_url("**/assistance/visits/add/?member=*")
    assert page.get_by_role("heading", name="填写走访记录").is_visible()
    assert "张庄党员" in page.locator("select[name=member] option:checked").inner_text()
    page.fill("textarea[name=findings]", "肉牛存栏8头，长势良好；饲草储备不足。")
    page.fill("textarea[name=actions]", "联系专家服务团下月实地指导。")
    screenshot(page, "visit_form_phone")
    page.get_by_role("button", name="保存走访记录").click()
    page.wait_for_url("**/assistance/visits/*/")
    screenshot(page, "visit_saved_phone")
    main = page.locator("main").inner_text()
    assert "张庄党员" in main
    assert "饲草储备不足" in main
    assert "联系专家服务团下月实地指导" in main

    # back home, the member is no longer waiting for a first visit
    page.goto("/")
    due = _due_visits(page)
    assert "王家老二" in due.inner_text()
    assert "张庄党员" not in due.inner_text()

    # through the folded menu to the register and the member's file
    page.click(".navbar-toggler")
    page.locator("#mainnav").get_by_role("link", name="贫困党员档案").click()
    page.wait_for_url("**/members/")
    page.locator(".d-md-none .list-group").get_by_role("link", name="张庄党员").click()
    page.wait_for_url("**/members/*/")
    visits = page.locator("#assistance").inner_text()
    screenshot(page, "visit_member_file_phone")
    assert "饲草储备不足" in visits
    assert users.work_team.display_name in visits
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _due_visits(page):
    return page.get_by_test_id("assistance-panel").locator(".card", has_text="应走访")
