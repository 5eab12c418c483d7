"""Records in and out of a jurisdiction, and the URL walk, for the security tests.

Each app adds its own records in ``tests/<app>/scope_records.py``:
``foreign_records(tree, users, records)`` returns a dict {model: record outside 青山县}
(``records`` holds what came before, such as the member), and may define
``PARENT_ARGUMENTS``, ``OTHER_ARGUMENTS`` and ``SHARED_MODELS`` like those below.
The same builders, given a tree whose "other county" is 青山县 itself, make the
records inside the jurisdiction (``home_records``).
"""

import importlib
from decimal import Decimal
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.urls import URLPattern, URLResolver, get_resolver

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

SKIPPED_PREFIXES = ("admin/",)  # superusers only; covered by Django's own tests
# City-wide settings that every account in the city shares: nothing is "outside".
SHARED_MODELS = {IncomeThreshold}
# URL arguments that are not a record's field.
OTHER_ARGUMENTS = {"format": "json", "year": 2025}
# URL arguments naming the record a new one is added under.
PARENT_ARGUMENTS = {"member_pk": Member, "change_pk": StatusChange}

APPS = ("training", "projects", "assistance", "fund", "reports")
APP_RECORDS = []
for _app in APPS:
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


def argument_value(arg, record, records):
    """What to put in the URL: the record's own field, a parent record's pk, or a fixed value."""
    if arg in OTHER_ARGUMENTS:
        return OTHER_ARGUMENTS[arg]
    if arg in PARENT_ARGUMENTS:
        return records[PARENT_ARGUMENTS[arg]].pk
    return getattr(record, arg)


def argument_names(pattern: URLPattern) -> list[str]:
    return list(pattern.pattern.regex.groupindex)


def routed_patterns():
    """(route, name, pattern, model) for every non-admin route whose view names a model."""
    for route, name, pattern in walk():
        model = view_model(pattern)
        if model is not None and not route.startswith(SKIPPED_PREFIXES):
            yield route, name, pattern, model


def build_records(tree, users, *, name="白河县党员") -> dict:
    """One record of each scoped model, all in ``tree.b``'s county."""
    member = make_member(tree.b1v, name=name)
    services.threshold_set(actor=None, year=2025, out_of_poverty=Decimal("4000"), well_off=Decimal("12000"))
    check = services.income_check_record(actor=None, member=member, year=2025, income_per_head=Decimal("5000"))
    change = member.status_changes.get()
    records = {
        Region: tree.b1v,
        PartyOrganization: PartyOrganizationFactory(region=tree.b1v, name=f"中共{tree.b1v.name}支部委员会"),
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


@pytest.fixture
def foreign_records(tree, users):
    """One record of each scoped model, all in 白河县 (outside 青山县)."""
    return build_records(tree, users)


def rename_home() -> None:
    """Rename every "白河县..." text written so far (the 青山县 set) to "青山县...", so that the
    second set does not collide with names that must be unique, and a record that leaks
    is told apart by its name."""
    for model in apps.get_models():
        if model._meta.app_label not in ("organization", "members", *APPS) or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField)) and not field.choices:
                model._base_manager.filter(**{f"{field.attname}__contains": "白河县"}).update(
                    **{field.attname: Replace(F(field.attname), Value("白河县"), Value("青山县"))}
                )


def build_record_sets(tree, users):
    """(outside, inside): one record of each scoped model in 白河县, and again in 青山县
    (its village 张庄村), made by the same builders, the 青山县 set first."""
    home_tree = SimpleNamespace(**{**vars(tree), "b": tree.a, "b1": tree.a1, "b1v": tree.a1v})
    home_users = SimpleNamespace(**{**vars(users), "county_b": users.county_staff})
    home = build_records(home_tree, home_users, name="青山县党员")
    rename_home()
    for record in home.values():
        record.refresh_from_db()
    # The programme is the city's one setting: the second set keeps the first's.
    from reports import services as report_services
    from reports.models import Programme

    with mock.patch.object(report_services, "programme_save", side_effect=lambda **kwargs: Programme.objects.get()):
        return build_records(tree, users), home


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    """The tree, the accounts and both record sets, built once for a module's tests.

    Built inside a transaction that is rolled back after the module; each test's own
    transaction (the ``db`` fixture) nests in it as a savepoint."""
    from tests.conftest import build_tree, build_users

    with django_db_blocker.unblock(), transaction.atomic():
        tree = build_tree()
        users = build_users(tree)
        outside, inside = build_record_sets(tree, users)
        yield SimpleNamespace(tree=tree, users=users, outside=outside, inside=inside)
        transaction.set_rollback(True)
