"""The training pages: lists, batch page, recommendation on a phone, admission,
assessment, attendance, costs, exports, experts, services, bases and visits."""

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.members.factories import make_member
from training import services
from training.choices import BatchStatus, EnrolmentStatus
from training.models import BaseVisit, BatchBudgetItem, Enrolment, ExpertService, TrainingBatch

from .factories import complete, enrol, make_base, make_batch, make_expert, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_client(client, users):
    client.force_login(users.city_staff)
    return client


def login(client, user):
    client.force_login(user)
    return client


# --- batches -------------------------------------------------------------------------------


def test_batch_list_is_scoped_along_the_region_line(county_client, tree):
    make_batch(tree.city, title="全市第一期")
    make_batch(tree.a, title="青山县专题班")
    make_batch(tree.b, title="白河县专题班")
    body = county_client.get(reverse("training:batch_list")).content.decode()
    assert "全市第一期" in body
    assert "青山县专题班" in body
    assert "白河县专题班" not in body


def test_batch_list_query_count_does_not_grow(county_client, tree, django_assert_max_num_queries):
    url = reverse("training:batch_list")
    make_batch(tree.city)
    county_client.get(url)
    with django_assert_max_num_queries(6) as first:
        county_client.get(url)
    for _ in range(12):
        batch = make_batch(tree.a, status=BatchStatus.ENROLLING)
        enrol(batch, make_member(tree.a1v))
    with django_assert_max_num_queries(len(first.captured_queries)):
        county_client.get(url)


def test_batch_created_through_the_form(city_client, tree, users):
    data = {
        "title": "贫困党员实用技术培训班",
        "period_number": "3",
        "region": tree.city.pk,
        "organizer": "市农村党员干部培训学校",
        "start_date": "2026-04-06",
        "end_date": "2026-04-12",
        "place": "市委党校",
        "capacity": "40",
    }
    response = city_client.post(reverse("training:batch_add"), data)
    batch = TrainingBatch.objects.get()
    assert response["Location"] == batch.get_absolute_url()
    assert batch.history.get().history_user == users.city_staff


def test_batch_dates_in_wrong_order_show_a_chinese_error_and_save_nothing(city_client, tree):
    data = {
        "title": "培训班",
        "period_number": "1",
        "region": tree.city.pk,
        "organizer": "培训学校",
        "start_date": "2026-04-12",
        "end_date": "2026-04-06",
        "place": "市委党校",
        "capacity": "40",
    }
    response = city_client.post(reverse("training:batch_add"), data)
    assert response.status_code == 200
    assert "结业日期不能早于开班日期" in str(response.context["form"].errors["end_date"])
    assert not TrainingBatch.objects.exists()


def test_another_countys_batch_is_not_found(county_client, tree):
    batch = make_batch(tree.b)
    for name in ("batch_detail", "batch_attendance_sheet", "batch_costs", "batch_roster_export", "batch_edit"):
        assert county_client.get(reverse(f"training:{name}", args=[batch.pk])).status_code == 404


def test_county_staff_see_a_city_batch_but_cannot_change_it(county_client, tree):
    batch = make_batch(tree.city)
    assert county_client.get(batch.get_absolute_url()).status_code == 200
    assert county_client.get(reverse("training:batch_edit", args=[batch.pk])).status_code == 404
    assert county_client.get(reverse("training:topic_add", args=[batch.pk])).status_code == 403


def test_batch_page_shows_only_the_roster_the_user_may_see(county_client, tree, django_assert_max_num_queries):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v, name="青山学员"))
    enrol(batch, make_member(tree.b1v, name="白河学员"))
    county_client.get(batch.get_absolute_url())
    with django_assert_max_num_queries(14):
        body = county_client.get(batch.get_absolute_url()).content.decode()
    assert "青山学员" in body
    assert "白河学员" not in body


