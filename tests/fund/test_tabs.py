"""The fund's tab bar marks the page's own tab, on the tab's page and inside it, and the
overview's stat cards are built to be as tall as each other."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .factories import make_application, receive

pytestmark = pytest.mark.django_db


class TabBar(HTMLParser):
    """The links of ``ul.fund-tabs``: (text, class, aria-current) each."""

    def __init__(self):
        super().__init__()
        self.tabs, self._depth, self._link = [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and "fund-tabs" in (attrs.get("class") or "").split():
            self._depth = 1
        elif self._depth and tag == "ul":
            self._depth += 1
        elif self._depth and tag == "a":
            self._link = [attrs.get("class") or "", attrs.get("aria-current"), ""]

    def handle_endtag(self, tag):
        if self._depth and tag == "ul":
            self._depth -= 1
        elif self._link is not None and tag == "a":
            css, current, text = self._link
            self.tabs.append((text.strip(), css.split(), current))
            self._link = None

    def handle_data(self, data):
        if self._link is not None:
            self._link[2] += data


def marked(response) -> list[tuple[str, str]]:
    """The tabs marked as current: (label, aria-current); a tab marked by the class alone counts too."""
    assert response.status_code == 200
    bar = TabBar()
    bar.feed(response.content.decode())
    assert bar.tabs, "no fund tab bar on the page"
    return [(text, current) for text, css, current in bar.tabs if "active" in css or current]


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("fund:dashboard", "基金概况"),
        ("fund:entry_list", "基金台账"),
        ("fund:application_queue", "待我办理"),
        ("fund:application_list", "全部申请"),
        ("fund:guarantee_list", "贷款担保"),
        ("fund:inspection_list", "使用检查"),
        ("fund:follow_up_list", "整改跟踪"),
    ],
)
def test_each_tab_page_marks_its_own_tab_and_only_it(client, users, city_fund, url_name, label):
    client.force_login(users.city_staff)
    response = client.get(reverse(url_name))
    assert marked(response) == [(label, "page")]
    assert '<a class="nav-link text-nowrap active"' in response.content.decode()


def test_a_record_inside_a_tab_marks_that_tab_as_the_current_section(client, users, tree, city_fund):
    receive(city_fund, "9000", actor=users.city_staff)
    application = make_application(users, tree.a1v, stage="reviewed")
    client.force_login(users.city_staff)
    # the record's own page is not the tab's page: the tab is the current section ("true"), not "page"
    assert marked(client.get(application.get_absolute_url())) == [("全部申请", "true")]
    assert marked(client.get(reverse("fund:application_approve", args=[application.pk]))) == [("全部申请", "true")]
    entry = city_fund.entries.first()
    assert marked(client.get(entry.get_absolute_url())) == [("基金台账", "true")]


def test_the_overview_cards_are_stat_cards_of_one_row(client, users, city_fund):
    client.force_login(users.city_staff)
    page = client.get(reverse("fund:dashboard")).content.decode()
    totals = page[page.index('data-testid="fund-totals"') : page.index('data-testid="by-source"')]
    # every card carries the class the stylesheet stretches to the row's height (static/css/app.css)
    assert totals.count('class="card stat-card"') == 6
    assert totals.count('class="card ') == 6
