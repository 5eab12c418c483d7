"""A script in every free-text field the UI shows is rendered escaped, on every page.

Every model of our apps is introspected: each CharField/TextField without choices (and
not an identifier the code itself builds or validates: region paths and codes, id
numbers, passwords, e-mail and web addresses) gets ``<script>xss...</script>`` in every
record of both record sets (tests/security/scope.py). Then every page route with a
model, list and detail, and the home page, are rendered for the accounts that see most
(city staff) and for a work team (the phone pages): the raw
``<script>xss`` must appear nowhere, neither in the HTML nor in JSON embedded in it.
"""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from tests.security.scope import (
    APPS,
    OTHER_ARGUMENTS,
    argument_names,
    argument_value,
    city,  # noqa: F401 (fixture)
    routed_patterns,
)

MARK = "<script>xss"
SKIPPED_FIELDS = {"path", "code", "password", "id_number", "username"}


def payload_fields():
    for model in apps.get_models():
        if model._meta.app_label not in ("organization", "members", *APPS) or not model._meta.managed:
            continue
        if model.__name__.startswith("Historical"):
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, (models.CharField, models.TextField))
            and not isinstance(field, (models.EmailField, models.URLField, models.SlugField))
            and not field.choices
            and field.name not in SKIPPED_FIELDS
            and (field.max_length or 100) >= len(MARK) + 1
        ]
        if fields:
            yield model, fields


def fill_with_scripts() -> int:
    """Put the payload in every free-text field of every record; return the number of fields."""
    count = 0
    for model, fields in payload_fields():
        for pk in model._base_manager.values_list("pk", flat=True):
            values = {}
            for field in fields:
                text = f"{MARK}{pk}</script>"
                values[field.attname] = text[: field.max_length] if field.max_length else text
            model._base_manager.filter(pk=pk).update(**values)
        count += len(fields)
    return count


@pytest.mark.parametrize("role", ["city_staff", "work_team"])
def test_free_text_is_escaped_on_every_page(db, client, city, role):  # noqa: F811
    fields = fill_with_scripts()
    assert fields >= 50  # the introspection found the free text
    client.force_login(getattr(city.users, role))
    pages = failures = 0
    problems = []
    urls = {reverse("home")}
    for route, name, pattern, model in routed_patterns():
        if route.startswith("api/"):
            continue
        names = argument_names(pattern)
        for records in (city.outside, city.inside):
            if model in records:
                urls.add(reverse(name, kwargs={arg: argument_value(arg, records[model], records) for arg in names}))
            elif not set(names) - set(OTHER_ARGUMENTS):
                urls.add(reverse(name, kwargs={arg: OTHER_ARGUMENTS[arg] for arg in names}))
    shown = 0
    for url in sorted(urls):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            if response.status_code >= 500:
                problems.append(f"{url} gave {response.status_code}")
            continue
        pages += 1
        content = response.content.decode()
        shown += content.count("&lt;script&gt;xss")
        if MARK in content:
            failures += 1
            at = content.index(MARK)
            problems.append(f"{url}: …{content[max(0, at - 80) : at + 40]}…")
    print(f"\nXSS {role}: {fields} fields filled, {pages} pages rendered, {shown} escaped payloads seen")  # noqa: T201
    assert not problems, "\n".join(problems)
    assert pages >= 30
    assert shown >= 30  # the payloads were really on the pages, escaped
