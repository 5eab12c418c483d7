"""The register's pages: list, file, forms, history, print, past years, notices."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import IdNumberReveal, Member, StatusChange
from tests.members.factories import id_number, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def form_data(village, **extra):
    data = {
        "name": "王建国",
        "id_number": id_number(),
        "ethnicity": "汉族",
        "village": village.pk,
        "education": "junior",
        "health": "healthy",
        "labour_capacity": "ordinary",
        "has_living_source": "on",
        "household_size": "4",
        "poverty_causes": ["skills", "funds"],
        "income_per_head": "2600",
        "registered_on": TODAY.isoformat(),
    }
    data.update(extra)
    return data


# --- list ----------------------------------------------------------------------------------


def test_list_shows_own_county_with_masked_ids(county_client, tree):
    mine = make_member(tree.a1v, name="张三")
    make_member(tree.b1v, name="李四")
    body = county_client.get(reverse("members:member_list")).content.decode()
    assert "张三" in body
    assert "李四" not in body
    assert mine.masked_id_number in body
    assert mine.id_number not in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "张"}, {"张三"}),
        ({"status": "poor"}, {"张三", "王五"}),
        ({"is_urban": "true"}, {"王五"}),
        ({"cause": "illness"}, {"王五"}),
        ({"track": "undecided"}, {"王五"}),
    ],
)
def test_list_filters(county_client, tree, params, expected):
    make_member(tree.a1v, name="张三")
    make_member(tree.a1c, name="王五", poverty_causes=["illness"], labour_capacity="lost")
    response = county_client.get(reverse("members:member_list"), params)
    names = {row.record.name for row in response.context["table"].page.object_list}
    assert names == expected


def test_search_by_id_suffix_and_file_number(county_client, tree):
    member = make_member(tree.a1v, name="张三")
    make_member(tree.a1v, name="赵六")
    for query in (member.id_number[-6:], member.file_number, member.id_number):
        response = county_client.get(reverse("members:member_list"), {"q": query})
        assert [row.record.name for row in response.context["table"].page.object_list] == ["张三"]


def test_list_query_count_does_not_grow(county_client, tree, django_assert_num_queries):
    for _ in range(3):
        make_member(tree.a1v)
    url = reverse("members:member_list")
    county_client.get(url)
    # session, user+region, user permissions, count, page, plus the filter form's region choices (3)
    with django_assert_num_queries(8):
        county_client.get(url)
    for _ in range(30):
        make_member(tree.a1c)
    with django_assert_num_queries(8):
        county_client.get(url)


# --- create and edit -----------------------------------------------------------------


def test_create_member_through_the_form(county_client, tree, users):
    response = county_client.post(reverse("members:member_add"), form_data(tree.a1v))
    member = Member.objects.get()
    assert response.status_code == 302
    assert response["Location"] == member.get_absolute_url()
    assert member.poverty_causes == ["skills", "funds"]
    assert member.history.get().history_user == users.county_staff


def test_form_errors_are_field_by_field_in_chinese(county_client, tree):
    response = county_client.post(
        reverse("members:member_add"),
        form_data(tree.a1v, id_number="110105194912310021", household_size="0", income_per_head="-5"),
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert "校验位不正确" in str(form.errors["id_number"])
    assert "household_size" in form.errors
    assert "income_per_head" in form.errors
    assert not Member.objects.exists()


def test_possible_duplicate_must_be_confirmed(county_client, tree):
    born = TODAY.replace(year=1970, month=5, day=5)
    make_member(tree.a1c, name="王建国", born=born)
    data = form_data(tree.a1v, id_number=id_number(born))
    response = county_client.post(reverse("members:member_add"), data)
    assert response.status_code == 200
    assert 'data-testid="duplicates"' in response.content.decode()
    assert Member.objects.count() == 1
    response = county_client.post(reverse("members:member_add"), {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_same_id_number_is_refused_on_the_form(county_client, tree):
    existing = make_member(tree.a1v)
    response = county_client.post(reverse("members:member_add"), form_data(tree.a1v, id_number=existing.id_number))
    assert "同一人不能重复建档" in str(response.context["form"].errors["id_number"])


def test_editing_keeps_history(county_client, tree, users):
    # the ID number on the edit form: tests/members/test_id_reveal.py
    member = make_member(tree.a1v)
    data = form_data(tree.a1v, id_number=member.masked_id_number, name=member.name, phone="13912345678")
    county_client.post(reverse("members:member_edit", args=[member.pk]), data)
    history = county_client.get(reverse("members:member_history", args=[member.pk])).content.decode()
    assert "13912345678" in history


def test_other_county_member_is_404_everywhere(county_client, tree):
    other = make_member(tree.b1v)
    for name in ("member_detail", "member_edit", "member_history", "member_print"):
        assert county_client.get(reverse(f"members:{name}", args=[other.pk])).status_code == 404
    assert county_client.get(reverse("members:member_as_of", args=[other.pk, 2025])).status_code == 404
    assert county_client.post(reverse("members:member_reveal_id", args=[other.pk])).status_code == 404


# --- the file page ---------------------------------------------------------------------


def test_file_page_shows_everything_in_fixed_queries(county_client, tree, django_assert_max_num_queries):
    member = make_member(tree.a1v)
    services.household_member_save(actor=None, member=member, relation="spouse", name="李桂兰")
    services.plan_create(
        actor=None,
        member=member,
        direction="agriculture",
        project="肉牛养殖",
        measures="技术培训",
        income_target=Decimal("6000"),
        target_year=TODAY.year + 1,
        responsible_person="王队长",
    )
    # the register's own 9, then each area's section on the file: training 3
    # (enrolments, services, visits), projects 1, assistance 3, fund 1
    with django_assert_max_num_queries(17):
        response = county_client.get(member.get_absolute_url())
    body = response.content.decode()
    assert "李桂兰" in body
    assert "肉牛养殖" in body
    assert member.masked_id_number in body
    assert member.id_number not in body


def test_reveal_shows_the_number_once_and_logs_it(county_client, tree, users):
    member = make_member(tree.a1v)
    response = county_client.post(reverse("members:member_reveal_id", args=[member.pk]), follow=True)
    assert member.id_number in response.content.decode()
    assert IdNumberReveal.objects.get().user == users.county_staff
    assert member.id_number not in county_client.get(member.get_absolute_url()).content.decode()


def test_leader_sees_masked_and_cannot_reveal(client, tree, users):
    member = make_member(tree.a1v)
    client.force_login(users.leader)
    body = client.get(member.get_absolute_url()).content.decode()
    assert "显示完整号码" not in body
    client.post(reverse("members:member_reveal_id", args=[member.pk]))
    assert not IdNumberReveal.objects.exists()
    assert client.get(reverse("members:member_edit", args=[member.pk])).status_code == 403


def test_track_decision_page(county_client, tree):
    member = make_member(tree.a1v, labour_capacity="weak")
    url = reverse("members:track_decide", args=[member.pk])
    response = county_client.post(url, {"track": "demonstration", "reason": ""})
    assert "这个字段是必填项" in response.content.decode() or "该字段是必填项" in response.content.decode()
    county_client.post(url, {"track": "demonstration", "reason": "经村民代表评议"})
    member.refresh_from_db()
    assert member.track == "demonstration"


def test_plan_and_income_check_pages(county_client, tree):
    member = make_member(tree.a1v)
    services.threshold_set(actor=None, year=TODAY.year, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    county_client.post(
        reverse("members:plan_add", args=[member.pk]),
        {
            "direction": "commerce",
            "project": "农家小卖部",
            "measures": "申请资金扶持",
            "income_target": "5000",
            "target_year": TODAY.year + 1,
            "responsible_person": "李书记",
        },
    )
    assert member.plans.get().project == "农家小卖部"
    county_client.post(
        reverse("members:income_check_add", args=[member.pk]),
        {"year": TODAY.year, "income_per_head": "4500", "checked_on": TODAY.isoformat()},
    )
    change = member.status_changes.get()
    assert change.to_status == "out"
    body = county_client.get(member.get_absolute_url()).content.decode()
    assert "公示中" in body


def test_income_check_without_threshold_says_what_to_do(county_client, tree):
    member = make_member(tree.a1v)
    response = county_client.post(
        reverse("members:income_check_add", args=[member.pk]),
        {"year": 2019, "income_per_head": "4500", "checked_on": TODAY.isoformat()},
    )
    assert "尚未设定 2019 年度的收入标准" in response.content.decode()


def test_notice_pages_confirm_only_after_the_period(county_client, tree, users):
    member = make_member(tree.a1v)
    services.threshold_set(actor=None, year=TODAY.year, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    services.income_check_record(actor=None, member=member, year=TODAY.year, income_per_head=Decimal("4500"))
    change = member.status_changes.get()
    confirm = reverse("members:status_confirm", args=[change.pk])
    response = county_client.post(confirm, {"note": ""})
    assert "期满后才能确认" in response.content.decode()
    county_client.post(
        reverse("members:objection_add", args=[change.pk]),
        {"raised_by": "村民甲", "raised_on": TODAY.isoformat(), "content": "收入未计入债务"},
    )
    objection = change.objections.get()
    StatusChange.objects.filter(pk=change.pk).update(
        notice_starts=TODAY - timedelta(days=9), notice_ends=TODAY - timedelta(days=1)
    )
    county_client.post(reverse("members:objection_resolve", args=[objection.pk]), {"resolution": "经核实无债务"})
    response = county_client.post(confirm, {"note": "公示无异议"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.status == "out"


def test_as_of_a_past_year(county_client, tree):
    member = make_member(tree.a1v, phone="13800000001")
    Member.history.filter(id=member.pk).update(history_date=timezone.now() - timedelta(days=800))
    services.member_update(actor=None, member=member, phone="13800000002")
    year = (timezone.now() - timedelta(days=800)).year
    body = county_client.get(reverse("members:member_as_of", args=[member.pk, year])).content.decode()
    assert "13800000001" in body
    assert "13800000002" not in body
    assert county_client.get(reverse("members:member_as_of", args=[member.pk, year - 5])).status_code == 404


def test_print_page_is_a4_and_masked(county_client, tree):
    member = make_member(tree.a1v)
    body = county_client.get(reverse("members:member_print", args=[member.pk])).content.decode()
    assert "size: A4" in body
    assert "贫困党员建档立卡登记表" in body
    assert member.masked_id_number in body
    assert member.id_number not in body


def test_thresholds_only_for_city_staff(client, users):
    client.force_login(users.county_staff)
    assert client.get(reverse("members:threshold_set")).status_code == 403
    client.force_login(users.city_staff)
    response = client.post(
        reverse("members:threshold_set"),
        {"year": 2026, "out_of_poverty": "4200", "well_off": "3000", "notice_days": "7"},
    )
    assert "小康标准必须高于脱贫标准" in response.content.decode()
    client.post(
        reverse("members:threshold_set"),
        {"year": 2026, "out_of_poverty": "4200", "well_off": "12500", "notice_days": "7"},
    )
    assert "12500" in client.get(reverse("members:threshold_list")).content.decode()


def test_list_offers_export_with_the_same_filters_and_import(county_client, tree):
    body = county_client.get(reverse("members:member_list"), {"status": "poor"}).content.decode()
    assert reverse("members_import:export") + "?status=poor" in body
    assert reverse("members_import:upload") in body
