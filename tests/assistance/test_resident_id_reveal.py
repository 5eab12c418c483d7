"""A poor resident's (贫困群众) full ID number: masked on every page and in the API for every
role, shown only through the logged reveal, with the same right as a member's
(members.reveal_id_number), 404 outside the jurisdiction and 403 without the right."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from assistance import services
from assistance.models import PoorResident, PoorResidentIdReveal
from tests.members.factories import id_number

pytestmark = pytest.mark.django_db

# Roles that may see poor residents; the first four may also reveal their numbers.
REVEALING = ["city_staff", "county_staff", "township_staff", "admin"]
NOT_REVEALING = ["work_team", "leader"]


def body(response) -> str:
    return response.content.decode()


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def reveal_url(resident) -> str:
    return reverse("assistance:poorresident_reveal_id", args=[resident.pk])


def api_reveal_url(resident) -> str:
    return f"/api/v1/poor-residents/{resident.pk}/reveal-id/"


@pytest.fixture
def resident(world, tree):
    """A poor resident of 张庄村, where the work team of ``world`` is stationed."""
    return services.poor_resident_save(actor=None, name="李桂芝", id_number=id_number(), village=tree.a1v)


@pytest.fixture
def foreign(tree):
    """A poor resident of 李家湾村 (白河县)."""
    return services.poor_resident_save(actor=None, name="白河县群众", id_number=id_number(), village=tree.b1v)


# --- masked everywhere ------------------------------------------------------------------------


@pytest.mark.parametrize("role", REVEALING + NOT_REVEALING)
def test_masked_on_pages_and_api_for_every_role(resident, users, client, role):
    user = getattr(users, role)
    client.force_login(user)
    pages = [resident.get_absolute_url(), reverse("assistance:poorresident_list")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert resident.masked_id_number in body(response), url
        assert resident.id_number not in body(response), url
    api = api_for(user)
    detail = api.get(f"/api/v1/poor-residents/{resident.pk}/")
    assert detail.status_code == 200
    assert detail.json()["id_number"] == resident.masked_id_number
    listed = api.get("/api/v1/poor-residents/").json()["results"]
    assert [row["id_number"] for row in listed] == [resident.masked_id_number]
    assert resident.id_number not in body(api.get(f"/api/v1/poor-residents/{resident.pk}/?format=json"))
    # only the roles with the right get the button; looking logs nothing
    assert (reveal_url(resident) in body(client.get(resident.get_absolute_url()))) == (role in REVEALING)
    assert not PoorResidentIdReveal.objects.exists()


# --- the page ---------------------------------------------------------------------------------


def test_reveal_on_the_page_logs_and_shows_the_number_once(resident, users, client):
    client.force_login(users.county_staff)
    response = client.post(reveal_url(resident), {"purpose": "  核对低保申请  "})
    assert response.status_code == 302
    assert response["Location"] == resident.get_absolute_url()
    reveal = PoorResidentIdReveal.objects.get()
    assert (reveal.resident, reveal.user, reveal.purpose) == (resident, users.county_staff, "核对低保申请")
    assert reveal.revealed_at is not None
    page = body(client.get(resident.get_absolute_url()))
    assert resident.id_number in page
    assert "已记录查看" in page
    # once: the next visit shows the mask again, and the edit form never shows the number
    page = body(client.get(resident.get_absolute_url()))
    assert resident.id_number not in page
    assert resident.masked_id_number in page
    assert resident.id_number not in body(client.get(reverse("assistance:poorresident_edit", args=[resident.pk])))
    assert PoorResidentIdReveal.objects.count() == 1


def test_a_members_reveal_does_not_show_on_a_residents_page(resident, users, client, tree):
    """The session keys differ: a member with the resident's pk reveals nothing here."""
    from members import services as member_services
    from tests.members.factories import make_member

    member = make_member(tree.a1v, name="同号党员")
    client.force_login(users.county_staff)
    session = client.session
    session[f"revealed-{resident.pk}"] = member_services.id_number_reveal(actor=users.county_staff, member=member)
    session.save()
    assert member.id_number not in body(client.get(resident.get_absolute_url()))


def test_an_overlong_purpose_is_cut_not_refused(resident, users, client):
    client.force_login(users.township_staff)
    assert client.post(reveal_url(resident), {"purpose": "用" * 100}).status_code == 302
    assert PoorResidentIdReveal.objects.get().purpose == ""  # the form refuses it, the reveal still happens
    assert services.poor_resident_id_reveal(actor=users.township_staff, resident=resident, purpose="用" * 100) == (
        resident.id_number
    )
    assert PoorResidentIdReveal.objects.first().purpose == "用" * 64


@pytest.mark.parametrize("role", NOT_REVEALING)
def test_reveal_on_the_page_is_403_without_the_right(resident, users, client, role):
    client.force_login(getattr(users, role))
    response = client.post(reveal_url(resident), {"purpose": "好奇"})
    assert response.status_code == 403
    assert resident.id_number not in body(response)
    assert not PoorResidentIdReveal.objects.exists()


