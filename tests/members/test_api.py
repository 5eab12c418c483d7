"""The register's REST API: files, household, plans, income checks, notices and objections."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from members import services
from members.models import HouseholdMember, IdNumberReveal, Member, PovertyExitPlan, StatusChange
from tests.assistance.factories import make_team
from tests.members.factories import id_number, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(users):
    return client_for(users.county_staff)


def results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def names(response):
    return {row["name"] for row in results(response)}


def member_payload(village, **fields):
    return {
        "name": "王建国",
        "id_number": id_number(date(1972, 5, 3)),
        "labour_capacity": "ordinary",
        "household_size": 4,
        "village": village.code,
        "poverty_causes": ["illness", "funds"],
        "income_per_head": "2600.50",
        **fields,
    }


def plan_payload(member, **fields):
    return {
        "member": member.pk,
        "direction": "agriculture",
        "project": "肉牛养殖",
        "measures": "技术培训、小额贴息贷款",
        "income_target": "6000.00",
        "target_year": TODAY.year + 1,
        "responsible_person": "李书记",
        **fields,
    }


def set_threshold(year=2025, notice_days=7):
    return services.threshold_set(
        actor=None, year=year, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"), notice_days=notice_days
    )


def end_notice(change_id):
    """Move a notice into the past, as if its days had run."""
    StatusChange.objects.filter(pk=change_id).update(
        notice_starts=TODAY - timedelta(days=3), notice_ends=TODAY - timedelta(days=1)
    )


# --- scoping -----------------------------------------------------------------------------


def test_list_shows_only_own_county(api, tree):
    make_member(tree.a1v, name="张庄党员")
    make_member(tree.a1c, name="社区党员")
    make_member(tree.b1v, name="白河县党员")
    assert names(api.get("/api/v1/members/")) == {"张庄党员", "社区党员"}


def test_another_countys_member_is_404_for_read_write_and_actions(api, tree):
    other = make_member(tree.b1v)
    url = f"/api/v1/members/{other.pk}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "改名"}, format="json").status_code == 404
    assert api.put(url, member_payload(tree.a1v), format="json").status_code == 404
    assert api.post(f"{url}reveal-id/").status_code == 404
    assert api.post(f"{url}decide-track/", {"track": "relief", "reason": "x"}, format="json").status_code == 404
    assert api.get(f"{url}possible-duplicates/").status_code == 404
    other.refresh_from_db()
    assert other.name != "改名"
    assert not IdNumberReveal.objects.exists()


def test_work_team_sees_only_its_village(tree, users):
    make_team(tree.a, [tree.a1v], [users.work_team])  # a work team sees the villages it is stationed in
    make_member(tree.a1v, name="张庄党员")
    make_member(tree.a1c, name="社区党员")
    assert names(client_for(users.work_team).get("/api/v1/members/")) == {"张庄党员"}


# --- output ------------------------------------------------------------------------------


def test_detail_shape_with_masked_id_number(api, tree):
    member = make_member(tree.a1v, name="王建国", born=date(1972, 5, 3), poverty_causes=["illness", "funds"])
    data = api.get(f"/api/v1/members/{member.pk}/").json()
    assert data["id_number"] == member.id_number[:6] + "********" + member.id_number[-4:]
    assert member.id_number not in str(data)
    assert data["file_number"] == "419921-00001"
    assert (data["gender"], data["gender_label"]) == ("male", "男")
    assert data["birth_date"] == "1972-05-03"
    assert data["age"] == member.age
    assert data["village"] == "419921001001"
    assert data["village_path"] == "河洛市/青山县/青石镇/张庄村"
    assert (data["county"], data["township"]) == ("419921000000", "419921001000")
    assert data["is_urban"] is False
    assert data["poverty_causes"] == ["illness", "funds"]
    assert data["poverty_cause_labels"] == ["因病", "缺资金"]
    assert data["income_per_head"] == "2800.00"
    assert (data["track"], data["computed_track"], data["status"]) == ("demonstration", "demonstration", "poor")
    assert (data["track_label"], data["status_label"]) == ("脱困示范行动", "贫困")
    assert data["is_relapsed"] is False
    assert data["current_plan"] is None


def test_list_masks_every_id_number(api, tree):
    members = [make_member(tree.a1v), make_member(tree.a1c)]
    body = api.get("/api/v1/members/").content.decode()
    for member in members:
        assert member.id_number not in body
        assert member.masked_id_number in body


# --- filters -----------------------------------------------------------------------------


@pytest.fixture
def register(tree):
    """Members that differ in one thing each, across both counties."""
    rows = {
        "rural": make_member(tree.a1v, name="农村党员", poverty_causes=["illness"]),
        "urban": make_member(tree.a1c, name="城市党员", poverty_causes=["skills"]),
        "other": make_member(tree.b1v, name="白河党员", poverty_causes=["land"]),
        "old": make_member(tree.a1v, name="老党员", born=date(1950, 1, 1), labour_capacity="none"),
    }
    Member.objects.filter(pk=rows["urban"].pk).update(status="out")
    Member.objects.filter(pk=rows["rural"].pk).update(is_relapsed=True)
    return rows


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"county": "419921000000"}, {"农村党员", "城市党员", "老党员"}),
        ({"county": "419922000000"}, {"白河党员"}),
        ({"township": "419922001000"}, {"白河党员"}),
        ({"village": "419921001002"}, {"城市党员"}),
        ({"status": "out"}, {"城市党员"}),
        ({"track": "undecided"}, {"老党员"}),
        ({"cause": "illness"}, {"农村党员"}),
        ({"cause": "land"}, {"白河党员"}),
        ({"is_urban": "true"}, {"城市党员"}),
        ({"is_urban": "false"}, {"农村党员", "白河党员", "老党员"}),
        ({"is_relapsed": "true"}, {"农村党员"}),
        ({"q": "农村"}, {"农村党员"}),
        ({"q": "419922-"}, {"白河党员"}),
    ],
)
def test_filters_match_the_list_page(register, users, params, expected):
    assert names(client_for(users.city_staff).get("/api/v1/members/", params)) == expected


def test_search_by_id_number_suffix_and_whole_number(api, register):
    member = register["urban"]
    assert names(api.get("/api/v1/members/", {"q": member.id_number[-6:]})) == {"城市党员"}
    assert names(api.get("/api/v1/members/", {"q": member.id_number})) == {"城市党员"}


def test_region_filter_outside_jurisdiction_is_a_400(api, register):
    response = api.get("/api/v1/members/", {"county": "419922000000"})
    assert response.status_code == 400
    assert "county" in response.json()


# --- create and update -------------------------------------------------------------------


def test_create_member_through_the_service(api, tree, users):
    payload = member_payload(tree.a1v)
    response = api.post("/api/v1/members/", payload, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    member = Member.objects.get()
    assert data["id"] == member.pk
    assert data["file_number"] == "419921-00001"
    assert data["id_number"] == member.masked_id_number
    assert payload["id_number"] not in response.content.decode()
    assert (data["birth_date"], data["gender"]) == ("1972-05-03", "male")
    assert data["poverty_causes"] == ["illness", "funds"]
    assert data["income_per_head"] == "2600.50"
    assert data["track"] == "demonstration"
    assert member.history.get().history_user == users.county_staff


def test_derived_fields_are_not_taken_from_input(api, tree):
    payload = member_payload(tree.a1v, status="well_off", track="relief", file_number="X-1", gender="female")
    data = api.post("/api/v1/members/", payload, format="json").json()
    assert (data["status"], data["track"], data["gender"]) == ("poor", "demonstration", "male")
    assert data["file_number"] == "419921-00001"


def test_bad_id_checksum_is_an_error_on_the_field(api, tree):
    number = id_number()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    response = api.post("/api/v1/members/", member_payload(tree.a1v, id_number=wrong), format="json")
    assert response.status_code == 400
    assert response.json() == {"id_number": ["身份证号码校验位不正确，请核对是否抄错。"]}
    assert not Member.objects.exists()


def test_same_id_number_is_refused(api, tree):
    existing = make_member(tree.a1c)
    response = api.post("/api/v1/members/", member_payload(tree.a1v, id_number=existing.id_number), format="json")
    assert response.status_code == 400
    assert "已建档" in response.json()["id_number"][0]
    assert Member.objects.count() == 1


@pytest.mark.parametrize("village", ["b1v", "a1"])
def test_village_outside_jurisdiction_or_not_a_village_is_refused(api, tree, village):
    response = api.post("/api/v1/members/", member_payload(getattr(tree, village)), format="json")
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["village"][0]
    assert not Member.objects.exists()


def test_missing_and_unknown_values_are_field_errors_in_chinese(api, tree):
    payload = member_payload(tree.a1v, labour_capacity="strong", poverty_causes=["luck"])
    del payload["name"]
    errors = api.post("/api/v1/members/", payload, format="json").json()
    assert errors["name"] == ["该字段是必填项。"]
    assert "labour_capacity" in errors
    assert "poverty_causes" in errors


def test_model_rule_errors_reach_their_field(api, tree):
    response = api.post("/api/v1/members/", member_payload(tree.a1v, phone="abc"), format="json")
    assert response.status_code == 400
    assert response.json() == {"phone": ["请输入有效的电话号码。"]}


def test_update_reroutes_the_track(api, tree):
    member = make_member(tree.a1v)
    response = api.patch(f"/api/v1/members/{member.pk}/", {"labour_capacity": "none"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["labour_capacity"], data["computed_track"], data["track"]) == ("none", "undecided", "undecided")
    assert data["id_number"] == member.masked_id_number


def test_full_update_needs_the_whole_file(api, tree):
    member = make_member(tree.a1v)
    response = api.put(f"/api/v1/members/{member.pk}/", {"name": "新名字"}, format="json")
    assert response.status_code == 400
    assert {"id_number", "labour_capacity", "village"} <= set(response.json())
    payload = member_payload(tree.a1c, id_number=member.id_number, name="新名字")
    response = api.put(f"/api/v1/members/{member.pk}/", payload, format="json")
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["village"], response.json()["is_urban"]) == (
        "新名字",
        tree.a1c.code,
        True,
    )


def test_cannot_move_a_member_outside_the_jurisdiction(api, tree):
    member = make_member(tree.a1v)
    response = api.patch(f"/api/v1/members/{member.pk}/", {"village": tree.b1v.code}, format="json")
    assert response.status_code == 400
    assert "village" in response.json()


def test_members_are_not_deleted_through_the_api(api, tree):
    member = make_member(tree.a1v)
    assert api.delete(f"/api/v1/members/{member.pk}/").status_code == 405


# --- reveal, routing, duplicates ---------------------------------------------------------


def test_reveal_returns_the_full_number_and_logs_it(api, tree, users):
    member = make_member(tree.a1v)
    response = api.post(f"/api/v1/members/{member.pk}/reveal-id/", {"purpose": "核对低保"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id_number": member.id_number}
    reveal = IdNumberReveal.objects.get()
    assert (reveal.member, reveal.user, reveal.purpose) == (member, users.county_staff, "核对低保")


@pytest.mark.parametrize("role", ["work_team", "leader"])
def test_reveal_is_403_without_the_permission(tree, users, role):
    member = make_member(tree.a1v)
    response = client_for(getattr(users, role)).post(f"/api/v1/members/{member.pk}/reveal-id/")
    assert response.status_code == 403
    assert response.json() == {"detail": "您的角色不能查看完整身份证号码。"}
    assert not IdNumberReveal.objects.exists()


def test_decide_track_needs_a_reason(api, tree):
    member = make_member(tree.a1v, labour_capacity="none")
    url = f"/api/v1/members/{member.pk}/decide-track/"
    response = api.post(url, {"track": "relief", "reason": "  "}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["人工调整分流必须填写理由。"]}
    response = api.post(url, {"track": "relief", "reason": "独居无收入，村委会认定"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["computed_track"], data["track"]) == ("undecided", "relief")
    assert data["track_override_reason"] == "独居无收入，村委会认定"


def test_decide_track_refuses_undecided(api, tree):
    member = make_member(tree.a1v)
    response = api.post(
        f"/api/v1/members/{member.pk}/decide-track/", {"track": "undecided", "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "track" in response.json()


def test_possible_duplicates_of_a_file(api, tree):
    born = date(1966, 2, 2)
    member = make_member(tree.a1v, name="李明", born=born)
    twin = make_member(tree.a1c, name="李明", born=born, confirm_not_duplicate=True)  # same township
    make_member(tree.b1v, name="李明", born=born)  # another county: not shown
    make_member(tree.a1v, name="李明", born=date(1967, 2, 2))
    rows = api.get(f"/api/v1/members/{member.pk}/possible-duplicates/").json()
    assert [row["id"] for row in rows] == [twin.pk]
    assert rows[0]["id_number"] == twin.masked_id_number


def test_find_possible_duplicates_before_registering(api, tree):
    born = date(1966, 2, 2)
    existing = make_member(tree.a1c, name="李明", born=born)
    url = "/api/v1/members/possible-duplicates/"

    same_number = api.get(url, {"id_number": existing.id_number}).json()
    assert same_number["id_number_member"]["id"] == existing.pk
    assert same_number["id_number_member"]["id_number"] == existing.masked_id_number

    new_number = id_number(born)
    similar = api.get(url, {"id_number": new_number, "name": "李明", "village": tree.a1v.code}).json()
    assert similar["id_number_member"] is None
    assert similar["id_number_registered"] is False
    elsewhere = make_member(tree.b1v)
    hidden = api.get(url, {"id_number": elsewhere.id_number}).json()
    assert (hidden["id_number_member"], hidden["id_number_registered"]) == (None, True)
    assert [row["id"] for row in similar["same_name_and_birth_date"]] == [existing.pk]

    assert api.get(url).json() == {
        "id_number_member": None,
        "id_number_registered": False,
        "same_name_and_birth_date": [],
    }
    bad = api.get(url, {"id_number": "12345"})
    assert bad.status_code == 400
    assert "id_number" in bad.json()
    assert api.get(url, {"village": tree.b1v.code}).status_code == 400


# --- household ---------------------------------------------------------------------------


def test_household_members_crud(api, tree, users):
    member = make_member(tree.a1v)
    spouse_number = id_number(date(1974, 1, 1), female=True)
    response = api.post(
        "/api/v1/household-members/",
        {"member": member.pk, "relation": "spouse", "name": "刘芳", "id_number": spouse_number, "health": "chronic"},
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id_number"] == spouse_number[:6] + "********" + spouse_number[-4:]
    assert (data["relation_label"], data["health_label"]) == ("配偶", "长期慢性病")
    person = HouseholdMember.objects.get()
    assert person.history.get().history_user == users.county_staff

    url = f"/api/v1/household-members/{person.pk}/"
    response = api.patch(url, {"schooling": "graduated"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["schooling"] == "graduated"
    assert [row["name"] for row in results(api.get("/api/v1/household-members/", {"member": member.pk}))] == ["刘芳"]

    assert client_for(users.work_team).delete(url).status_code == 403
    assert api.delete(url).status_code == 204
    assert not HouseholdMember.objects.exists()


def test_household_member_errors(api, tree):
    member = make_member(tree.a1v)
    url = "/api/v1/household-members/"
    response = api.post(url, {"member": member.pk, "relation": "child", "name": "王小", "id_number": "1234"})
    assert response.status_code == 400
    assert "id_number" in response.json()
    same = api.post(url, {"member": member.pk, "relation": "child", "name": "王小", "id_number": member.id_number})
    assert same.json() == {"id_number": ["家庭成员的身份证号码不能与户主相同。"]}
    other = make_member(tree.b1v)
    response = api.post(url, {"member": other.pk, "relation": "child", "name": "王小"})
    assert response.status_code == 400
    assert "member" in response.json()


def test_household_filter_by_member(api, tree):
    first, second = make_member(tree.a1v), make_member(tree.a1v)
    services.household_member_save(actor=None, member=first, relation="spouse", name="甲")
    services.household_member_save(actor=None, member=second, relation="spouse", name="乙")
    rows = results(api.get("/api/v1/household-members/", {"member": second.pk}))
    assert [row["name"] for row in rows] == ["乙"]


# --- plans -------------------------------------------------------------------------------


def test_a_new_plan_supersedes_the_current_one(tree, users):
    make_team(tree.a, [tree.a1v], [users.work_team])
    team = client_for(users.work_team)  # work teams keep plans
    member = make_member(tree.a1v)
    first = team.post("/api/v1/plans/", plan_payload(member), format="json")
    assert first.status_code == 201, first.content
    second = team.post("/api/v1/plans/", plan_payload(member, project="光伏"), format="json")
    assert second.status_code == 201, second.content
    assert list(PovertyExitPlan.objects.filter(member=member, is_current=True)) == [
        PovertyExitPlan.objects.get(pk=second.json()["id"])
    ]
    current = results(team.get("/api/v1/plans/", {"member": member.pk, "is_current": "true"}))
    assert [row["project"] for row in current] == ["光伏"]
    assert len(results(team.get("/api/v1/plans/", {"member": member.pk}))) == 2
    data = team.get(f"/api/v1/members/{member.pk}/").json()
    assert data["current_plan"]["project"] == "光伏"
    assert data["current_plan"]["direction_label"] == "宜农（农业）"
    assert data["current_plan"]["created_by"] == users.work_team.display_name


def test_plans_are_not_edited(api, tree):
    member = make_member(tree.a1v)
    plan = api.post("/api/v1/plans/", plan_payload(member), format="json").json()
    assert api.patch(f"/api/v1/plans/{plan['id']}/", {"project": "x"}, format="json").status_code == 405


def test_plan_errors_reach_their_field(api, tree):
    member = make_member(tree.a1v)
    response = api.post("/api/v1/plans/", plan_payload(member, target_year=2001), format="json")
    assert response.status_code == 400
    assert response.json() == {"target_year": ["目标年度不能早于去年。"]}


# --- income and status -------------------------------------------------------------------


def test_income_thresholds_are_set_by_city_staff_only(api, users):
    payload = {"year": 2025, "out_of_poverty": "4000", "well_off": "12000", "notice_days": 5}
    assert api.post("/api/v1/income-thresholds/", payload, format="json").status_code == 403
    city = client_for(users.city_staff)
    response = city.post("/api/v1/income-thresholds/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["set_by"] == users.city_staff.display_name
    response = city.post("/api/v1/income-thresholds/", {**payload, "out_of_poverty": "4200"}, format="json")
    assert response.status_code == 200
    # everyone in the register reads them
    data = api.get("/api/v1/income-thresholds/2025/").json()
    assert (data["out_of_poverty"], data["well_off"], data["notice_days"]) == ("4200.00", "12000.00", 5)


def test_income_threshold_rule_errors(users):
    payload = {"year": 2025, "out_of_poverty": "5000", "well_off": "4000"}
    response = client_for(users.city_staff).post("/api/v1/income-thresholds/", payload, format="json")
    assert response.status_code == 400
    assert "小康标准必须高于脱贫标准" in str(response.json())


def test_income_check_needs_a_threshold(api, tree):
    member = make_member(tree.a1v)
    payload = {"member": member.pk, "year": 2025, "income_per_head": "5000"}
    response = api.post("/api/v1/income-checks/", payload, format="json")
    assert response.status_code == 400
    assert "尚未设定 2025 年度的收入标准" in response.json()["year"][0]


def test_income_check_to_confirmed_status(api, tree, users):
    set_threshold(notice_days=1)
    member = make_member(tree.a1v)

    response = api.post(
        "/api/v1/income-checks/", {"member": member.pk, "year": 2025, "income_per_head": "5000"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert results(api.get("/api/v1/income-checks/", {"member": member.pk, "year": 2025}))[0]["income_per_head"] == (
        "5000.00"
    )
    [change] = results(api.get("/api/v1/status-changes/", {"member": member.pk, "state": "noticing"}))
    assert (change["from_status"], change["to_status"], change["to_status_label"]) == ("poor", "out", "脱贫")
    assert change["notice_ends"] == str(TODAY + timedelta(days=1))
    confirm = f"/api/v1/status-changes/{change['id']}/confirm/"

    # not before the notice ends
    response = api.post(confirm, {"note": "公示无异议"}, format="json")
    assert response.status_code == 400
    assert "期满后才能确认" in response.json()["non_field_errors"][0]

    # an objection, raised by the village work team, blocks confirmation until resolved
    make_team(tree.a, [tree.a1v], [users.work_team])
    team = client_for(users.work_team)
    response = team.post(
        "/api/v1/objections/",
        {"status_change": change["id"], "raised_by": "村民张三", "content": "家中另有经营收入未计入"},
        format="json",
    )
    assert response.status_code == 201, response.content
    objection = response.json()
    assert (objection["member"], objection["is_resolved"]) == (member.pk, False)
    end_notice(change["id"])
    response = api.post(confirm, format="json")
    assert response.status_code == 400
    assert "未核实处理的异议" in response.json()["non_field_errors"][0]

    resolve = f"/api/v1/objections/{objection['id']}/resolve/"
    assert api.post(resolve, {"resolution": " "}, format="json").json() == {"resolution": ["请填写核实处理情况。"]}
    response = api.post(resolve, {"resolution": "经核实，经营收入已计入。"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_resolved"] is True

    response = api.post(confirm, {"note": "公示期满"}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["state"], data["decision_note"], data["decided_by"]) == (
        "confirmed",
        "公示期满",
        users.county_staff.display_name,
    )
    assert data["objections"][0]["resolution"] == "经核实，经营收入已计入。"
    assert api.get(f"/api/v1/members/{member.pk}/").json()["status"] == "out"
    # done is done
    assert api.post(confirm, format="json").status_code == 400


def test_correcting_an_income_check_answers_200(api, tree):
    set_threshold()
    member = make_member(tree.a1v)
    payload = {"member": member.pk, "year": 2025, "income_per_head": "5000"}
    assert api.post("/api/v1/income-checks/", payload, format="json").status_code == 201
    response = api.post("/api/v1/income-checks/", {**payload, "income_per_head": "13000"}, format="json")
    assert response.status_code == 200
    changes = {row["state"]: row["to_status"] for row in results(api.get("/api/v1/status-changes/"))}
    assert changes == {"withdrawn": "out", "noticing": "well_off"}


def test_withdrawing_a_notice_needs_a_note(api, tree):
    set_threshold()
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    url = f"/api/v1/status-changes/{change.pk}/withdraw/"
    assert api.post(url, format="json").json() == {"note": ["撤回公示必须说明理由。"]}
    response = api.post(url, {"note": "收入数据有误"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"


def test_objection_after_the_notice_is_refused(api, tree):
    set_threshold()
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    end_notice(change.pk)
    response = api.post(
        "/api/v1/objections/", {"status_change": change.pk, "raised_by": "村民", "content": "有异议"}, format="json"
    )
    assert response.status_code == 400
    assert "不能再登记异议" in response.json()["raised_on"][0]


# --- roles -------------------------------------------------------------------------------


def test_read_only_leader_gets_403_on_every_write(tree, users):
    set_threshold()
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    leader = client_for(users.leader)
    assert leader.get(f"/api/v1/members/{member.pk}/").status_code == 200
    writes = [
        ("post", "/api/v1/members/", member_payload(tree.a1v)),
        ("patch", f"/api/v1/members/{member.pk}/", {"name": "x"}),
        ("post", f"/api/v1/members/{member.pk}/decide-track/", {"track": "relief", "reason": "x"}),
        ("post", "/api/v1/household-members/", {"member": member.pk, "relation": "spouse", "name": "x"}),
        ("post", "/api/v1/plans/", plan_payload(member)),
        ("post", "/api/v1/income-checks/", {"member": member.pk, "year": 2025, "income_per_head": "1"}),
        ("post", "/api/v1/income-thresholds/", {"year": 2026, "out_of_poverty": "1", "well_off": "2"}),
        ("post", f"/api/v1/status-changes/{change.pk}/confirm/", {}),
        ("post", f"/api/v1/status-changes/{change.pk}/withdraw/", {"note": "x"}),
        ("post", "/api/v1/objections/", {"status_change": change.pk, "raised_by": "x", "content": "x"}),
    ]
    for method, url, payload in writes:
        response = getattr(leader, method)(url, payload, format="json")
        assert response.status_code == 403, f"{method} {url} gave {response.status_code}"
        assert response.json() == {"detail": "您的角色没有这项权限。"}
    assert member.status_changes.get().state == "noticing"


def test_work_team_cannot_register_or_confirm(tree, users):
    set_threshold()
    member = make_member(tree.a1v)
    services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    end_notice(change.pk)
    team = client_for(users.work_team)
    assert team.post("/api/v1/members/", member_payload(tree.a1v), format="json").status_code == 403
    assert team.post(f"/api/v1/status-changes/{change.pk}/confirm/").status_code == 403


# --- queries and schema ------------------------------------------------------------------


def token_client(user):
    # Token authentication, so that every request loads its user afresh.
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_members_list_query_count_is_flat(tree, users, django_assert_num_queries):
    api = token_client(users.county_staff)
    for _ in range(3):
        services.plan_create(actor=users.county_staff, member=make_member(tree.a1v), **plan_fields())
    # then: token+user+region (and whether it has permissions of its own), count, page, current plans
    with django_assert_num_queries(4):
        assert len(results(api.get("/api/v1/members/"))) == 3
    for i in range(27):
        member = make_member(tree.a1c if i % 2 else tree.a1v)
        if i % 3:
            services.plan_create(actor=users.work_team, member=member, **plan_fields())
    with django_assert_num_queries(4):
        assert len(results(api.get("/api/v1/members/"))) == 30
    # a region filter checks the code against the jurisdiction: one query more, still flat
    with django_assert_num_queries(5):
        assert len(results(api.get("/api/v1/members/", {"county": tree.a.code}))) == 30


def plan_fields():
    return {
        "direction": "commerce",
        "project": "电商",
        "measures": "培训",
        "income_target": Decimal("6000"),
        "target_year": TODAY.year + 1,
        "responsible_person": "李书记",
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def fill_register(tree, users, count):
    """``count`` members with a household member, a plan, an income check and an objection each."""
    for _ in range(count):
        member = make_member(tree.a1v)
        services.household_member_save(actor=users.county_staff, member=member, relation="spouse", name="配偶")
        services.plan_create(actor=users.county_staff, member=member, **plan_fields())
        services.income_check_record(
            actor=users.county_staff, member=member, year=2025, income_per_head=Decimal("5000")
        )
        services.objection_record(
            actor=users.county_staff, status_change=member.status_changes.get(), raised_by="村民", content="异议"
        )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/household-members/",
        "/api/v1/plans/",
        "/api/v1/income-checks/",
        "/api/v1/status-changes/",
        "/api/v1/objections/",
        "/api/v1/income-thresholds/",
    ],
)
def test_other_lists_query_count_is_flat(tree, users, url):
    set_threshold()
    api = token_client(users.county_staff)
    fill_register(tree, users, 2)
    few = count_queries(api, url)
    fill_register(tree, users, 5)
    services.threshold_set(actor=users.city_staff, year=2024, out_of_poverty=Decimal("1"), well_off=Decimal("2"))
    assert count_queries(api, url) == few


def test_schema_generates_without_warnings():
    # --fail-on-warn turns any warning about these endpoints into an error
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_lists_the_register(client, users):
    client.force_login(users.county_staff)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in ["members/", "members/{id}/reveal-id/", "plans/", "income-checks/", "status-changes/{id}/confirm/"]:
        assert f"/api/v1/{path}" in schema


def test_create_a_possible_duplicate_needs_confirmation(api, tree):
    born = date(1966, 2, 2)
    make_member(tree.a1c, name="李明", born=born)
    payload = {
        "name": "李明",
        "id_number": id_number(born),
        "labour_capacity": "ordinary",
        "village": tree.a1v.code,
    }
    refused = api.post("/api/v1/members/", payload, format="json")
    assert refused.status_code == 400
    assert "同一乡镇已有同名、同出生日期的档案" in str(refused.json())
    created = api.post("/api/v1/members/", {**payload, "confirm_not_duplicate": True}, format="json")
    assert created.status_code == 201, created.content
