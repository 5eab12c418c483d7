"""A work team's journey on a phone: apply for direct support from the member's file and submit it."""

import pytest

from fund.choices import ApplicationStatus
from fund.models import FundApplication
from tests.browser.conftest import browser, log_in, phone_page  # noqa: F401 - fixtures

from .factories import eligible_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_work_team_applies_and_submits_on_a_phone(phone_page, tree, users, city_fund):  # noqa: F811
    member, project = eligible_member(tree.a1v, name="钱满囤")
    page = phone_page
    log_in(page, users.work_team.username)
    page.goto(member.get_absolute_url())
    page.get_by_role("link", name="申请基金").click()
    page.select_option("select[name=kind]", "support")
    page.select_option("select[name=project]", str(project.pk))
    page.fill("input[name=amount]", "3000.001")
    page.fill("input[name=purpose]", "购买种牛两头")
    page.get_by_role("button", name="保存草稿").click()
    # more decimals than fen is refused on its field, and nothing is saved
    assert "精确到分" in page.locator(".invalid-feedback").first.inner_text()
    assert not FundApplication.objects.exists()
    page.fill("input[name=amount]", "3000")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "草稿"
    page.get_by_role("link", name="提交").click()
    page.get_by_role("button", name="确定").click()
    page.get_by_test_id("status").wait_for()
    assert page.get_by_test_id("status").inner_text() == "已提交"
    assert FundApplication.objects.get().status == ApplicationStatus.SUBMITTED
    # no horizontal scrolling on a phone
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
