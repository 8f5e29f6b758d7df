"""The bench databases: laborcase_bench_* on the bench's PostgreSQL (bench/cluster.py, or
the server BENCH_PG names), never the dev or test DB.

A migrated template (laborcase_bench_tpl) is copied for each data set (bench/datasets.py
keeps them between runs).
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
# Set by bench/run.py to the bench's own cluster when BENCH_PG is not given.
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
# BENCH_TEMPLATE: another template when two checkouts with different migrations bench
# on one PostgreSQL at once.
TEMPLATE = os.environ.get("BENCH_TEMPLATE", "laborcase_bench_tpl")


def dsn(name: str) -> str:
    return f"{SERVER}/{name}"


def _admin():
    return psycopg.connect(dsn("postgres"), autocommit=True)


def exists(name: str) -> bool:
    with _admin() as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def _drop(conn, name):
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
    )
    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def migrations_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def bench_env(name: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    # The bench's own Redis database, whatever REDIS_URL says: the bench purges its queue.
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DATABASE_URL=dsn(name),
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
        **extra,
    )
    return env


def ensure_template(log=print) -> None:
    with _admin() as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [TEMPLATE]).fetchone():
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
    log(f"migrating {TEMPLATE}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=bench_env(TEMPLATE),
        check=True,
    )
    with psycopg.connect(dsn(TEMPLATE), autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS bench_baseline (id bigserial PRIMARY KEY,"
            " kind varchar(20), employer varchar(200), description text, body jsonb,"
            " received_at timestamptz)"
        )
        conn.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
