"""A work-team member enters a visit note on a phone, and a draft survives a reload."""

import pytest

from assistance.models import VisitNote
from tests.assistance.factories import make_team
from tests.browser.conftest import log_in
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def village(tree, users):
    make_team(tree.a, [tree.a1v], [users.work_team])
    make_member(tree.a1v, name="张庄党员")
    make_member(tree.a1v, name="王家老二")
    make_member(tree.a1c, name="社区党员")  # not in the team's village
    return tree.a1v


def test_work_team_saves_a_visit_note_on_a_phone(phone_page, village, users, tmp_path_factory):
    page = phone_page
    log_in(page, users.work_team.username)
    page.get_by_role("link", name="填写走访记录").first.click()
    page.wait_for_url("**/assistance/visits/add/")
    options = page.locator("select[name=member] option").all_inner_texts()
    assert any("张庄党员" in text for text in options)
    assert not any("社区党员" in text for text in options)
    # a few taps: filter by name, the date is today already
    page.fill("#member-search", "张庄")
    assert page.locator("select[name=member]").input_value() != ""
    page.fill("textarea[name=findings]", "肉牛存栏8头，长势良好；饲草储备不足。")
    page.fill("textarea[name=actions]", "联系专家服务团下月实地指导。")
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "visit_note_phone.png"), full_page=True)
    page.get_by_role("button", name="保存走访记录").click()
    page.wait_for_url("**/assistance/visits/*/")
    note = VisitNote.objects.get()
    assert note.member.name == "张庄党员"
    assert note.visitor == users.work_team
    assert "饲草储备不足" in note.findings
    # the saved note's draft is gone: the form opens empty
    page.goto("/assistance/visits/add/")
    assert page.locator("textarea[name=findings]").input_value() == ""
    assert page.locator("#draft-restored").is_hidden()


def test_a_draft_survives_a_reload(phone_page, village, users):
    page = phone_page
    log_in(page, users.work_team.username)
    page.goto("/assistance/visits/add/")
    member = page.locator("select[name=member] option", has_text="王家老二").get_attribute("value")
    page.select_option("select[name=member]", member)
    page.fill("textarea[name=findings]", "腰伤复发，两周未下地。")
    page.fill("textarea[name=needs]", "需要医疗报销协助")
    # the connection drops before saving; the page is opened again
    page.reload()
    assert page.locator("#draft-restored").is_visible()
    assert page.locator("textarea[name=findings]").input_value() == "腰伤复发，两周未下地。"
    assert page.locator("textarea[name=needs]").input_value() == "需要医疗报销协助"
    assert page.locator("select[name=member]").input_value() == member
    assert not VisitNote.objects.exists()
    page.get_by_role("button", name="保存走访记录").click()
    page.wait_for_url("**/assistance/visits/*/")
    assert VisitNote.objects.get().needs == "需要医疗报销协助"
