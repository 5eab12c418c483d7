"""A fund application from the village to the money: the work team drafts and submits it for a
trained member with an approved project, the township reviews, the county approves, the city
pays; the city's fund page shows the balance fall by the amount.

Each account finds its step from its own home page ("有 1 件基金申请等待您办理").
"""

from decimal import Decimal

import pytest

from fund.choices import Source
from projects.choices import ProjectStatus
from tests.assistance.factories import make_team
from tests.browser.conftest import log_in, screenshot
from tests.fund.factories import make_fund, receive
from tests.members.factories import make_member
from tests.projects.factories import make_project
from tests.training.factories import complete, enrol, make_batch
from training import services as training_services
from training.choices import BatchStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def member(tree, users):
    """钱满囤 of 张庄村: trained (a passed batch), with an approved project, in a stationed team's village."""
    make_team(tree.a, [tree.a1v], [users.work_team])
    member = make_member(tree.a1v, name="钱满囤")
    batch = make_batch(tree.city, title="肉牛养殖技术培训班", status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, member)
    training_services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    complete(enrolment)
    make_project(member, stage=ProjectStatus.APPROVED, title="肉牛养殖")
    fund = make_fund(tree.city)
    receive(fund, "20000", actor=users.city_staff, source=Source.PARTY_DUES)
    return member


def test_a_support_application_from_draft_to_money_paid(desk_page, tree, users, member):
    page = desk_page

    # the city's fund before: 20,000 of party dues received
    log_in(page, users.city_staff.username)
    assert _cash(page) == Decimal("20000.00")
    _log_out(page)

    # 驻村工作队: from the member's file, a draft, then submitted
    log_in(page, users.work_team.username)
    page.goto(member.get_absolute_url())
    page.get_by_role("link", name="申请基金").click()
    page.select_option("select[name=kind]", "support")
    page.select_option("select[name=project]", label="钱满囤：肉牛养殖")
    page.fill("input[name=amount]", "3000")
    page.fill("input[name=purpose]", "购买种牛两头")
    page.get_by_role("button", name="保存草稿").click()
    assert _status(page) == "草稿"
    assert page.get_by_test_id("eligibility").count() == 0  # nothing stands in the way
    page.get_by_role("link", name="提交").click()
    page.get_by_role("button", name="确定").click()
    assert _status(page) == "已提交"
    _log_out(page)

    # 乡镇: reviews with an opinion
    _open_from_home(page, users.township_staff.username)
    page.get_by_role("link", name="审核").click()
    page.fill("textarea[name=opinion]", "情况属实，同意上报。")
    page.get_by_role("button", name="确定").click()
    assert _status(page) == "已审核"
    assert "情况属实，同意上报。" in page.locator("main dl").inner_text()
    _log_out(page)

    # 县区: approves
    _open_from_home(page, users.county_staff.username)
    page.get_by_role("link", name="批准", exact=True).click()
    page.get_by_role("button", name="确定").click()
    assert _status(page) == "已批准"
    _log_out(page)

    # 市: pays from party dues
    _open_from_home(page, users.city_staff.username)
    page.get_by_role("link", name="拨付资金").click()
    page.select_option("select[name=source]", Source.PARTY_DUES)
    page.fill("input[name=reference]", "河组拨〔2026〕3号")
    page.get_by_role("button", name="确定").click()
    assert _status(page) == "已拨付"
    screenshot(page, "fund_paid")
    assert "3000.00" in page.locator("main .list-group").first.inner_text()  # the payment among 资金往来
    assert _cash(page) == Decimal("17000.00")
    screenshot(page, "fund_dashboard_after")


def _status(page) -> str:
    page.get_by_test_id("status").wait_for()
    return page.get_by_test_id("status").inner_text()


def _open_from_home(page, username):
    log_in(page, username)
    assert "有 1 件基金申请等待您办理" in page.locator("main").inner_text()
    page.get_by_role("link", name="去办理").click()
    page.get_by_role("link", name="钱满囤").first.click()
    page.get_by_test_id("status").wait_for()


def _cash(page) -> Decimal:
    page.goto("/fund/")
    totals = page.get_by_test_id("fund-totals").locator(".card", has_text="资金余额")
    return Decimal(totals.locator(".fs-5").inner_text().replace(",", ""))


def _log_out(page):
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login/**")
