"""The training API: the same rules as the pages, scoped, errors as JSON in Chinese."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.members.factories import make_member
from training import services
from training.choices import BatchStatus, EnrolmentStatus
from training.models import BatchBudgetItem, Enrolment, ExpertService, TrainingBatch

from .factories import enrol, make_base, make_batch, make_expert, make_service

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def batch_payload(region, **fields):
    return {
        "title": "贫困党员培训班",
        "period_number": 5,
        "region": region.code,
        "start_date": "2026-05-04",
        "end_date": "2026-05-10",
        "place": "市委党校",
        "capacity": 2,
        **fields,
    }


def test_batches_are_listed_along_the_region_line(tree, users, django_assert_max_num_queries):
    make_batch(tree.city, title="全市班")
    make_batch(tree.b, title="白河县班")
    api = client_for(users.county_staff)
    api.get("/api/v1/training-batches/")
    with django_assert_max_num_queries(6) as first:
        titles = {row["title"] for row in results(api.get("/api/v1/training-batches/"))}
    assert titles == {"全市班"}
    for _ in range(5):
        batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
        services.topic_save(actor=None, batch=batch, title="养殖", direction="agriculture", hours=2)
        enrol(batch, make_member(tree.a1v))
    with django_assert_max_num_queries(len(first.captured_queries)):
        api.get("/api/v1/training-batches/")


def test_batch_created_and_dates_checked(tree, users):
    api = client_for(users.city_staff)
    response = api.post("/api/v1/training-batches/", batch_payload(tree.city), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["seated"] == 0
    bad = api.post(
        "/api/v1/training-batches/",
        batch_payload(tree.city, period_number=6, start_date="2026-05-10", end_date="2026-05-04"),
        format="json",
    )
    assert bad.status_code == 400
    assert "结业日期不能早于开班日期" in bad.json()["end_date"][0]
    assert TrainingBatch.objects.count() == 1


def test_county_staff_cannot_open_a_batch_for_another_county(tree, users):
    api = client_for(users.county_staff)
    response = api.post("/api/v1/training-batches/", batch_payload(tree.b), format="json")
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["region"][0]


def test_recommend_admit_to_capacity_and_assess(tree, users):
    batch = make_batch(tree.city, capacity=1, status=BatchStatus.ENROLLING)
    first, second = make_member(tree.a1v), make_member(tree.a1v)
    team = client_for(users.work_team)
    staff = client_for(users.city_staff)
    ids = []
    for member in (first, second):
        response = team.post("/api/v1/enrolments/", {"batch": batch.pk, "member": member.pk}, format="json")
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    assert team.post(f"/api/v1/enrolments/{ids[0]}/admit/").status_code == 403
    assert staff.post(f"/api/v1/enrolments/{ids[0]}/admit/").json()["status"] == "admitted"
    full = staff.post(f"/api/v1/enrolments/{ids[1]}/admit/")
    assert full.status_code == 400
    assert "已满员" in str(full.json())
    assert Enrolment.objects.get(pk=ids[1]).status == EnrolmentStatus.RECOMMENDED
    staff.post(f"/api/v1/training-batches/{batch.pk}/advance/", {"to_status": "running"}, format="json")
    assessed = staff.post(
        f"/api/v1/enrolments/{ids[0]}/assess/", {"grade": "excellent", "score": "95", "certificate_number": "C-1"}
    )
    assert assessed.status_code == 200, assessed.content
    assert assessed.json()["key_target_since"]


def test_only_demonstration_track_members_can_be_recommended(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    weak = make_member(tree.a1v, labour_capacity="weak")
    response = client_for(users.work_team).post(
        "/api/v1/enrolments/", {"batch": batch.pk, "member": weak.pk}, format="json"
    )
    assert response.status_code == 400
    assert "只有脱困示范行动的党员可以参加培训" in response.json()["member"][0]


def test_a_work_team_cannot_recommend_outside_its_village(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    outsider = make_member(tree.b1v)
    response = client_for(users.work_team).post(
        "/api/v1/enrolments/", {"batch": batch.pk, "member": outsider.pk}, format="json"
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["member"][0]
    assert not Enrolment.objects.exists()


def test_no_double_enrolment_through_the_api(tree, users):
    first = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    second = make_batch(tree.city, start=date(2026, 3, 5), status=BatchStatus.ENROLLING)
    member = make_member(tree.a1v)
    enrol(first, member)
    response = client_for(users.city_staff).post(
        "/api/v1/enrolments/", {"batch": second.pk, "member": member.pk}, format="json"
    )
    assert response.status_code == 400
    assert "不能同时参加两期培训" in response.json()["member"][0]


def test_enrolments_of_another_county_are_not_found(tree, users):
    batch = make_batch(tree.city, status=BatchStatus.ENROLLING)
    theirs = enrol(batch, make_member(tree.b1v))
    mine = enrol(batch, make_member(tree.a1v))
    api = client_for(users.county_staff)
    assert [row["id"] for row in results(api.get("/api/v1/enrolments/"))] == [mine.pk]
    assert api.get(f"/api/v1/enrolments/{theirs.pk}/").status_code == 404
    assert api.post(f"/api/v1/enrolments/{theirs.pk}/drop/", {"note": "x"}).status_code == 404


def test_attendance_through_the_api(tree, users):
    batch = make_batch(tree.city, start=date(2026, 3, 1), status=BatchStatus.ENROLLING)
    enrolment = enrol(batch, make_member(tree.a1v))
    api = client_for(users.city_staff)
    response = api.post(f"/api/v1/training-batches/{batch.pk}/sessions/", {"held_on": "2026-04-01", "title": "x"})
    assert response.status_code == 400
    assert "之内" in response.json()["held_on"][0]
    response = api.post(f"/api/v1/training-batches/{batch.pk}/sessions/", {"held_on": "2026-03-02", "title": "政策"})
    session_id = response.json()["sessions"][0]["id"]
    response = api.post(
        f"/api/v1/training-batches/{batch.pk}/attendance/",
        {"session": session_id, "marks": {str(enrolment.pk): "present"}},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert enrolment.attendances.get().status == "present"


def test_costs_and_yearly_totals(tree, users):
    batch = make_batch(tree.city, start=date(2025, 12, 1))
    api = client_for(users.city_staff)
    for amount, day in (("100.10", "2025-12-02"), ("50.05", "2025-12-03"), ("9.99", "2026-01-02")):
        response = api.post(
            "/api/v1/training-costs/",
            {"batch": batch.pk, "category": "board", "item": "食宿", "amount": amount, "spent_on": day},
        )
        assert response.status_code == 201, response.content
    bad = api.post(
        "/api/v1/training-costs/",
        {"batch": batch.pk, "category": "board", "item": "食宿", "amount": "-1", "spent_on": "2026-01-02"},
    )
    assert bad.status_code == 400
    assert "金额必须大于0" in bad.json()["amount"][0]
    assert BatchBudgetItem.objects.count() == 3
    years = {row["year"]: row["total"] for row in api.get("/api/v1/training-costs/years/").json()}
    assert years == {2025: "150.15", 2026: "9.99"}
    assert client_for(users.work_team).get("/api/v1/training-costs/").status_code == 403


def test_expert_service_needs_a_member_and_saves_nothing(tree, users):
    expert = make_expert(tree.city, account=users.expert)
    api = client_for(users.expert)
    payload = {
        "expert": expert.pk,
        "kind": "on_site",
        "served_on": "2026-04-01",
        "place": "果园",
        "content": "修剪",
        "members": [],
    }
    response = api.post("/api/v1/expert-services/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["members"] == ["请至少选择一名服务对象（贫困党员）。"]
    assert not ExpertService.objects.exists()
    member = make_member(tree.a1v)
    response = api.post("/api/v1/expert-services/", {**payload, "members": [member.pk]}, format="json")
    assert response.status_code == 201, response.content
    assert [m["id"] for m in response.json()["members"]] == [member.pk]


def test_expert_changes_only_own_services(tree, users):
    member = make_member(tree.a1v)
    other = make_service(make_expert(tree.city), [member], follow_up_due=date.today() + timedelta(1))
    api = client_for(users.expert)
    assert api.get(f"/api/v1/expert-services/{other.pk}/").status_code == 200
    assert api.patch(f"/api/v1/expert-services/{other.pk}/", {"place": "x"}, format="json").status_code == 404
    assert api.post(f"/api/v1/expert-services/{other.pk}/follow-up/", {"note": "x"}).status_code == 404


def test_services_show_only_visible_members(tree, users, django_assert_max_num_queries):
    expert = make_expert(tree.city)
    mine, theirs = make_member(tree.a1v, name="青山"), make_member(tree.b1v, name="白河")
    make_service(expert, [mine, theirs])
    api = client_for(users.county_staff)
    api.get("/api/v1/expert-services/")
    with django_assert_max_num_queries(8) as first:
        rows = results(api.get("/api/v1/expert-services/"))
    assert [m["name"] for m in rows[0]["members"]] == ["青山"]
    for _ in range(5):
        make_service(expert, [make_member(tree.a1v)])
    with django_assert_max_num_queries(len(first.captured_queries)):
        api.get("/api/v1/expert-services/")


def test_bases_and_visits(tree, users):
    api = client_for(users.county_staff)
    response = api.post(
        "/api/v1/practice-bases/",
        {
            "name": "青山县食用菌园区",
            "kind": "science_park",
            "region": tree.a1v.code,
            "plaque_date": "2025-06-01",
            "learnable": "食用菌",
        },
    )
    assert response.status_code == 201, response.content
    base_id = response.json()["id"]
    foreign = make_base(tree.b1v)
    assert api.get(f"/api/v1/practice-bases/{foreign.pk}/").status_code == 404
    response = api.post(
        "/api/v1/base-visits/",
        {"base": base_id, "visited_on": "2025-01-01", "content": "观摩", "members": []},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"members", "visited_on"}
    member = make_member(tree.a1v)
    response = api.post(
        "/api/v1/base-visits/",
        {"base": base_id, "visited_on": "2026-01-01", "content": "观摩", "members": [member.pk]},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_experts_api(tree, users):
    api = client_for(users.city_staff)
    response = api.post(
        "/api/v1/experts/",
        {"name": "王专家", "department": "animal_husbandry", "specialty": "肉牛养殖", "region": tree.city.code},
    )
    assert response.status_code == 201, response.content
    assert response.json()["department_label"] == "畜牧"
    make_expert(tree.b, name="白河县专家")
    county = client_for(users.county_staff)
    assert {row["name"] for row in results(county.get("/api/v1/experts/"))} == {"王专家"}
    assert client_for(users.work_team).post("/api/v1/experts/", {}).status_code == 403


def test_schema_builds(client, users):
    client.force_login(users.city_staff)
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/api/v1/training-batches/" in body
    assert "/api/v1/enrolments/{id}/admit/" in body


def test_training_schema_generates_without_warnings():
    # Choice sets get their own enum names: "status" or "kind" alone collide across apps.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.training.schema_urls", "--file", "/dev/null"
    )
