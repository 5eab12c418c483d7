"""Walk every page and API route as a county account with another county's records.

A route that takes a record must answer 404 for one outside the jurisdiction; a
route that lists must not show it. Each app adds its own records in
``tests/<app>/scope_records.py``: ``foreign_records(tree, users, records)`` returns
a dict {model: record outside 青山县} (``records`` holds what came before, such as the
member), and may define ``PARENT_ARGUMENTS``, ``OTHER_ARGUMENTS`` and ``SHARED_MODELS``
like those below.
"""

import importlib
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members import services
from members.models import (
    HouseholdMember,
    IdNumberReveal,
    ImportBatch,
    IncomeCheck,
    IncomeThreshold,
    Member,
    Objection,
    PovertyExitPlan,
    StatusChange,
    TrackDecision,
)
from organization.models import PartyOrganization, Region, User
from tests.members.factories import make_member
from tests.organization.factories import PartyOrganizationFactory

pytestmark = pytest.mark.django_db

SKIPPED_PREFIXES = ("admin/",)  # superusers only; covered by Django's own tests
# City-wide settings that every account in the city shares: nothing is "outside".
SHARED_MODELS = {IncomeThreshold}
# URL arguments that are not a record's field.
OTHER_ARGUMENTS = {"format": "json", "year": 2025}
# URL arguments naming the record a new one is added under.
PARENT_ARGUMENTS = {"member_pk": Member, "change_pk": StatusChange}


APP_RECORDS = []
for _app in ("training", "projects", "assistance", "fund", "reports"):
    try:
        _module = importlib.import_module(f"tests.{_app}.scope_records")
    except ModuleNotFoundError:
        continue
    APP_RECORDS.append(_module)
    SHARED_MODELS |= set(getattr(_module, "SHARED_MODELS", ()))
    OTHER_ARGUMENTS |= getattr(_module, "OTHER_ARGUMENTS", {})
    PARENT_ARGUMENTS |= getattr(_module, "PARENT_ARGUMENTS", {})


def walk(resolver=None, prefix="", namespace=""):
    """Every URL pattern as (route, qualified name, pattern)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, route, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield route, f"{namespace}{entry.name}", entry


def view_model(pattern: URLPattern):
    callback = pattern.callback
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    queryset = getattr(view, "queryset", None)
    return queryset.model if queryset is not None else None


def argument_value(arg, record, foreign_records):
    """What to put in the URL: the record's own field, a parent record's pk, or a fixed value."""
    if arg in OTHER_ARGUMENTS:
        return OTHER_ARGUMENTS[arg]
    if arg in PARENT_ARGUMENTS:
        return foreign_records[PARENT_ARGUMENTS[arg]].pk
    return getattr(record, arg)


def argument_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


@pytest.fixture
def foreign_records(tree, users):
    """One record of each scoped model, all in 白河县 (outside 青山县)."""
    member = make_member(tree.b1v, name="白河县党员")
    services.threshold_set(actor=None, year=2025, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    check = services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    records = {
        Region: tree.b1v,
        PartyOrganization: PartyOrganizationFactory(region=tree.b1v, name="中共李家湾村支部委员会"),
        User: users.county_b,
        Member: member,
        HouseholdMember: services.household_member_save(
            actor=None, member=member, relation="spouse", name="白河县家属"
        ),
        PovertyExitPlan: services.plan_create(
            actor=None,
            member=member,
            direction="agriculture",
            project="白河县养殖",
            measures="技术培训",
            income_target=Decimal("6000"),
            target_year=2027,
            responsible_person="白河县干部",
        ),
        IncomeCheck: check,
        StatusChange: change,
        Objection: services.objection_record(
            actor=None, status_change=change, raised_by="白河县村民", content="白河县异议"
        ),
        TrackDecision: services.member_decide_track(
            actor=users.county_b, member=member, track="demonstration", reason="白河县决定"
        ).track_decisions.get(),
        IdNumberReveal: IdNumberReveal.objects.create(member=member, user=users.county_b),
        ImportBatch: ImportBatch.objects.create(
            created_by=users.county_b,
            region=tree.b,
            original_name="白河县台账.xlsx",
            file="imports/x.xlsx",
            status="done",
        ),
    }
    for module in APP_RECORDS:
        records.update(module.foreign_records(tree, users, records))
    return records


def test_every_route_hides_other_counties(county_client, foreign_records):
    checked_detail = checked_list = 0
    for route, name, pattern in walk():
        model = view_model(pattern)
        if route.startswith(SKIPPED_PREFIXES) or model not in foreign_records:
            continue
        record = foreign_records[model]
        names = argument_names(pattern)
        kwargs = {arg: argument_value(arg, record, foreign_records) for arg in names}
        if set(names) - set(OTHER_ARGUMENTS):
            url = reverse(name, kwargs=kwargs)
            response = county_client.get(url)
            if response.status_code == 405:  # a POST-only action
                response = county_client.post(url)
            assert response.status_code == 404, f"{url} gave {response.status_code}"
            checked_detail += 1
        else:
            url = reverse(name, kwargs=kwargs)
            response = county_client.get(url)
            assert response.status_code in (200, 403), f"{url} gave {response.status_code}"
            assert str(record) not in response.content.decode(), f"{url} shows {record}"
            checked_list += 1
    assert checked_detail >= 8
    assert checked_list >= 6


def test_every_model_with_a_route_has_a_foreign_record(foreign_records):
    models = {view_model(p) for route, _, p in walk() if not route.startswith(SKIPPED_PREFIXES)} - {None}
    missing = [m._meta.label for m in models - SHARED_MODELS if m not in foreign_records]
    assert not missing, f"add a record outside the county for: {missing}"
