"""The full citizen ID number is shown only through the logged reveal: not on the edit
form, not in the history; the reveal itself is 403 for a role without the right and
404 outside the jurisdiction."""

import pytest
from django.urls import reverse

from members import idnumbers, services
from members.models import IdNumberReveal
from organization.choices import Role
from tests.members.factories import id_number, make_member
from tests.members.test_pages import form_data
from tests.organization.factories import make_user

pytestmark = pytest.mark.django_db


def edit(client, member, **fields):
    data = form_data(member.village, name=member.name, id_number=member.masked_id_number)
    data.update(fields)
    return client.post(reverse("members:member_edit", args=[member.pk]), data)


# --- the edit form ---------------------------------------------------------------------------


def test_edit_form_shows_the_number_masked_and_logs_nothing(county_client, tree):
    member = make_member(tree.a1v)
    page = county_client.get(reverse("members:member_edit", args=[member.pk])).content.decode()
    assert f'value="{member.masked_id_number}"' in page
    assert member.id_number not in page
    assert not IdNumberReveal.objects.exists()


def test_saving_without_retyping_the_number_keeps_it(county_client, tree):
    member = make_member(tree.a1v)
    number, born = member.id_number, member.birth_date
    response = edit(county_client, member, phone="13912345678")
    assert response.status_code == 302, response.context["form"].errors
    member.refresh_from_db()
    assert (member.id_number, member.birth_date, member.phone) == (number, born, "13912345678")
    assert member.history.count() == 2
    assert member.history.first().id_number == number
    assert not IdNumberReveal.objects.exists()


def test_a_full_number_typed_in_replaces_the_stored_one(county_client, tree):
    member = make_member(tree.a1v)
    new = id_number()
    assert edit(county_client, member, id_number=new).status_code == 302
    member.refresh_from_db()
    assert member.id_number == new


@pytest.mark.parametrize(
    ("typed", "message"),
    [("changed-mask", "不能带*号"), ("", "必填")],
)
def test_an_altered_mask_or_an_empty_field_is_refused_in_chinese(county_client, tree, typed, message):
    member = make_member(tree.a1v)
    if typed == "changed-mask":
        typed = "999999" + member.masked_id_number[6:]
    response = edit(county_client, member, id_number=typed)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["id_number"])
    assert member.id_number not in response.content.decode()
    number = member.id_number
    member.refresh_from_db()
    assert member.id_number == number


def test_history_shows_old_and_new_numbers_masked(county_client, tree, users):
    member = make_member(tree.a1v)
    old = member.id_number
    services.member_update(actor=users.county_staff, member=member, id_number=id_number())
    page = county_client.get(reverse("members:member_history", args=[member.pk])).content.decode()
    assert "公民身份号码" in page
    assert old[:6] + "********" + old[-4:] in page
    assert member.masked_id_number in page
    assert old not in page
    assert member.id_number not in page


# --- the reveal ------------------------------------------------------------------------------


@pytest.fixture
def county_leader(tree):
    """A role that may read files but not reveal numbers, with a jurisdiction of one county."""
    return make_user(Role.LEADER, tree.a, username="county_leader")


def test_reveal_without_the_right_is_403_and_logs_nothing(client, tree, county_leader):
    member = make_member(tree.a1v)
    client.force_login(county_leader)
    assert client.get(member.get_absolute_url()).status_code == 200
    response = client.post(reverse("members:member_reveal_id", args=[member.pk]), {"purpose": "核对"})
    assert response.status_code == 403
    assert member.id_number not in response.content.decode()
    assert not IdNumberReveal.objects.exists()


def test_reveal_outside_the_jurisdiction_is_404_with_or_without_the_right(client, tree, users, county_leader):
    other = make_member(tree.b1v)
    url = reverse("members:member_reveal_id", args=[other.pk])
    for user in (county_leader, users.county_staff):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert not IdNumberReveal.objects.exists()


def test_reveal_with_the_right_shows_the_number_once_and_logs_it(county_client, tree, users):
    member = make_member(tree.a1v)
    response = county_client.post(reverse("members:member_reveal_id", args=[member.pk]), {"purpose": "核对低保"})
    assert response.status_code == 302
    assert response.url == member.get_absolute_url()
    reveal = IdNumberReveal.objects.get()
    assert (reveal.member, reveal.user, reveal.purpose) == (member, users.county_staff, "核对低保")
    assert member.id_number in county_client.get(member.get_absolute_url()).content.decode()
    assert member.id_number not in county_client.get(member.get_absolute_url()).content.decode()


def test_household_member_form_masks_the_number_and_keeps_it(county_client, tree):
    member = make_member(tree.a1v)
    person = services.household_member_save(
        actor=None, member=member, relation="spouse", name="李桂兰", id_number=id_number(female=True)
    )
    number = person.id_number
    url = reverse("members:household_edit", args=[person.pk])
    page = county_client.get(url).content.decode()
    assert f'value="{idnumbers.mask(number)}"' in page
    assert number not in page
    data = {"relation": "spouse", "name": "李桂兰", "id_number": idnumbers.mask(number), "health": "chronic"}
    assert county_client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.health) == (number, "chronic")
    # left empty, an optional number is removed (as before)
    assert county_client.post(url, {**data, "id_number": ""}).status_code == 302
    person.refresh_from_db()
    assert person.id_number == ""
    assert not IdNumberReveal.objects.exists()
