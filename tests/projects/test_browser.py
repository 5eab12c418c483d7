"""A work team's journey on a phone: propose a project from the member's file, record its review."""

import pytest

from projects.models import IncomeProject
from tests.browser.conftest import browser, log_in, phone_page  # noqa: F401 - fixtures
from tests.members.factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_work_team_proposes_and_reviews_on_a_phone(phone_page, tree, users):  # noqa: F811
    member = make_member(tree.a1v, name="赵满仓")
    page = phone_page
    log_in(page, users.work_team.username)
    page.goto(member.get_absolute_url())
    page.get_by_role("link", name="提出项目").click()
    page.fill("input[name=title]", "林下养鸡")
    page.select_option("select[name=direction]", "agriculture")
    page.fill("textarea[name=description]", "在自家林地散养土鸡500只。")
    page.fill("input[name=budget]", "0")
    page.fill("input[name=expected_income]", "9000")
    page.get_by_role("button", name="保存").click()
    # a zero budget is refused on its field, and nothing is saved
    assert "金额必须大于零" in page.locator(".invalid-feedback").first.inner_text()
    assert not IncomeProject.objects.exists()
    page.fill("input[name=budget]", "6000")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "提出"
    page.get_by_role("link", name="录入论证").click()
    page.fill("textarea[name=experts]", "刘明远 河洛市农业科学院")
    page.select_option("select[name=conclusion]", "feasible")
    page.fill("textarea[name=opinion]", "技术成熟，销路稳定。")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("timeline").wait_for()
    assert page.get_by_test_id("status").inner_text() == "论证中"
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "刘明远" in timeline
    assert users.work_team.display_name in timeline  # the recording member is a participant by default
    # no horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/projects/")
    assert "林下养鸡" in page.locator(".d-md-none .list-group").inner_text()
