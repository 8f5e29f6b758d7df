"""Heavy report reads on a PostgreSQL read replica, when one is configured.

With DATABASE_REPLICA_URL set, the settings add a "replica" database, and the queries a
report runs inside `report_reads()` read from it, so building a year's statistics never
competes with a worker filing a complaint. Everything else, and every write, uses the
primary. Without a replica the router says nothing and Django uses the primary.

A replica lags the primary by a moment; reports tolerate that, the case pages (which
must show what was just saved) never read from it.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

REPLICA = "replica"

_reading_reports: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reading_reports", default=False
)


@contextmanager
def report_reads() -> Iterator[None]:
    """Queries run inside go to the replica when there is one."""
    token = _reading_reports.set(True)
    try:
        yield
    finally:
        _reading_reports.reset(token)


def report_database() -> str:
    """The alias a report reads from now: "replica" inside report_reads() when one is
    configured, otherwise "default"."""
    if _reading_reports.get() and REPLICA in settings.DATABASES:
        return REPLICA
    return "default"


class ReportReplicaRouter:
    def db_for_read(self, model, **hints):
        alias = report_database()
        return alias if alias == REPLICA else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by streaming replication.
        return db != REPLICA