def test_batch_advances_through_a_post(city_client, tree):
    batch = make_batch(tree.city)
    city_client.post(reverse("training:batch_advance", args=[batch.pk]), {"to_status": "enrolling"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ENROLLING
    response = city_client.post(
        reverse("training:batch_advance", args=[batch.pk]), {"to_status": "finished"}, follow=True
    )
    assert "不能直接改为“已结束”；下一步只能改为“培训中”" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ENROLLING


# --- recommendation (phone) and admission ------------------------------------------------------


def test_work_team_recommends_from_its_phone(client, tree, users):
    login(client, users.work_team)
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    mine = make_member(tree.a1v, name="本村党员")
    make_member(tree.a1v, name="本村救济对象", born=date(1950, 1, 1), has_living_source=False)
    make_member(tree.a1c, name="社区党员")
    start = client.get(reverse("training:recommend_start")).content.decode()
    assert str(batch) in start
    page = client.get(reverse("training:recommend", args=[batch.pk]))
    body = page.content.decode()
    assert 'name="viewport"' in body
    assert "本村党员" in body
    assert "本村救济对象" not in body  # not on the demonstration track
    assert "社区党员" not in body  # not the team's village
    response = client.post(reverse("training:recommend", args=[batch.pk]), {"members": [mine.pk], "reason": "想学"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.member, enrolment.recommended_by, enrolment.reason) == (mine, users.work_team, "想学")


def test_work_team_cannot_recommend_someone_outside_its_village(client, tree, users):
    login(client, users.work_team)
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    outsider = make_member(tree.b1v)
    response = client.post(reverse("training:recommend", args=[batch.pk]), {"members": [outsider.pk]})
    assert response.status_code == 200
    assert response.context["form"].errors["members"]
    assert not Enrolment.objects.exists()


def test_recommending_nobody_says_so(client, tree, users):
    login(client, users.work_team)
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    response = client.post(reverse("training:recommend", args=[batch.pk]), {})
    assert "请至少勾选一名党员" in response.content.decode()


def test_recommending_several_is_all_or_nothing(client, tree, users):
    login(client, users.work_team)
    first = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    second = make_batch(tree.city, start=date(2026, 3, 3), status=BatchStatus.ENROLLING)
    busy, free = make_member(tree.a1v, name="已录取"), make_member(tree.a1v, name="空闲")
    enrol(first, busy)
    response = client.post(reverse("training:recommend", args=[second.pk]), {"members": [free.pk, busy.pk]})
    assert "不能同时参加两期培训" in response.content.decode()
    assert not second.enrolments.exists()


def test_work_team_cannot_admit_or_see_costs(client, tree, users):
    login(client, users.work_team)
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v), admit=False)
    assert client.post(reverse("training:enrolment_admit", args=[enrolment.pk])).status_code == 403
    assert client.get(reverse("training:batch_costs", args=[batch.pk])).status_code == 403
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.RECOMMENDED


def test_admission_past_capacity_is_refused_on_the_page(city_client, tree):
    batch = make_batch(tree.city, capacity=1, status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v))
    waiting = enrol(batch, make_member(tree.a1v), admit=False)
    response = city_client.post(reverse("training:enrolment_admit", args=[waiting.pk]), follow=True)
    assert "已满员" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.RECOMMENDED


def test_assessment_through_the_form(city_client, tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v), recommended_by=users.work_team)
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    url = reverse("training:enrolment_assess", args=[enrolment.pk])
    response = city_client.post(url, {"grade": "good", "score": "88", "certificate_number": ""})
    assert "请填写结业证书编号" in response.content.decode()
    response = city_client.post(url, {"grade": "good", "score": "88", "certificate_number": "HL-9", "completed_on": ""})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.key_target_since is not None