def test_reveal_on_the_page_is_404_out_of_scope(resident, foreign, users, client):
    client.force_login(users.county_b)  # 白河县 staff, who may reveal their own residents' numbers
    assert client.post(reveal_url(resident)).status_code == 404
    client.force_login(users.work_team)  # not stationed in 李家湾村: 404 before the missing right
    assert client.post(reveal_url(foreign)).status_code == 404
    assert not PoorResidentIdReveal.objects.exists()


def test_reveal_page_takes_post_only(resident, users, client):
    client.force_login(users.county_staff)
    assert client.get(reveal_url(resident)).status_code == 405
    assert not PoorResidentIdReveal.objects.exists()


# --- the API ----------------------------------------------------------------------------------


def test_reveal_through_the_api_logs_an_entry(resident, users):
    response = api_for(users.city_staff).post(api_reveal_url(resident), {"purpose": "办理帮带登记"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"id_number": resident.id_number}
    reveal = PoorResidentIdReveal.objects.get()
    assert (reveal.resident, reveal.user, reveal.purpose) == (resident, users.city_staff, "办理帮带登记")
    # without a purpose too
    assert api_for(users.county_staff).post(api_reveal_url(resident), {}, format="json").status_code == 200
    assert PoorResidentIdReveal.objects.filter(user=users.county_staff, purpose="").count() == 1


@pytest.mark.parametrize("role", NOT_REVEALING)
def test_reveal_through_the_api_is_403_without_the_right(resident, users, role):
    response = api_for(getattr(users, role)).post(api_reveal_url(resident), {"purpose": "x"}, format="json")
    assert response.status_code == 403
    assert "不能查看完整身份证号码" in response.json()["detail"]
    assert not PoorResidentIdReveal.objects.exists()


def test_reveal_through_the_api_is_404_out_of_scope(resident, users):
    assert api_for(users.county_b).post(api_reveal_url(resident), {}, format="json").status_code == 404
    assert not PoorResidentIdReveal.objects.exists()


def test_reveal_through_the_api_refuses_a_bad_purpose_in_chinese(resident, users):
    response = api_for(users.county_staff).post(api_reveal_url(resident), {"purpose": "用" * 65}, format="json")
    assert response.status_code == 400
    assert "purpose" in response.json()
    assert not PoorResidentIdReveal.objects.exists()


def test_api_edit_sending_the_masked_number_back_keeps_it(resident, users):
    """The API now reads the number masked; a record sent back as read must not lose it."""
    api = api_for(users.county_staff)
    read = api.get(f"/api/v1/poor-residents/{resident.pk}/").json()
    response = api.patch(
        f"/api/v1/poor-residents/{resident.pk}/", {"id_number": read["id_number"], "household_size": 6}, format="json"
    )
    assert response.status_code == 200, response.content
    stored = PoorResident.objects.get(pk=resident.pk)
    assert (stored.id_number, stored.household_size) == (resident.id_number, 6)
    # an altered mask is refused, never stored
    altered = "4" + read["id_number"][1:-1] + ("0" if read["id_number"][-1] != "0" else "1")
    response = api.patch(f"/api/v1/poor-residents/{resident.pk}/", {"id_number": altered}, format="json")
    assert response.status_code == 400
    assert PoorResident.objects.get(pk=resident.pk).id_number == resident.id_number


# --- the edit form (the stored number kept when left masked) -----------------------------------


def test_edit_form_left_masked_keeps_the_number_after_a_reveal(resident, users, client):
    client.force_login(users.county_staff)
    client.post(reveal_url(resident))
    url = reverse("assistance:poorresident_edit", args=[resident.pk])
    assert f'value="{resident.masked_id_number}"' in body(client.get(url))
    data = {
        "name": resident.name,
        "id_number": resident.masked_id_number,
        "village": resident.village_id,
        "household_size": "4",
        "income_per_head": str(resident.income_per_head),
        "phone": "",
    }
    assert client.post(url, data).status_code == 302
    stored = PoorResident.objects.get(pk=resident.pk)
    assert (stored.id_number, stored.household_size) == (resident.id_number, 4)


# --- the service and the log's scope ----------------------------------------------------------


def test_service_refuses_without_the_right_or_out_of_scope(resident, users):
    with pytest.raises(ValidationError, match="不能查看完整身份证号码"):
        services.poor_resident_id_reveal(actor=users.work_team, resident=resident)
    with pytest.raises(ValidationError, match="不在您的范围内"):
        services.poor_resident_id_reveal(actor=users.county_b, resident=resident)
    assert not PoorResidentIdReveal.objects.exists()


def test_the_log_is_scoped_like_the_resident(resident, foreign, users):
    services.poor_resident_id_reveal(actor=users.county_staff, resident=resident, purpose="本县")
    services.poor_resident_id_reveal(actor=users.county_b, resident=foreign, purpose="白河县")

    def purposes(user):
        return set(
            PoorResidentIdReveal.objects.filter(PoorResidentIdReveal.scope_q(user)).values_list("purpose", flat=True)
        )

    assert purposes(users.county_staff) == {"本县"}
    assert purposes(users.county_b) == {"白河县"}
    assert purposes(users.city_staff) == {"本县", "白河县"}
    assert purposes(users.work_team) == {"本县"}  # the villages its team is stationed in
    assert purposes(users.cadre) == set()
