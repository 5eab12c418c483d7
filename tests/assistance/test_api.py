"""The assistance API: scoped like the pages, the same rules, errors as JSON in Chinese."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assistance import services
from assistance.models import Pairing, PoorResident, VisitNote, WelfareReferral
from members.models import Member
from tests.members.factories import id_number

from .factories import days_ago

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_work_team_api_sees_only_its_villages_members(world, users):
    team = client_for(users.work_team)
    names = {row["name"] for row in results(team.get("/api/v1/members/"))}
    assert names == {"张庄党员", "张庄二号", "五保老人"}
    assert team.get(f"/api/v1/members/{world.urban.pk}/").status_code == 404


def test_cadre_api_sees_only_paired_members_and_their_records(world, users):
    services.visit_note_create(actor=world.cadre2_user, member=world.urban, findings="社区走访")
    cadre = client_for(users.cadre)
    assert {row["name"] for row in results(cadre.get("/api/v1/members/"))} == {"张庄党员"}
    assert results(cadre.get("/api/v1/visit-notes/")) == []
    note = VisitNote.objects.get()
    assert cadre.get(f"/api/v1/visit-notes/{note.pk}/").status_code == 404
    assert cadre.patch(f"/api/v1/visit-notes/{note.pk}/", {"findings": "改"}, format="json").status_code == 404
    pairings = results(cadre.get("/api/v1/pairings/"))
    assert {row["member_name"] for row in pairings} == {"张庄党员"}


def test_work_team_posts_a_visit_note(world, users):
    response = client_for(users.work_team).post(
        "/api/v1/visit-notes/", {"member": world.zhang.pk, "findings": "养牛8头"}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["visited_on"] == TODAY.isoformat()
    assert data["helper"] == world.team.pk
    assert data["visitor"] == users.work_team.display_name


def test_work_team_cannot_post_a_note_outside_its_villages(world, users):
    response = client_for(users.work_team).post(
        "/api/v1/visit-notes/", {"member": world.urban.pk, "findings": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "member" in response.json()
    assert not VisitNote.objects.exists()


def test_a_future_visit_is_refused_in_chinese(world, users):
    response = client_for(users.work_team).post(
        "/api/v1/visit-notes/",
        {"member": world.zhang.pk, "findings": "x", "visited_on": (TODAY + timedelta(days=1)).isoformat()},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"visited_on": ["走访日期不能晚于今天。"]}
    assert not VisitNote.objects.exists()


def test_an_overlapping_pairing_is_refused_in_chinese(world, users):
    api = client_for(users.county_staff)
    before = Pairing.objects.count()
    response = api.post(
        "/api/v1/pairings/",
        {"member": world.zhang.pk, "helper": world.cadre.pk, "starts_on": days_ago(2).isoformat(), "reason": "再次"},
        format="json",
    )
    assert response.status_code == 400
    assert "时间不能重叠" in response.json()["starts_on"][0]
    assert Pairing.objects.count() == before


def test_a_referral_for_a_demonstration_member_is_refused_in_chinese(world, users):
    response = client_for(users.county_staff).post(
        "/api/v1/welfare-referrals/", {"member": world.zhang.pk}, format="json"
    )
    assert response.status_code == 400
    assert "脱困示范行动对象" in response.json()["member"][0]
    assert not WelfareReferral.objects.exists()


def test_referral_proposal_confirmed_and_enrolled_through_the_api(world, users):
    services.referrals_propose()
    proposal = WelfareReferral.objects.get()
    team = client_for(users.work_team)
    assert team.post(f"/api/v1/welfare-referrals/{proposal.pk}/confirm/").status_code == 403
    api = client_for(users.county_staff)
    response = api.post(f"/api/v1/welfare-referrals/{proposal.pk}/confirm/", {}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "referred"
    response = api.post(
        f"/api/v1/welfare-referrals/{proposal.pk}/outcome/", {"enrolled": True, "benefit": "450"}, format="json"
    )
    assert response.json()["status"] == "enrolled"
    assert response.json()["benefit"] == "450.00"
    assert client_for(users.county_b).get(f"/api/v1/welfare-referrals/{proposal.pk}/").status_code == 404


def test_difficulty_through_the_api(world, users):
    api = client_for(users.cadre)
    response = api.post(
        "/api/v1/difficulties/",
        {
            "member": world.zhang.pk,
            "kind": "health",
            "description": "慢病报销",
            "coordinator": world.cadre.pk,
            "deadline": (TODAY + timedelta(days=10)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    response = api.patch(f"/api/v1/difficulties/{pk}/", {"status": "resolved"}, format="json")
    assert response.status_code == 400
    assert "resolution" in response.json()
    response = api.patch(f"/api/v1/difficulties/{pk}/", {"status": "resolved", "resolution": "已报销"}, format="json")
    assert response.json()["resolved_on"] == TODAY.isoformat()
    # the other cadre's helper is not a choice
    response = api.post(
        "/api/v1/difficulties/",
        {
            "member": world.zhang.pk,
            "kind": "health",
            "description": "x",
            "coordinator": world.cadre2.pk,
            "deadline": TODAY.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "coordinator" in response.json()


def test_enterprise_and_centre_record_their_services(world, users):
    response = client_for(users.enterprise).post(
        "/api/v1/enterprise-support/",
        {
            "member": world.zhang2.pk,
            "enterprise": world.enterprise.pk,
            "kind": "equipment",
            "description": "粉碎机",
            "value": "3800.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    response = client_for(users.urban_centre).post(
        "/api/v1/centre-services/",
        {"member": world.urban.pk, "centre": world.centre.pk, "kind": "job_referral", "description": "推荐"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"employer", "post"}


def test_helpers_by_kind(world, users, tree):
    api = client_for(users.county_staff)
    kinds = {row["kind"] for row in results(api.get("/api/v1/helpers/"))}
    assert kinds == {"work_team", "cadre", "enterprise", "urban_centre"}
    response = api.post(
        "/api/v1/leading-cadres/",
        {
            "name": "张镇长",
            "level": "township",
            "unit": "青石镇人民政府",
            "post": "镇长",
            "region": tree.a1.code,
            "accounts": [users.cadre.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["level_label"] == "乡镇级"
    team = results(api.get("/api/v1/work-teams/"))[0]
    assert team["villages"] == [tree.a1v.code]
    # a county account cannot keep a helper of another county
    response = api.post(
        "/api/v1/enterprises/",
        {"name": "x", "enterprise_kind": "other", "contact_person": "y", "region": tree.b.code},
        format="json",
    )
    assert response.status_code == 400
    assert "region" in response.json()
    assert client_for(users.county_b).get(f"/api/v1/work-teams/{world.team.pk}/").status_code == 404


def test_poor_residents_masked_and_validated(world, users, tree):
    number = id_number()
    api = client_for(users.work_team)
    response = api.post(
        "/api/v1/poor-residents/",
        {
            "name": "李桂芝",
            "id_number": number,
            "village": tree.a1v.code,
            "household_size": 3,
            "income_per_head": "2500",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    masked = response.json()["id_number"]
    assert masked != number
    # masked for staff who may reveal it too: the full number only through reveal-id (logged)
    assert (
        client_for(users.county_staff).get(f"/api/v1/poor-residents/{response.json()['id']}/").json()["id_number"]
        == masked
    )
    response = api.post(
        "/api/v1/poor-residents/",
        {"name": "王", "id_number": "4115", "village": tree.a1v.code, "household_size": 2, "income_per_head": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert "18位" in response.json()["id_number"][0]
    # not in a village the team is stationed in
    response = api.post(
        "/api/v1/poor-residents/",
        {"name": "王", "id_number": id_number(), "village": tree.a1c.code, "household_size": 2, "income_per_head": "1"},
        format="json",
    )
    assert response.status_code == 400
    assert PoorResident.objects.count() == 1


def test_mentor_pairs_through_the_api(world, users, tree):
    Member.objects.filter(pk=world.zhang.pk).update(status="out")
    api = client_for(users.county_staff)
    response = api.post("/api/v1/mentors/", {"member": world.zhang.pk, "reason": "率先脱贫"}, format="json")
    assert response.status_code == 201, response.content
    mentor = response.json()["id"]
    resident = services.poor_resident_save(actor=None, name="李", id_number=id_number(), village=tree.a1v)
    response = api.post(
        "/api/v1/mentor-pairs/",
        {"mentor": mentor, "resident": resident.pk, "starts_on": date(TODAY.year - 1, 4, 1).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    pair = response.json()["id"]
    response = api.post(
        f"/api/v1/mentor-pairs/{pair}/outcomes/",
        {"year": TODAY.year - 1, "income_per_head": "3900", "summary": "庭院养殖"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = api.get(f"/api/v1/mentor-pairs/{pair}/").json()
    assert data["outcomes"][0]["income_per_head"] == "3900.00"
    assert client_for(users.county_b).get(f"/api/v1/mentor-pairs/{pair}/").status_code == 404
    poor = client_for(users.county_staff).post("/api/v1/mentors/", {"member": world.zhang2.pk, "reason": "x"})
    assert poor.status_code == 400
    assert "尚未脱贫" in poor.json()["member"][0]


def test_visit_policy_set_by_the_city_only(world, users):
    assert (
        client_for(users.county_staff)
        .post("/api/v1/visit-policies/", {"kind": "cadre", "every_days": 10}, format="json")
        .status_code
        == 403
    )
    response = client_for(users.city_staff).post(
        "/api/v1/visit-policies/", {"kind": "cadre", "every_days": 10}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["every_days"] == 10


def test_list_endpoints_pin_their_queries(world, users, django_assert_max_num_queries):
    for i in range(10):
        services.visit_note_create(actor=users.work_team, member=world.zhang, findings=f"{i}", visited_on=days_ago(i))
    api = client_for(users.county_staff)
    for url in ["/api/v1/visit-notes/", "/api/v1/pairings/", "/api/v1/helpers/", "/api/v1/mentor-pairs/"]:
        with django_assert_max_num_queries(6):
            assert api.get(url).status_code == 200
