"""Markers for tests that need a real service the zero-install default lacks.

They skip on the SQLite/in-process default so that a newcomer's ``bin/test`` passes,
and run in CI, which sets DATABASE_URL and CELERY_BROKER_URL. Under CI a skip of any
kind is a failure (tests/conftest.py), so none of these can silently stop running.
"""

import pytest
from django.conf import settings
from django.db import connection

needs_postgresql_locks = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks (select_for_update) need PostgreSQL; SQLite serializes all writers. "
    "Run with DATABASE_URL=postgres://... (CI does).",
)

needs_broker = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL, reason="needs a broker: CI sets CELERY_BROKER_URL to Redis"
)

needs_database_server = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="other processes (real Celery workers) must reach the test database: PostgreSQL, as in CI",
)
