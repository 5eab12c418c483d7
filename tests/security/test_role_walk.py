"""Every page and API route, walked as each role, with records inside and outside its jurisdiction.

For each role's account (the ``users`` fixture) and each record of each routed model
(``tests/security/scope.py``: one set in 白河县, one in 青山县):

- a record the account may not see (``visible_to``: outside the jurisdiction, or a kind
  of record the role has no permission for) answers 403 or 404, and a list page or API
  list never shows it;
- a record the account may not change (no add/change/delete permission on that kind of
  record and no special action in its app) refuses POST, and on the API PATCH and
  DELETE too, with 403, 404 or 405, and the request writes nothing to the database;
- a list route's POST (create) is refused for a role without the add permission.

The figures (routes, requests) are printed and recorded in docs/security.md.
"""

import json

import pytest
from django.db import connection
from django.urls import reverse

from organization.choices import Role
from organization.scoping import permission_name
from tests.conftest import ROLE_REGIONS
from tests.security.scope import (
    OTHER_ARGUMENTS,
    PARENT_ARGUMENTS,
    argument_names,
    argument_value,
    city,  # noqa: F401 (fixture)
    routed_patterns,
)

pytestmark = pytest.mark.django_db

REFUSED = (403, 404, 405)
# Tables a refused request may still touch: the session and the login-lockout log.
BOOKKEEPING = ("django_session", "axes_")
MODEL_ACTIONS = ("add", "change", "delete")


class WriteSpy:
    """Collects INSERT/UPDATE/DELETE statements run while a request is served."""

    def __init__(self):
        self.writes = []

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
        if statement in ("INSERT", "UPDATE", "DELETE") and not any(t in sql for t in BOOKKEEPING):
            self.writes.append(sql[:120])
        return execute(sql, params, many, context)


def request(client, method, url, spy, api):
    spy.writes.clear()
    with connection.execute_wrapper(spy):
        if api:
            return getattr(client, method.lower())(url, data=json.dumps({}), content_type="application/json")
        return client.post(url, data={})


def has_special_action(user, model) -> bool:
    """Whether the role holds a permission in the model's app beyond view/add/change/delete."""
    app = model._meta.app_label
    return any(
        perm.startswith(f"{app}.") and perm.split(".", 1)[1].split("_", 1)[0] not in ("view", *MODEL_ACTIONS)
        for perm in user.get_all_permissions()
    )


def listed_ids(response) -> set:
    try:
        data = response.json()
    except ValueError:
        return set()
    items = data.get("results", data) if isinstance(data, dict) else data
    return {item.get("id") for item in items if isinstance(item, dict)} if isinstance(items, list) else set()


def visible(model, record, *, user, action="view") -> bool:
    return model.objects.visible_to(user, action).filter(pk=record.pk).exists()


def write_methods(pattern) -> list[str]:
    """The write methods a route answers; any other is a 405 from the framework itself."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a DRF viewset route: method -> handler
        return [m.upper() for m in ("post", "put", "patch", "delete") if m in actions]
    view = callback.view_class
    return [m.upper() for m in ("post", "put", "patch", "delete") if m in view.http_method_names and hasattr(view, m)]


def parent_of(pattern, records):
    """The record a route adds under (``member_pk`` ...), when it names no record of its own."""
    names = argument_names(pattern)
    if any(n not in OTHER_ARGUMENTS and n not in PARENT_ARGUMENTS for n in names):
        return None
    parent_model = PARENT_ARGUMENTS[next(n for n in names if n in PARENT_ARGUMENTS)]
    return parent_model, records[parent_model]


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_role_sees_and_changes_only_its_own(db, client, city, role):  # noqa: F811
    foreign_records, home_records, users = city.outside, city.inside, city.users
    user = getattr(users, role)
    client.force_login(user)
    spy = WriteSpy()
    failures = []
    figures = {"routes": set(), "requests": 0, "hidden": 0, "readable": 0, "refused_writes": 0, "refused_by_service": 0}
    record_sets = [foreign_records] if ROLE_REGIONS[Role(role)] == "city" else [foreign_records, home_records]
    for route, name, pattern, model in routed_patterns():
        names = argument_names(pattern)
        if "format" in names:
            continue  # DRF's ".json" twin of a route already walked
        api = route.startswith("api/")
        for records in record_sets:
            if model not in records:
                continue  # a city-wide setting (SHARED_MODELS)
            record = records[model]
            url = reverse(name, kwargs={arg: argument_value(arg, record, records) for arg in names})
            figures["routes"].add(name)
            is_detail = bool(set(names) - set(OTHER_ARGUMENTS))
            may_act = has_special_action(user, model)
            parent = parent_of(pattern, records) if is_detail else None
            if parent:
                # Adding under a parent: the parent must be visible, the role may add this kind of record.
                parent_seen = visible(*parent, user=user)
                readable = parent_seen and user.has_perm(permission_name(model, "view"))
                writable = parent_seen and (
                    may_act or any(user.has_perm(permission_name(model, a)) for a in MODEL_ACTIONS)
                )
            elif is_detail:
                readable = visible(model, record, user=user)
                writable = may_act or any(visible(model, record, user=user, action=action) for action in MODEL_ACTIONS)
            else:
                readable = visible(model, record, user=user)
                writable = user.has_perm(permission_name(model, "add"))
            # Read.
            response = client.get(url)
            figures["requests"] += 1
            if is_detail and not readable:
                figures["hidden"] += 1
                if response.status_code not in REFUSED:
                    failures.append(f"GET {url} gave {response.status_code} (not visible to {role})")
            elif is_detail and response.status_code == 200:
                figures["readable"] += 1
            if not is_detail and not readable:
                figures["hidden"] += 1
                if response.status_code >= 500:
                    failures.append(f"GET {url} gave {response.status_code}")
                elif response.status_code == 200:
                    if api and record.pk in listed_ids(response):
                        failures.append(f"GET {url} lists {model.__name__} {record.pk} to {role}")
                    elif not api and str(record) in response.content.decode():
                        failures.append(f"GET {url} shows {record} to {role}")
            # Write.
            if is_detail and readable and writable:
                continue
            if not is_detail and writable:
                continue
            methods = write_methods(pattern)
            for method in methods:
                response = request(client, method, url, spy, api)
                figures["requests"] += 1
                if response.status_code in REFUSED:
                    figures["refused_writes"] += 1
                elif method == "POST" and response.status_code in (302, 400) and not spy.writes:
                    # An action whose service checks the special permission: the empty body is
                    # refused first (400), or the page says why and goes back (302).
                    figures["refused_by_service"] += 1
                else:
                    failures.append(f"{method} {url} gave {response.status_code} ({role} may not change it)")
                if spy.writes:
                    failures.append(f"{method} {url} wrote {spy.writes[:2]} ({role})")
    print(  # noqa: T201 (the figures for docs/security.md, with -s)
        f"\n{role}: {len(figures['routes'])} routes, {figures['requests']} requests, "
        f"{figures['hidden']} hidden reads refused, {figures['readable']} visible reads, "
        f"{figures['refused_writes']} writes refused, {figures['refused_by_service']} refused by the service"
    )
    assert not failures, "\n".join(failures[:60]) + f"\n({len(failures)} in all)"
    if ROLE_REGIONS[Role(role)] != "city":
        assert figures["hidden"] > 0
    assert figures["readable"] > 0
