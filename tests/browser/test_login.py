import pytest

from tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_work_team_member_logs_in_on_a_phone(phone_page, tree, users):
    log_in(phone_page, users.work_team.username)
    assert phone_page.get_by_test_id("home-title").inner_text() == "驻村工作队工作台"
    # the menu folds away on a phone and opens with its button
    menu_link = phone_page.locator("#mainnav a", has_text="贫困党员档案")
    assert menu_link.count() == 1
    assert not menu_link.is_visible()
    phone_page.click(".navbar-toggler")
    menu_link.wait_for(state="visible")
