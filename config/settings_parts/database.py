"""The database (SQLite by default, PostgreSQL through psycopg's pool) and the optional
read replica of the reports."""

import os

import dj_database_url

from config.settings_parts.base import BASE_DIR, env_bool

# Database: SQLite by default; DATABASE_URL=postgres://... for PostgreSQL via psycopg 3.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Never persistent connections under ASGI (they leak until PostgreSQL refuses new
    # ones); psycopg's pool gives the reuse instead. Tests open many threads, so the
    # pool can be switched off there.
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
            # How long a request waits for a connection before it gets the 503
            # (config/errors.py) while the database is unreachable.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            # After a PostgreSQL restart: a background reconnection gives up after this
            # long and the next request starts a fresh one. Without the cap its retry
            # interval doubles for five minutes, so the pool could stay empty for as
            # long as the outage lasted after PostgreSQL is back
            # (tests/faults/test_postgres_restart.py).
            "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "5")),
        }
        # The pool checks a connection before handing it out, so the connections
        # PostgreSQL dropped in a restart are replaced instead of failing one request each.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # How many pages a bitmap scan asks the disk for ahead of reading them. PostgreSQL
    # 15's default, 1, reads one page at a time, as for a single spinning disk; on an
    # SSD or a cloud volume the reads overlap. A staff search for a common name reads a
    # few hundred pages scattered over the workers' table: at a million cases that
    # took 40-80 ms one at a time when they were not cached, 10-25 ms with 32
    # (docs/performance.md). It changes no plan, only how a bitmap scan reads.
    # Added to any options the URL gives; empty: not sent (a pooler such as PgBouncer
    # refuses startup options it does not know).
    io_concurrency = os.environ.get("DATABASE_IO_CONCURRENCY", "32").strip()
    if io_concurrency:
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c effective_io_concurrency={int(io_concurrency)}"
        ).strip()
else:
    # SQLite: take the write lock when a transaction begins, and wait for it, so two
    # requests racing on one case queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

# A read replica for the heavy report queries (config/db_router.py): with
# DATABASE_REPLICA_URL set, reports read there; every write and every other read stays
# on the primary. Tests mirror it onto the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReportReplicaRouter"]
