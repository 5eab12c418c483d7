"""The history pages list every change, the workflow's ``editable=False`` fields included
(status, who decided, when), with labels; one comparison (organization.history) for all."""

import pytest
from django.urls import reverse

from fund.models import FundApplication
from organization.history import history_entries
from tests.fund.factories import make_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_fund(tree):
    from tests.fund.factories import make_fund

    return make_fund(tree.city)


@pytest.fixture
def approved(users, tree, city_fund, monkeypatch, stationed_team):
    from fund import selectors

    monkeypatch.setattr(selectors, "_completed_training", lambda member: True)  # the fund's rule, not training's
    return make_application(users, tree.a1v, stage="approved")


@pytest.fixture
def stationed_team(users, tree):
    from tests.assistance.factories import make_team

    return make_team(tree.a, [tree.a1v], [users.work_team])


def changes_of(entry) -> dict:
    return {str(change["field"]): (str(change["old"]), str(change["new"])) for change in entry["changes"]}


def test_a_status_change_by_a_service_is_listed_with_its_labels(county_client, users, approved):
    page = county_client.get(reverse("fund:application_history", args=[approved.pk])).content.decode()
    assert "已提交 → 已审核" in page
    assert "已审核 → 已批准" in page
    assert "审核意见" in page
    assert "情况属实" in page
    assert f"审批人</strong>：— → {users.county_staff.display_name}" in page


def test_entries_compare_every_kept_field_but_the_bookkeeping(users, approved):
    entries = history_entries(approved.history.all(), FundApplication, user=users.county_staff)
    assert [entry["record"].status for entry in entries] == ["approved", "reviewed", "submitted", "draft"]
    approval, review, submission, creation = (changes_of(entry) for entry in entries)
    assert approval["状态"] == ("已审核", "已批准")
    assert approval["审批人"] == ("—", users.county_staff.display_name)
    assert "审批时间" in approval
    assert review["审核人"] == ("—", users.township_staff.display_name)
    assert review["审核意见"] == ("—", "情况属实")
    assert submission["状态"] == ("草稿", "已提交")
    assert "提交时间" in submission
    assert creation == {}
    bookkeeping = {str(FundApplication._meta.get_field(name).verbose_name) for name in ("id", "created_at")}
    for entry in entries:
        assert not bookkeeping & set(changes_of(entry))


def test_an_account_is_named_for_a_user_who_may_see_it_or_sees_it_as_the_rows_author(users, approved):
    # the work team may not read accounts: named only where the row's "who" column names it anyway
    assert changes_of(history_entries(approved.history.all(), FundApplication, user=users.work_team)[1])["审核人"] == (
        "—",
        users.township_staff.display_name,
    )
    approved.history.update(history_user=None)  # rows written by the system
    review = changes_of(history_entries(approved.history.all(), FundApplication, user=users.work_team)[1])
    assert review["审核人"] == ("—", str(users.township_staff.pk))
    review = changes_of(history_entries(approved.history.all(), FundApplication, user=users.county_staff)[1])
    assert review["审核人"] == ("—", users.township_staff.display_name)


def test_masked_fields_show_only_what_the_mask_gives(users, approved):
    entries = history_entries(
        approved.history.all(), FundApplication, user=users.county_staff, masked={"review_opinion": lambda v: "***"}
    )
    assert changes_of(entries[1])["审核意见"] == ("—", "***")
