"""A work team recommends trainees on a phone; staff print the attendance sheet."""

import pytest

from tests.browser.conftest import browser, log_in, phone_page  # noqa: F401 - fixtures
from tests.members.factories import make_member
from training.choices import BatchStatus, EnrolmentStatus
from training.models import Enrolment

from .factories import make_batch

pytestmark = pytest.mark.django_db(transaction=True)


def test_work_team_recommends_on_a_phone(phone_page, tree, users, tmp_path_factory):  # noqa: F811
    batch = make_batch(tree.city, title="设施农业培训班", status=BatchStatus.ENROLLING)
    make_member(tree.a1v, name="张庄党员")
    make_member(tree.a1v, name="王家老二")
    make_member(tree.a1c, name="社区党员")  # not the team's village
    page = phone_page
    log_in(page, users.work_team.username)
    page.goto("/training/recommend/")
    page.get_by_role("link", name="推荐学员").last.click()
    page.wait_for_url(f"**/training/batches/{batch.pk}/recommend/")
    labels = page.locator("label.list-group-item").all_inner_texts()
    assert any("张庄党员" in text for text in labels)
    assert not any("社区党员" in text for text in labels)
    # a tap on the whole row ticks the member
    page.locator("label.list-group-item", has_text="张庄党员").click()
    page.fill("input[name=reason]", "想学大棚蔬菜")
    # the submit button is reachable without zooming: the page is no wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path_factory.getbasetemp() / "recommend_phone.png"), full_page=True)
    page.get_by_role("button", name="提交推荐").click()
    page.wait_for_url("**/training/recommend/")
    assert page.get_by_text("已推荐1人").is_visible()
    enrolment = Enrolment.objects.get()
    assert enrolment.member.name == "张庄党员"
    assert enrolment.status == EnrolmentStatus.RECOMMENDED
    assert enrolment.recommended_by == users.work_team