def test_decline_needs_a_reason_on_the_page(city_client, tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v), admit=False)
    response = city_client.post(reverse("training:enrolment_decline", args=[enrolment.pk]), {"note": ""})
    assert response.status_code == 200
    response = city_client.post(reverse("training:enrolment_decline", args=[enrolment.pk]), {"note": "名额已满"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.DECLINED


def test_enrolment_list_and_detail(county_client, tree, django_assert_max_num_queries):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    mine = enrol(batch, make_member(tree.a1v, name="青山学员"))
    theirs = enrol(batch, make_member(tree.b1v, name="白河学员"))
    url = reverse("training:enrolment_list")
    county_client.get(url)
    with django_assert_max_num_queries(8):
        body = county_client.get(url).content.decode()
    assert "青山学员" in body
    assert "白河学员" not in body
    assert county_client.get(mine.get_absolute_url()).status_code == 200
    assert county_client.get(theirs.get_absolute_url()).status_code == 404


# --- attendance, exports, costs --------------------------------------------------------------------


def test_attendance_taken_and_printed(city_client, tree):
    batch = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    a = enrol(batch, make_member(tree.a1v, name="甲学员"))
    b = enrol(batch, make_member(tree.a1v, name="乙学员"))
    session = services.session_save(actor=None, batch=batch, held_on=date(2026, 3, 2), title="政策理论")
    url = reverse("training:session_attendance", args=[session.pk])
    assert "甲学员" in city_client.get(url).content.decode()
    response = city_client.post(url, {f"mark-{a.pk}": "present", f"mark-{b.pk}": "leave"})
    assert response.status_code == 302
    assert dict(session.attendances.values_list("enrolment_id", "status")) == {a.pk: "present", b.pk: "leave"}
    sheet = city_client.get(reverse("training:batch_attendance_sheet", args=[batch.pk])).content.decode()
    assert "甲学员" in sheet
    assert "请假" in sheet
    assert "@media print" in sheet


def test_roster_export_is_scoped_masked_and_formula_escaped(county_client, tree):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v, name="青山学员")
    enrolment = services.enrolment_recommend(actor=None, batch=batch, member=member, reason="=HYPERLINK(1)")
    enrol(batch, make_member(tree.b1v, name="白河学员"))
    response = county_client.get(reverse("training:batch_roster_export", args=[batch.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(values) == 1
    row = values[0]
    assert row[1] == "青山学员"
    assert row[3] == member.masked_id_number
    assert member.id_number not in str(values)
    assert row[9] == "'=HYPERLINK(1)"
    assert enrolment.pk


def test_costs_page_and_yearly_totals(city_client, tree, django_assert_max_num_queries):
    batch = make_batch(tree.city, start=date(2025, 11, 3))
    url = reverse("training:budget_item_add", args=[batch.pk])
    response = city_client.post(url, {"category": "board", "item": "食宿", "amount": "-5", "spent_on": "2025-11-05"})
    assert response.status_code == 200
    assert not BatchBudgetItem.objects.exists()
    for amount, day in (("1000.10", "2025-11-05"), ("200.20", "2026-01-05")):
        city_client.post(url, {"category": "board", "item": "食宿", "amount": amount, "spent_on": day})
    costs = city_client.get(reverse("training:batch_costs", args=[batch.pk])).content.decode()
    assert "1200.30" in costs
    years_url = reverse("training:budget_years")
    city_client.get(years_url)
    with django_assert_max_num_queries(6):
        response = city_client.get(years_url)
    assert {row["year"]: row["total"] for row in response.context["years"]} == {
        2025: Decimal("1000.10"),
        2026: Decimal("200.20"),
    }


# --- experts and services ----------------------------------------------------------------------------


def test_an_expert_service_with_no_member_is_refused_in_chinese(city_client, tree):
    expert = make_expert(tree.city)
    response = city_client.post(
        reverse("training:service_add"),
        {"expert": expert.pk, "kind": "on_site", "served_on": "2026-04-01", "place": "果园", "content": "修剪"},
    )
    assert response.status_code == 200
    assert "请至少选择一名服务对象（贫困党员）" in response.content.decode()
    assert not ExpertService.objects.exists()


def test_expert_records_a_service_and_follows_up(client, tree, users):
    login(client, users.expert)
    expert = make_expert(tree.city, account=users.expert)
    member = make_member(tree.a1v)
    response = client.post(
        reverse("training:service_add"),
        {
            "expert": expert.pk,
            "kind": "consultation",
            "served_on": (date.today() - timedelta(days=10)).isoformat(),
            "place": "电话",
            "content": "市场行情",
            "members": member.file_number,
            "follow_up_due": (date.today() - timedelta(days=1)).isoformat(),
        },
    )
    service = ExpertService.objects.get()
    assert response["Location"] == service.get_absolute_url()
    home = client.get(reverse("home")).content.decode()
    assert "跟踪回访已逾期" in home
    response = client.post(reverse("training:service_follow_up", args=[service.pk]), {"note": "已改良品种"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.follow_up_done_on == date.today()


def test_expert_cannot_change_anothers_service(client, tree, users):
    other = make_service(make_expert(tree.city), [make_member(tree.a1v)])
    login(client, users.expert)
    assert client.get(other.get_absolute_url()).status_code == 200
    assert client.get(reverse("training:service_edit", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["expert_list", "service_list", "base_list", "visit_list", "enrolment_list", "batch_list"]
)
def test_list_pages_have_fixed_query_counts(city_client, tree, name, django_assert_max_num_queries):
    def add_some():
        expert = make_expert(tree.city)
        base = make_base(tree.a1v)
        members = [make_member(tree.a1v), make_member(tree.b1v)]
        make_service(expert, members)
        services.base_visit_record(actor=None, base=base, visited_on=date(2026, 3, 1), content="观摩", members=members)
        batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
        enrol(batch, members[0])

    add_some()
    url = reverse(f"training:{name}")
    city_client.get(url)
    with django_assert_max_num_queries(10) as first:
        city_client.get(url)
    for _ in range(4):
        add_some()
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert city_client.get(url).status_code == 200


def test_bases_and_visits(county_client, tree, users):
    base = make_base(tree.a1v, name="青山县蔬菜园区")
    foreign = make_base(tree.b1v, name="白河县茶园")
    member = make_member(tree.a1v, name="观摩党员")
    assert county_client.get(base.get_absolute_url()).status_code == 200
    assert county_client.get(foreign.get_absolute_url()).status_code == 404
    response = county_client.post(
        reverse("training:visit_add"), {"base": base.pk, "visited_on": "2026-03-01", "content": "观摩", "members": ""}
    )
    assert "请至少选择一名服务对象" in response.content.decode()
    response = county_client.post(
        reverse("training:visit_add"),
        {"base": base.pk, "visited_on": "2026-03-01", "content": "观摩大棚", "members": "观摩党员"},
    )
    visit = BaseVisit.objects.get()
    assert response["Location"] == visit.get_absolute_url()
    assert list(visit.members.all()) == [member]
    assert "观摩党员" in county_client.get(visit.get_absolute_url()).content.decode()


# --- the member's file --------------------------------------------------------------------------------


def test_member_file_shows_training_services_and_visits(county_client, tree):
    member = make_member(tree.a1v)
    batch = make_batch(tree.city, title="果树技术班", status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, member)
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    complete(enrolment)
    make_service(make_expert(tree.city, name="刘专家"), [member])
    services.base_visit_record(
        actor=None,
        base=make_base(tree.a1v, name="青山园区"),
        visited_on=date(2026, 3, 5),
        content="x",
        members=[member],
    )
    body = county_client.get(member.get_absolute_url()).content.decode()
    assert "果树技术班" in body
    assert "重点帮扶对象" in body
    assert "刘专家" in body
    assert "青山园区" in body


def test_home_shows_work_items_per_role(client, tree, users):
    batch = make_batch(tree.city, title="正在报名的班", status=BatchStatus.ENROLLING)
    enrol(batch, make_member(tree.a1v), admit=False)
    team_home = login(client, users.work_team).get(reverse("home")).content.decode()
    assert "正在报名，可推荐学员" in team_home
    assert reverse("training:recommend", args=[batch.pk]) in team_home
    staff_home = login(client, users.city_staff).get(reverse("home")).content.decode()
    assert "名推荐学员待录取" in staff_home


def test_service_edit_keeps_history_with_the_members(city_client, tree, users):
    first, second = make_member(tree.a1v, name="甲"), make_member(tree.a1v, name="乙")
    expert = make_expert(tree.city)
    service = make_service(expert, [first], actor=users.city_staff)
    response = city_client.post(
        reverse("training:service_edit", args=[service.pk]),
        {
            "expert": expert.pk,
            "kind": "on_site",
            "served_on": "2026-04-01",
            "place": "大棚",
            "content": "温湿度管理",
            "members": f"甲（{first.file_number}），乙",
        },
    )
    assert response.status_code == 302
    assert set(service.members.all()) == {first, second}
    history = city_client.get(reverse("training:service_history", args=[service.pk]))
    assert history.status_code == 200
    assert "大棚" in history.content.decode()


def test_members_are_typed_by_name_or_file_number(city_client, tree):
    expert = make_expert(tree.city)
    twin_a, twin_b = make_member(tree.a1v, name="王强"), make_member(tree.b1v, name="王强")
    unique = make_member(tree.a1v, name="李娟")
    data = {"expert": expert.pk, "kind": "consultation", "served_on": "2026-04-01", "place": "村部", "content": "咨询"}
    response = city_client.post(reverse("training:service_add"), {**data, "members": "王强、李娟、张无此人"})
    errors = " ".join(response.context["form"].errors["members"])
    assert "王强有2人重名" in errors
    assert twin_a.file_number in errors
    assert "找不到名为“张无此人”的党员" in errors
    assert not ExpertService.objects.exists()
    response = city_client.post(reverse("training:service_add"), {**data, "members": f"{twin_b.file_number} 李娟"})
    assert response.status_code == 302
    assert set(ExpertService.objects.get().members.all()) == {twin_b, unique}


def test_members_outside_the_jurisdiction_cannot_be_typed(county_client, tree):
    expert = make_expert(tree.city)
    outsider = make_member(tree.b1v, name="白河人")
    data = {"expert": expert.pk, "kind": "consultation", "served_on": "2026-04-01", "place": "村部", "content": "咨询"}
    for typed in ("白河人", outsider.file_number):
        response = county_client.post(reverse("training:service_add"), {**data, "members": typed})
        assert "不在您的管辖范围内" in " ".join(response.context["form"].errors["members"])
    assert not ExpertService.objects.exists()


def test_a_whole_batch_roster_can_be_added(city_client, tree):
    batch = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    trainees = [enrol(batch, make_member(tree.a1v)).member for _ in range(3)]
    enrol(batch, make_member(tree.a1v), admit=False)  # only recommended: not on the roster
    base = make_base(tree.a1v)
    response = city_client.post(
        reverse("training:visit_add"),
        {"base": base.pk, "visited_on": "2026-03-03", "batch": batch.pk, "content": "观摩", "whole_batch": "on"},
    )
    assert response.status_code == 302, response.context["form"].errors
    assert set(BaseVisit.objects.get().members.all()) == set(trainees)


def test_work_team_home_lists_its_key_assistance_targets(client, tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v, name="结业学员"), recommended_by=users.work_team)
    other = enrol(batch, make_member(tree.a1v, name="别人推荐的"), recommended_by=users.township_staff)
    services.batch_advance(actor=None, batch=batch, to_status=BatchStatus.RUNNING)
    complete(enrolment)
    complete(other)
    body = login(client, users.work_team).get(reverse("home")).content.decode()
    panel = body[body.index("training-panel-heading") :]
    panel = panel[: panel.index("</section>")]
    assert "结业学员" in panel
    assert "别人推荐的" not in panel
