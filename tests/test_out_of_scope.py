"""Walk every page and API route as a county account with another county's records.

A route that takes a record must answer 404 for one outside the jurisdiction; a
route that lists must not show it. The records and the walk live in
``tests/security/scope.py`` (each app's ``tests/<app>/scope_records.py`` adds its
own); ``tests/security/test_role_walk.py`` does the same for every role, and tries
writes too.
"""

import pytest
from django.urls import reverse

from tests.security.scope import (
    OTHER_ARGUMENTS,
    SHARED_MODELS,
    argument_names,
    argument_value,
    foreign_records,  # noqa: F401 (fixture)
    routed_patterns,
)

pytestmark = pytest.mark.django_db


def test_every_route_hides_other_counties(county_client, foreign_records):  # noqa: F811
    checked_detail = checked_list = 0
    for _route, name, pattern, model in routed_patterns():
        if model not in foreign_records:
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


def test_every_model_with_a_route_has_a_foreign_record(foreign_records):  # noqa: F811
    models = {model for _, _, _, model in routed_patterns()}
    missing = [m._meta.label for m in models - SHARED_MODELS if m not in foreign_records]
    assert not missing, f"add a record outside the county for: {missing}"
