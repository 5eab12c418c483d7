"""CSRF on every form that accepts a POST; ID numbers masked everywhere for roles without
``members.reveal_id_number``.

CSRF: with ``Client(enforce_csrf_checks=True)``, a POST without the token to every page
route that has a POST handler (and the login form, and the API under session
authentication) is refused with 403 and writes nothing.

Masking: every full ID number in the database (members, their household, poor residents
of assistance) must appear on no page, in no API answer and in no export (.xlsx,
unpacked) for each role that may not reveal them; a role that may reveal them still sees
them masked in lists (its full register export is logged).
"""

import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from assistance.models import PoorResident
from members.models import HouseholdMember, Member, RegisterExport
from organization.choices import Role
from organization.roles import role_permissions
from tests.security.scope import (
    OTHER_ARGUMENTS,
    argument_names,
    argument_value,
    city,  # noqa: F401 (fixture)
    routed_patterns,
)
from tests.security.test_role_walk import WriteSpy, write_methods

EXPORTS = ("members_import:export", "projects:project_export", "fund:entry_export")


def page_urls(city, *, api):  # noqa: F811
    """Every routed URL with each record set's record (and the list routes)."""
    urls = set()
    for route, name, pattern, model in routed_patterns():
        if route.startswith("api/") != api:
            continue
        names = argument_names(pattern)
        if "format" in names:
            continue
        for records in (city.outside, city.inside):
            if model in records:
                urls.add(
                    (reverse(name, kwargs={a: argument_value(a, records[model], records) for a in names}), pattern)
                )
            elif not set(names) - set(OTHER_ARGUMENTS):
                urls.add((reverse(name, kwargs={a: OTHER_ARGUMENTS[a] for a in names}), pattern))
    return urls


def test_every_post_form_needs_the_csrf_token(db, city):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(city.users.city_staff)
    spy = WriteSpy()
    tried = 0
    problems = []
    for url, pattern in sorted(page_urls(city, api=False) | page_urls(city, api=True), key=lambda u: u[0]):
        if "POST" not in write_methods(pattern):
            continue
        spy.writes.clear()
        with connection.execute_wrapper(spy):
            response = client.post(url, data={})
        tried += 1
        if response.status_code != 403 or spy.writes:
            problems.append(f"POST {url} without the token gave {response.status_code}, wrote {spy.writes[:1]}")
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(reverse("login"), {"username": "city_staff", "password": "x"})
    assert response.status_code == 403
    print(f"\nCSRF: {tried} POST routes tried without the token")  # noqa: T201
    assert not problems, "\n".join(problems[:40])
    assert tried >= 100


def full_numbers() -> set[str]:
    numbers = set(Member.objects.values_list("id_number", flat=True))
    numbers |= set(PoorResident.objects.values_list("id_number", flat=True))
    if any(f.name == "id_number" for f in HouseholdMember._meta.get_fields()):
        numbers |= set(HouseholdMember.objects.values_list("id_number", flat=True))
    return {n for n in numbers if n}


def readable_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an .xlsx export: look inside every part
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


# The roles without the right to reveal a number (members.reveal_id_number).
MASKED_ROLES = [
    role.value for role in Role if "reveal_id_number" not in role_permissions()[role].get("members.member", ())
]


@pytest.mark.parametrize("role", MASKED_ROLES)
def test_id_numbers_are_masked_for_roles_without_the_right(db, city, role):  # noqa: F811
    user = getattr(city.users, role)
    numbers = full_numbers()
    assert len(numbers) >= 6
    client = Client()
    client.force_login(user)
    urls = {url for url, _ in page_urls(city, api=False) | page_urls(city, api=True)}
    urls |= {reverse(name) for name in EXPORTS} | {reverse("home")}
    leaks = []
    answered = 0
    for url in sorted(urls):
        response = client.get(url)
        if response.status_code != 200:
            continue
        answered += 1
        text = readable_text(response)
        leaks += [f"{url} shows {number}" for number in numbers if number in text]
    print(f"\nmasking {role}: {answered} pages, API answers and exports read")  # noqa: T201
    assert not leaks, "\n".join(leaks[:30])
    assert answered > 0


def test_roles_with_the_right_still_see_lists_and_exports_masked(db, city):  # noqa: F811
    """Registration staff may reveal a number (logged, one member at a time); the list page
    and the API list stay masked for them too. Their register export is full, by design,
    and logged as such (RegisterExport.full_id_numbers)."""
    client = Client()
    client.force_login(city.users.county_staff)
    numbers = set(Member.objects.values_list("id_number", flat=True))
    for url in (reverse("members:member_list"), reverse("api:member-list")):
        response = client.get(url)
        assert response.status_code == 200, url
        text = readable_text(response)
        assert not [n for n in numbers if n in text], url
    client.get(reverse("members_import:export"))
    assert RegisterExport.objects.get(user=city.users.county_staff).full_id_numbers
