"""The bench databases: laborcase_bench_* on the local PostgreSQL, never the dev or test DB.

A migrated template (laborcase_bench_tpl) is copied for each data set; a data set is
kept between runs while its size and the migrations are unchanged.
"""

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
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


def ensure_dataset(name: str, *, cases: int, events: int, log=print) -> dict:
    """The data set `name` with `cases` cases, generated unless it is there already."""
    from bench import generate

    wanted = f"cases={cases} events={events} migrations={migrations_hash()}"
    if exists(name):
        with psycopg.connect(dsn(name)) as conn:
            try:
                row = conn.execute("SELECT value FROM bench_meta WHERE key = 'dataset'").fetchone()
            except psycopg.Error:
                row = None
        if row and row[0] == wanted:
            log(f"{name}: reusing ({wanted})")
            # third-party apps' migrations are not in the hash: apply any new ones
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                cwd=ROOT,
                env=bench_env(name),
                check=True,
            )
            return {"reused": True}
    with _admin() as conn:
        _drop(conn, name)
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"')
    log(f"{name}: generating {cases:,} cases with ~{events} events each (COPY)")
    counts = generate.generate(dsn(name), cases=cases, events=events, log=log)
    started = time.monotonic()
    with psycopg.connect(dsn(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    subprocess.run(
        [sys.executable, "manage.py", "summary_rebuild"],
        cwd=ROOT,
        env=bench_env(name),
        check=True,
    )
    with psycopg.connect(dsn(name), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO bench_meta VALUES ('dataset', %s)"
            " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [wanted],
        )
    counts["vacuum_and_summary_seconds"] = round(time.monotonic() - started, 1)
    log(f"{name}: {counts}")
    return counts
