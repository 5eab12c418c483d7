"""Property-based calls of every operation in the OpenAPI schema: no server error (5xx).

schemathesis generates requests from the schema drf-spectacular writes (/api/schema/)
and sends them in-process to the WSGI application, as a city staff account (the role
that may do most) with a token. Records exist inside the city so that generated ids
sometimes reach real rows (path ids are drawn from the small numbers the fixtures make).
Bounded: a few examples per operation, no shrinking, so the whole run takes a couple of
minutes on two cores.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error

from config.wsgi import application
from tests.security.scope import city  # noqa: F401 (fixture)

EXAMPLES = 2

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.app = application


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    """Integer ids from the few rows the fixtures made, so detail routes are reached too."""
    for name, value in list((path_parameters or {}).items()):
        if isinstance(value, int) and (name == "id" or name.endswith("_pk") or name.endswith("id")):
            path_parameters[name] = 1 + value % 3
    return path_parameters


INT64 = 2**63 - 1


@schemathesis.hook
def map_query(ctx, query):
    """SQLite alone (the developers' database) cannot bind an integer beyond 64 bits and raises
    OverflowError; PostgreSQL, used in CI and production, answers such a filter with no rows.
    On SQLite only, such a number is brought into range so the run tests our code, not the driver."""
    if connection.vendor != "sqlite" or not query:
        return query
    return {
        key: (value % INT64 if isinstance(value, int) and abs(value) > INT64 else value) for key, value in query.items()
    }


@pytest.fixture(autouse=True, scope="module")
def keep_the_test_connection():
    """The WSGI handler closes the database connection at the end of each request (a test
    transaction looks like a broken one); Django's test client switches that off, and so
    must a run that calls the WSGI application itself, or PostgreSQL loses the test data."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def token(city, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return Token.objects.create(user=city.users.city_staff).key


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_server_errors(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=[not_a_server_error])
