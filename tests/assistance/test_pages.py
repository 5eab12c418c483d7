"""The assistance pages: scope, bad input with Chinese messages, the phone form, query counts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assistance import services
from assistance.choices import HelperKind
from assistance.models import (
    Difficulty,
    Pairing,
    PoorResident,
    VisitNote,
    WelfareReferral,
    WorkTeam,
)
from tests.members.factories import id_number, make_member

from .factories import days_ago, pair

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def team_client(client, users):
    client.force_login(users.work_team)
    return client


@pytest.fixture
def cadre_client(client, users):
    client.force_login(users.cadre)
    return client


def body(response) -> str:
    return response.content.decode()


# --- visit notes --------------------------------------------------------------------------------


def test_phone_form_offers_own_members_and_today(world, team_client):
    page = body(team_client.get(reverse("assistance:visitnote_add")))
    assert "张庄党员" in page
    assert "五保老人" in page
    assert "社区党员" not in page
    assert "白河党员" not in page
    assert f'value="{TODAY.isoformat()}"' in page
    assert 'name="helper"' in page
    assert 'type="hidden"' in page
    assert "assistance/visit_draft.js" in page


def test_work_team_saves_a_visit_note(world, team_client, users):
    response = team_client.post(
        reverse("assistance:visitnote_add"),
        {"member": world.zhang.pk, "helper": world.team.pk, "visited_on": TODAY.isoformat(), "findings": "养牛8头"},
    )
    note = VisitNote.objects.get()
    assert response.status_code == 302
    assert response.url == note.get_absolute_url()
    assert (note.member, note.visitor, note.visited_on) == (world.zhang, users.work_team, TODAY)
    assert "visit_saved.js" in body(team_client.get(note.get_absolute_url()))


def test_a_visit_in_the_future_gets_a_chinese_message(world, team_client):
    response = team_client.post(
        reverse("assistance:visitnote_add"),
        {
            "member": world.zhang.pk,
            "helper": world.team.pk,
            "visited_on": (TODAY + timedelta(days=2)).isoformat(),
            "findings": "x",
        },
    )
    assert response.status_code == 200
    assert "走访日期不能晚于今天" in body(response)
    assert not VisitNote.objects.exists()


def test_a_work_team_cannot_post_a_note_for_a_member_outside_its_villages(world, team_client):
    response = team_client.post(
        reverse("assistance:visitnote_add"),
        {"member": world.urban.pk, "helper": world.team.pk, "visited_on": TODAY.isoformat(), "findings": "x"},
    )
    assert response.status_code == 200
    assert "该党员不在您的帮扶或管辖范围内" in body(response)
    assert not VisitNote.objects.exists()


def test_a_cadre_cannot_read_or_change_another_cadres_members_notes(world, users, client):
    note = services.visit_note_create(actor=world.cadre2_user, member=world.urban, findings="社区走访")
    client.force_login(users.cadre)
    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.get(reverse("assistance:visitnote_edit", args=[note.pk])).status_code == 404
    assert client.post(reverse("assistance:visitnote_edit", args=[note.pk]), {"findings": "改"}).status_code == 404
    assert "社区走访" not in body(client.get(reverse("assistance:visitnote_list")))
    assert client.get(reverse("members:member_detail", args=[world.urban.pk])).status_code == 404
    note.refresh_from_db()
    assert note.findings == "社区走访"


def test_visit_list_pins_its_queries(world, users, team_client, django_assert_max_num_queries):
    for i in range(12):
        services.visit_note_create(
            actor=users.work_team, member=world.zhang, findings=f"第{i}次", visited_on=days_ago(i)
        )
    with django_assert_max_num_queries(9):
        response = team_client.get(reverse("assistance:visitnote_list"))
    assert body(response).count("张庄党员") >= 12


# --- member file and home -----------------------------------------------------------------------


def test_member_file_shows_helpers_visits_and_difficulties(world, users, county_client):
    note = services.visit_note_create(actor=users.cadre, member=world.zhang, findings="了解生产情况")
    services.difficulty_raise(
        actor=users.cadre,
        member=world.zhang,
        kind="market",
        description="销路不畅",
        coordinator=world.cadre,
        deadline=TODAY + timedelta(days=5),
        visit=note,
    )
    page = body(county_client.get(world.zhang.get_absolute_url()))
    assert "李副县长" in page
    assert "了解生产情况" in page
    assert "销路不畅" in page


def test_home_panel_lists_members_due_and_open_difficulties(world, users, team_client):
    services.difficulty_raise(
        actor=users.work_team,
        member=world.zhang,
        kind="funds",
        description="缺资金",
        coordinator=world.team,
        deadline=TODAY,
    )
    Difficulty.objects.update(deadline=days_ago(2))
    page = body(team_client.get(reverse("home")))
    assert 'data-testid="assistance-panel"' in page
    assert "张庄党员" in page
    assert "逾期" in page
    assert "社区党员" not in page


def test_home_panel_queries_do_not_grow_with_members(world, users, rf, django_assert_max_num_queries, tree):
    from assistance.views import home_panel

    request = rf.get("/")
    request.user = users.work_team
    users.work_team.has_perm("assistance.view_visitnote")  # permissions cached, as in a request
    with django_assert_max_num_queries(4):
        few = home_panel(request)
    for _ in range(8):
        services.visit_note_create(actor=users.work_team, member=make_member(tree.a1v), findings="走访")
    with django_assert_max_num_queries(4):
        many = home_panel(request)
    assert many["member_count"] == few["member_count"] + 8


# --- pairings -----------------------------------------------------------------------------------


def test_an_overlapping_pairing_gets_a_chinese_message_and_writes_nothing(world, county_client):
    before = Pairing.objects.count()
    response = county_client.post(
        reverse("assistance:pairing_add"),
        {"member": world.zhang.pk, "helper": world.cadre.pk, "starts_on": days_ago(3).isoformat(), "reason": "再结对"},
    )
    assert response.status_code == 200
    assert "时间不能重叠" in body(response)
    assert Pairing.objects.count() == before


def test_staff_pair_and_the_cadre_then_sees_the_member(world, county_client, users, client):
    response = county_client.post(
        reverse("assistance:pairing_add"),
        {"member": world.zhang2.pk, "helper": world.cadre.pk, "starts_on": TODAY.isoformat(), "reason": "联系"},
    )
    assert response.status_code == 302
    client.force_login(users.cadre)
    assert client.get(world.zhang2.get_absolute_url()).status_code == 200


def test_overdue_page_lists_pairings_not_visited(world, users, county_client):
    services.visit_policy_set(actor=users.city_staff, kind=HelperKind.CADRE, every_days=10)
    page = body(county_client.get(reverse("assistance:pairing_overdue")))
    assert "张庄党员" in page
    assert "从未走访" in page


def test_pairing_list_pins_its_queries(world, tree, county_client, django_assert_max_num_queries):
    for _ in range(10):
        pair(make_member(tree.a1v), world.cadre)
    with django_assert_max_num_queries(9):
        response = county_client.get(reverse("assistance:pairing_list"))
    assert response.status_code == 200


def test_helper_pages(world, county_client, tree, users):
    page = body(county_client.get(reverse("assistance:helper_list")))
    assert "李副县长" in page
    assert "市委组织部驻张庄村工作队" in page
    page = body(county_client.get(world.team.get_absolute_url()))
    assert "张庄村" in page
    assert str(users.work_team) in page
    response = county_client.post(
        reverse("assistance:workteam_add"),
        {
            "name": "县农业局驻张庄村工作队",
            "sending_unit": "县农业局",
            "captain": "刘队长",
            "region": tree.a.pk,
            "villages": [tree.a1v.pk],
            "starts_on": TODAY.isoformat(),
            "accounts": [users.work_team.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, body(response)
    team = WorkTeam.objects.get(name="县农业局驻张庄村工作队")
    assert list(team.accounts.all()) == [users.work_team]
    assert county_client.get(reverse("assistance:workteam_history", args=[team.pk])).status_code == 200


# --- welfare referral ---------------------------------------------------------------------------


def test_a_referral_for_a_demonstration_member_is_refused_on_the_page(world, county_client):
    response = county_client.post(reverse("assistance:welfarereferral_add"), {"member": world.zhang.pk})
    assert response.status_code == 200
    assert not WelfareReferral.objects.exists()
    # the form does not even offer the member; a crafted post gets the rule in Chinese
    assert "脱困示范行动对象不能转介社会救济" in body(response)


def test_staff_confirm_a_proposal_on_its_page(world, county_client):
    services.referrals_propose()
    proposal = WelfareReferral.objects.get()
    page = body(county_client.get(proposal.get_absolute_url()))
    assert "确认转介" in page
    response = county_client.post(reverse("assistance:welfarereferral_confirm", args=[proposal.pk]), {})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "referred"
    assert proposal.scheme == "wubao"


def test_work_team_cannot_decide_a_proposal(world, team_client):
    services.referrals_propose()
    proposal = WelfareReferral.objects.get()
    assert team_client.post(reverse("assistance:welfarereferral_confirm", args=[proposal.pk])).status_code == 403


# --- phase 2 ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["county_staff", "township_staff", "work_team"])
def test_poor_resident_id_is_masked_on_every_page_for_every_role(world, tree, users, client, role):
    """The full number is shown only through a logged reveal (PoorResidentRevealIdView):
    masked even for staff who may reveal it, on the edit form and in the history too."""
    number = id_number()
    resident = services.poor_resident_save(actor=None, name="李桂芝", id_number=number, village=tree.a1v)
    old_masked = resident.masked_id_number
    resident = services.poor_resident_save(actor=users.county_staff, resident=resident, id_number=id_number())
    client.force_login(getattr(users, role))
    pages = {
        "detail": resident.get_absolute_url(),
        "list": reverse("assistance:poorresident_list"),
        "edit": reverse("assistance:poorresident_edit", args=[resident.pk]),
        "history": reverse("assistance:poorresident_history", args=[resident.pk]),
    }
    for name, url in pages.items():
        page = body(client.get(url))
        assert resident.masked_id_number in page, name
        assert resident.id_number not in page, name
        assert number not in page, name
    assert old_masked in body(client.get(pages["history"]))
    assert f'value="{resident.masked_id_number}"' in body(client.get(pages["edit"]))


def resident_data(resident, **fields):
    data = {
        "name": resident.name,
        "id_number": resident.masked_id_number,
        "village": resident.village_id,
        "household_size": str(resident.household_size),
        "income_per_head": str(resident.income_per_head),
        "phone": resident.phone,
    }
    data.update(fields)
    return data


def test_poor_resident_edit_without_retyping_the_number_keeps_it(world, tree, team_client):
    number = id_number()
    resident = services.poor_resident_save(actor=None, name="李桂芝", id_number=number, village=tree.a1v)
    url = reverse("assistance:poorresident_edit", args=[resident.pk])
    response = team_client.post(url, resident_data(resident, household_size="5"))
    assert response.status_code == 302, body(response)
    resident.refresh_from_db()
    assert (resident.id_number, resident.household_size) == (number, 5)
    # a full number typed in replaces it; an altered mask is refused in Chinese
    new = id_number()
    assert team_client.post(url, resident_data(resident, id_number=new)).status_code == 302
    resident.refresh_from_db()
    assert resident.id_number == new
    altered = "411521" + "*" * 7 + new[-5:]
    response = team_client.post(url, resident_data(resident, id_number=altered))
    assert response.status_code == 200
    assert "不能带*号" in body(response)
    resident.refresh_from_db()
    assert resident.id_number == new


def test_poor_resident_bad_id_number_on_the_page(tree, county_client):
    response = county_client.post(
        reverse("assistance:poorresident_add"),
        {"name": "李", "id_number": "123", "village": tree.a1v.pk, "household_size": "3", "income_per_head": "2000"},
    )
    assert response.status_code == 200
    assert "身份证号码应为18位" in body(response)
    assert not PoorResident.objects.exists()


def test_mentor_pair_and_outcome_pages(world, tree, users, county_client):
    from members.models import Member

    Member.objects.filter(pk=world.zhang.pk).update(status="out")
    mentor = services.mentor_designate(actor=None, member=Member.objects.get(pk=world.zhang.pk), reason="能力强")
    resident = services.poor_resident_save(actor=None, name="李桂芝", id_number=id_number(), village=tree.a1v)
    response = county_client.post(
        reverse("assistance:mentorpair_add"),
        {"mentor": mentor.pk, "resident": resident.pk, "starts_on": date(TODAY.year - 1, 5, 1).isoformat()},
    )
    assert response.status_code == 302, body(response)
    pair_ = mentor.pairs.get()
    response = county_client.post(
        reverse("assistance:mentoroutcome_add", args=[pair_.pk]),
        {"year": TODAY.year - 1, "income_per_head": "3600", "summary": "发展庭院养殖"},
    )
    assert response.status_code == 302
    assert pair_.outcomes.get().income_per_head == Decimal("3600.00")
    assert "发展庭院养殖" in body(county_client.get(pair_.get_absolute_url()))


# --- every list page answers, with pinned queries -----------------------------------------------


LISTS = [
    "helper_list",
    "pairing_list",
    "pairing_overdue",
    "visitpolicy_list",
    "visitnote_list",
    "difficulty_list",
    "enterprisesupport_list",
    "centreservice_list",
    "welfarereferral_list",
    "mentor_list",
    "poorresident_list",
    "mentorpair_list",
]


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_answer_in_few_queries(world, county_client, name, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = county_client.get(reverse(f"assistance:{name}"))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["visitnote_add", "difficulty_add", "pairing_add", "welfarereferral_add"])
def test_forms_answer(world, county_client, name):
    assert county_client.get(reverse(f"assistance:{name}")).status_code == 200


def test_difficulty_update_page(world, users, team_client):
    difficulty = services.difficulty_raise(
        actor=users.work_team,
        member=world.zhang,
        kind="funds",
        description="缺资金",
        coordinator=world.team,
        deadline=TODAY + timedelta(days=3),
    )
    url = reverse("assistance:difficulty_edit", args=[difficulty.pk])
    response = team_client.post(
        url, {"status": "resolved", "coordinator": world.team.pk, "deadline": difficulty.deadline.isoformat()}
    )
    assert response.status_code == 200
    assert "解决情况" in body(response)
    response = team_client.post(
        url,
        {
            "status": "resolved",
            "coordinator": world.team.pk,
            "deadline": difficulty.deadline.isoformat(),
            "resolution": "已申请脱困基金",
        },
    )
    assert response.status_code == 302
    difficulty.refresh_from_db()
    assert difficulty.status == "resolved"


def test_a_photo_is_uploaded_with_the_note(world, team_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("cow.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    response = team_client.post(
        reverse("assistance:visitnote_add"),
        {
            "member": world.zhang.pk,
            "helper": world.team.pk,
            "visited_on": TODAY.isoformat(),
            "findings": "牛棚",
            "photo": photo,
        },
    )
    assert response.status_code == 302
    note = VisitNote.objects.get()
    assert note.photo.name.endswith(".png")
    # the photo is served through the note's scope, never as a public media file
    detail = body(team_client.get(note.get_absolute_url()))
    photo_url = reverse("assistance:visitnote_photo", args=[note.pk])
    assert photo_url in detail
    assert note.photo.url not in detail
    served = team_client.get(photo_url)
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")
    fake = SimpleUploadedFile("cow.jpg", b"MZ not a picture", content_type="image/jpeg")
    response = team_client.post(
        reverse("assistance:visitnote_add"),
        {
            "member": world.zhang.pk,
            "helper": world.team.pk,
            "visited_on": TODAY.isoformat(),
            "findings": "x",
            "photo": fake,
        },
    )
    assert "不是 JPG 或 PNG 图片" in body(response)
    assert VisitNote.objects.count() == 1


@pytest.fixture
def records(world, users, tree):
    """One record of each kind in 青山县, for the detail and history pages."""
    from members.models import Member

    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="走访")
    difficulty = services.difficulty_raise(
        actor=users.work_team,
        member=world.zhang,
        kind="funds",
        description="缺资金",
        coordinator=world.team,
        deadline=TODAY,
    )
    support = services.enterprise_support_record(
        actor=None, member=world.zhang2, enterprise=world.enterprise, kind="money", description="种苗款", value=10
    )
    service = services.centre_service_save(
        actor=None, member=world.urban, centre=world.centre, kind="skills_training", description="家政培训"
    )
    referral = services.referral_create(actor=None, member=world.old)
    Member.objects.filter(pk=world.zhang.pk).update(status="out")
    mentor = services.mentor_designate(actor=None, member=Member.objects.get(pk=world.zhang.pk), reason="强")
    resident = services.poor_resident_save(actor=None, name="李桂芝", id_number=id_number(), village=tree.a1v)
    mentor_pair = services.mentor_pair_create(actor=None, mentor=mentor, resident=resident)
    return {
        "pairing": Pairing.objects.filter(helper=world.cadre).get(),
        "visitnote": note,
        "difficulty": difficulty,
        "enterprisesupport": support,
        "centreservice": service,
        "welfarereferral": referral,
        "mentor": mentor,
        "poorresident": resident,
        "mentorpair": mentor_pair,
        "workteam": world.team,
        "leadingcadre": world.cadre,
        "enterprise": world.enterprise,
        "urbancentre": world.centre,
    }


def test_detail_history_and_edit_pages_answer(records, county_client):
    for name, record in records.items():
        if name not in {"workteam", "leadingcadre", "enterprise", "urbancentre"}:
            assert county_client.get(reverse(f"assistance:{name}_detail", args=[record.pk])).status_code == 200, name
        assert county_client.get(reverse(f"assistance:{name}_history", args=[record.pk])).status_code == 200, name
    for name in ("pairing", "visitnote", "difficulty", "centreservice", "poorresident", "workteam", "leadingcadre"):
        response = county_client.get(reverse(f"assistance:{name}_edit", args=[records[name].pk]))
        assert response.status_code == 200, name
    assert county_client.get(reverse("assistance:helper_detail", args=[records["enterprise"].pk])).status_code == 200


def test_another_county_gets_404_everywhere(records, client, users):
    client.force_login(users.county_b)
    for name, record in records.items():
        url = reverse(f"assistance:{name}_history", args=[record.pk])
        # a city-level enterprise serves the whole city: every county may pair it
        expected = 200 if name == "enterprise" else 404
        assert client.get(url).status_code == expected, name


def test_the_city_sets_the_visit_interval(world, users, client):
    client.force_login(users.county_staff)
    assert client.get(reverse("assistance:visitpolicy_set")).status_code == 403
    client.force_login(users.city_staff)
    response = client.post(reverse("assistance:visitpolicy_set"), {"kind": "cadre", "every_days": "20"})
    assert response.status_code == 302
    response = client.post(reverse("assistance:visitpolicy_set"), {"kind": "cadre", "every_days": "10"})
    assert response.status_code == 302
    from assistance.models import VisitPolicy

    assert VisitPolicy.objects.get().every_days == 10
    response = client.post(reverse("assistance:visitpolicy_set"), {"kind": "cadre", "every_days": "0"})
    assert response.status_code == 200


def test_enterprise_and_centre_homes_offer_their_own_records(world, users, client):
    client.force_login(users.enterprise)
    page = body(client.get(reverse("home")))
    assert "登记企业扶持" in page
    assert "登记中心服务" not in page
    client.force_login(users.urban_centre)
    page = body(client.get(reverse("home")))
    assert "登记中心服务" in page
    assert "社区党员" in page


def test_a_difficulty_raised_from_a_visit_on_the_page(world, users, team_client):
    note = services.visit_note_create(actor=users.work_team, member=world.zhang, findings="缺资金")
    url = reverse("assistance:difficulty_add") + f"?member={world.zhang.pk}&visit={note.pk}"
    assert team_client.get(url).status_code == 200
    response = team_client.post(
        reverse("assistance:difficulty_add"),
        {
            "member": world.zhang.pk,
            "visit": note.pk,
            "kind": "funds",
            "description": "扩大养殖缺资金",
            "coordinator": world.team.pk,
            "deadline": (TODAY + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Difficulty.objects.get().visit == note


def test_a_spaced_id_number_is_normalized_on_the_page(tree, county_client):
    number = id_number()
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    response = county_client.post(
        reverse("assistance:poorresident_add"),
        {"name": "李", "id_number": spaced, "village": tree.a1v.pk, "household_size": "3", "income_per_head": "2000"},
    )
    assert response.status_code == 302
    assert PoorResident.objects.get().id_number == number
