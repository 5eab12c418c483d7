"""The work list gathers every app's work_items hook, soonest first."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from reports import selectors

pytestmark = pytest.mark.django_db


def test_items_from_every_hook_are_sorted_by_due_day_whatever_their_type(users, monkeypatch):
    def one(user):
        return [{"kind": "甲", "title": "无期限", "url": "/a/", "due": None}]

    def two(user):
        return [
            {"kind": "乙", "title": "后到期", "url": "/b/", "due": datetime(2026, 3, 1, 9, 0)},
            {"kind": "乙", "title": "先到期", "url": "/c/", "due": date(2026, 1, 5)},
        ]

    area_one, area_two = SimpleNamespace(verbose_name="甲区"), SimpleNamespace(verbose_name="乙区")
    monkeypatch.setattr(
        "organization.hooks.hooks_by_app",
        lambda name: ((area_one, one), (area_two, two)) if name == "work_items" else (),
    )
    items = selectors.all_work_items(users.county_staff)
    assert [item["title"] for item in items] == ["先到期", "后到期", "无期限"]
    # each item carries the area it came from, for the badge on the home page
    assert [item["area"] for item in items] == ["乙区", "乙区", "甲区"]


def test_the_home_page_names_the_area_of_each_item(client, users, tree):
    from members.models import ImportBatch

    ImportBatch.objects.create(
        created_by=users.county_staff, region=tree.a, original_name="我的台账.xlsx", file="x.xlsx", status="previewed"
    )
    client.force_login(users.county_staff)
    body = client.get("/").content.decode()
    work_list = body[body.index('data-testid="work-list"') :]
    assert "导入待确认" in work_list
    assert '<span class="badge text-bg-light border me-1">贫困党员档案</span>' in work_list


def test_the_register_items_are_only_the_users_own_imports(users, tree):
    from members.models import ImportBatch

    ImportBatch.objects.create(
        created_by=users.county_staff, region=tree.a, original_name="我的台账.xlsx", file="x.xlsx", status="previewed"
    )
    ImportBatch.objects.create(
        created_by=users.city_staff, region=tree.city, original_name="市里台账.xlsx", file="y.xlsx", status="previewed"
    )
    titles = [item["title"] for item in selectors.work_items(users.county_staff)]
    assert any("我的台账" in title for title in titles)
    assert not any("市里台账" in title for title in titles)


def test_a_failed_bulletin_is_on_the_requesters_list(users, tree):
    from reports.models import BulletinJob

    BulletinJob.objects.create(year=2025, region=tree.a, state="failed", requested_by=users.county_staff)
    assert any("生成失败" in item["title"] for item in selectors.work_items(users.county_staff))
    assert not any("生成失败" in item["title"] for item in selectors.work_items(users.county_b))
