"""Read replicas for the dashboards: reads inside ``replica_reads()`` go to the ``replica``
database when DATABASE_REPLICA_URL configures one; everything else stays on the primary.

Only read-only pages opt in (the reports dashboard and its API). Ledger, approval, import
state and anything read just before a write stay on the primary: a streaming replica lags
(usually well under a second), which a dashboard can tolerate and a balance check cannot.
"""

import contextlib
import contextvars

from django.conf import settings

REPLICA = "replica"
_reading_from_replica = contextvars.ContextVar("reading_from_replica", default=False)


def replica_alias() -> str | None:
    return REPLICA if REPLICA in settings.DATABASES else None


@contextlib.contextmanager
def replica_reads():
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    """Send reads to the replica only inside ``replica_reads()``; writes, relations and
    migrations are the primary's (the replica is a copy of it, not another database)."""

    def db_for_read(self, model, **hints):
        if _reading_from_replica.get():
            return replica_alias()
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # both aliases hold the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
