"""Reports API: plans, bulletins (state and download), admonitions, commendations, work lists, scoped."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from reports import services
from reports.choices import AdmonitionState, BulletinState, CommendationState, RectificationState
from reports.models import BulletinJob, JurisdictionPlan
from tests.members.factories import make_member

from .factories import YEAR, make_exit, make_plan, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


@pytest.fixture
def register(tree):
    make_programme()
    member = make_member(tree.a1v, name="青山党员")
    make_member(tree.b1v, name="白河党员")
    make_exit(member)
    make_plan(tree.a, out=1)
    make_plan(tree.b, out=2)


def test_plans_are_created_through_the_service_and_scoped(api, users, tree, register):
    as_user(api, users.county_staff)
    response = api.post(
        "/api/v1/jurisdiction-plans/", {"region": tree.a1.code, "year": 2025, "target_out_of_poverty": 3}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == tree.a1.code
    assert response.json()["target_out_of_poverty"] == 3
    # out of the jurisdiction, out of the programme, twice
    response = api.post("/api/v1/jurisdiction-plans/", {"region": tree.b1.code, "year": 2025}, format="json")
    assert response.status_code == 400
    assert "region" in response.json()
    response = api.post("/api/v1/jurisdiction-plans/", {"region": tree.a1.code, "year": 2031}, format="json")
    assert "行动周期" in response.json()["year"][0]
    response = api.post("/api/v1/jurisdiction-plans/", {"region": tree.a1.code, "year": 2025}, format="json")
    assert response.status_code == 400
    listed = {row["region"] for row in api.get("/api/v1/jurisdiction-plans/").json()["results"]}
    assert listed == {tree.a.code, tree.a1.code}
    plan_b = JurisdictionPlan.objects.get(region=tree.b)
    assert api.get(f"/api/v1/jurisdiction-plans/{plan_b.pk}/").status_code == 404
    assert api.patch(f"/api/v1/jurisdiction-plans/{plan_b.pk}/", {"note": "x"}, format="json").status_code == 404
    plan = JurisdictionPlan.objects.get(region=tree.a1)
    response = api.patch(f"/api/v1/jurisdiction-plans/{plan.pk}/", {"target_out_of_poverty": 5}, format="json")
    assert response.json()["target_out_of_poverty"] == 5


def test_only_city_staff_configure_the_programme(api, users):
    as_user(api, users.county_staff)
    data = {"name": "示范行动", "start_year": 2024, "phase1_end_year": 2025}
    assert api.post("/api/v1/programmes/", data, format="json").status_code == 403
    as_user(api, users.city_staff)
    response = api.post("/api/v1/programmes/", data, format="json")
    assert response.status_code == 201
    assert response.json()["end_year"] == 2026


def test_bulletin_requested_polled_and_downloaded(api, users, tree, register, django_capture_on_commit_callbacks):
    as_user(api, users.county_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/bulletins/", {"region": tree.a.code, "year": YEAR}, format="json")
    assert response.status_code == 202
    job_id = response.json()["id"]
    body = api.get(f"/api/v1/bulletins/{job_id}/").json()
    assert body["state"] == BulletinState.DONE
    assert body["progress"] == 100
    download = api.get(body["docx_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert api.get(f"/api/v1/bulletins/{job_id}/download/?kind=pdf").status_code == 404
    # another county: not even the state
    as_user(api, users.county_b)
    assert api.get(f"/api/v1/bulletins/{job_id}/").status_code == 404
    assert api.get(f"/api/v1/bulletins/{job_id}/download/?kind=xlsx").status_code == 404
    response = api.post("/api/v1/bulletins/", {"region": tree.a.code, "year": YEAR}, format="json")
    assert response.status_code == 400
    assert BulletinJob.objects.count() == 1


def test_leaders_read_bulletins_but_cannot_produce_them(api, users, tree, register):
    as_user(api, users.leader)
    assert api.get("/api/v1/bulletins/").status_code == 200
    assert api.post("/api/v1/bulletins/", {"region": tree.city.code, "year": YEAR}, format="json").status_code == 403


def test_admonition_flow_through_the_api(api, users, tree):
    as_user(api, users.county_staff)
    response = api.post(
        "/api/v1/admonitions/",
        {"year": YEAR, "region": tree.a1.code, "person_name": "周卫国", "reason": "未完成目标"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    assert api.post(f"/api/v1/admonitions/{pk}/talk/", {}, format="json").status_code == 400
    assert api.post(f"/api/v1/admonitions/{pk}/confirm/").json()["state"] == AdmonitionState.CONFIRMED
    today = timezone.localdate()
    talk = {"talked_on": today.isoformat(), "talked_by": "李明", "explanation": "项目落地晚"}
    assert api.post(f"/api/v1/admonitions/{pk}/talk/", talk, format="json").json()["state"] == AdmonitionState.TALKED
    deadline = (today + timedelta(days=30)).isoformat()
    response = api.post(f"/api/v1/admonitions/{pk}/rectification/", {"measures": "核查", "deadline": deadline})
    assert response.status_code == 201
    plan_id = response.json()["rectification"]["id"]
    response = api.post(f"/api/v1/rectifications/{plan_id}/follow-up/", {"note": "已完成", "close": True})
    assert response.json()["state"] == RectificationState.CLOSED
    as_user(api, users.county_b)
    assert api.get(f"/api/v1/admonitions/{pk}/").status_code == 404
    assert api.post(f"/api/v1/admonitions/{pk}/confirm/").status_code == 404
    assert api.get(f"/api/v1/rectifications/{plan_id}/").status_code == 404


def test_commendation_flow_through_the_api(api, users, tree):
    as_user(api, users.county_staff)
    response = api.post(
        "/api/v1/commendations/",
        {"year": YEAR, "kind": "person", "region": tree.a1.code, "name": "王建国", "reason": "事迹"},
        format="json",
    )
    assert response.status_code == 201
    pk = response.json()["id"]
    bad = api.post(
        "/api/v1/commendations/",
        {"year": YEAR, "kind": "group", "region": tree.a1.code, "name": "某", "reason": "事迹"},
        format="json",
    )
    assert bad.status_code == 400
    assert "kind" in bad.json()
    assert api.post(f"/api/v1/commendations/{pk}/announce/").json()["state"] == CommendationState.NOTICING
    objection = api.post(f"/api/v1/commendations/{pk}/objections/", {"raised_by": "村民", "content": "有出入"})
    assert objection.status_code == 201
    confirm = api.post(f"/api/v1/commendations/{pk}/confirm/", {})
    assert confirm.status_code == 400
    assert "期满" in str(confirm.json())
    from reports.models import Commendation

    past = timezone.localdate() - timedelta(days=3)
    Commendation.objects.filter(pk=pk).update(notice_starts=past - timedelta(days=6), notice_ends=past)
    assert "异议" in str(api.post(f"/api/v1/commendations/{pk}/confirm/", {}).json())
    resolve = api.post(f"/api/v1/commendation-objections/{objection.json()['id']}/resolve/", {"resolution": "已核实"})
    assert resolve.status_code == 200
    assert api.post(f"/api/v1/commendations/{pk}/confirm/", {}).json()["state"] == CommendationState.CONFIRMED


def test_work_items_and_dashboard_are_scoped(api, users, tree, register):
    services.admonition_save(actor=None, year=YEAR, region=tree.b, person_name="白河责任人", reason="未完成")
    as_user(api, users.county_b)
    items = api.get("/api/v1/work-items/").json()
    assert any("白河责任人" in item["title"] for item in items)
    as_user(api, users.county_staff)
    assert not any("白河责任人" in item["title"] for item in api.get("/api/v1/work-items/").json())
    body = api.get(f"/api/v1/dashboard/{tree.a.code}/?year={YEAR}").json()
    assert body["total"]["total"] == 1
    assert body["total"]["exits"] == 1
    assert [row["name"] for row in body["children"]] == ["青石镇"]
    assert api.get(f"/api/v1/dashboard/{tree.b.code}/").status_code == 404
    as_user(api, users.leader)
    body = api.get(f"/api/v1/dashboard/{tree.city.code}/?year={YEAR}").json()
    assert [(row["name"], row["rate"], row["met"]) for row in body["children"]] == [
        ("青山县", 100.0, True),
        ("白河县", 0.0, False),
    ]
    as_user(api, users.expert)
    assert api.get(f"/api/v1/dashboard/{tree.city.code}/").status_code == 403
