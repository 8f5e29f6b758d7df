"""The bench data sets (bench/run.py's, and those of the ledger, statistics and export
benchmarks: bench/employment.py, bench/reports.py), kept between runs while their
generator is unchanged.

A new migration does not throw a kept data set away: it is applied to it, as it would be
applied to a production database of that size (an index built on 10 million events is
part of what a migration costs). The data set is generated again only when its size or
its generator's code changes.
"""

import hashlib
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

from bench import db

HERE = Path(__file__).resolve().parent


def generator_hash(*modules: str) -> str:
    digest = hashlib.sha256()
    for name in ("generate.py", *modules):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:16]


def _meta(name: str) -> dict[str, str]:
    with psycopg.connect(db.dsn(name)) as conn:
        try:
            return dict(conn.execute("SELECT key, value FROM bench_meta").fetchall())
        except psycopg.Error:
            return {}


def _write_meta(name: str, values: dict[str, str]) -> None:
    with psycopg.connect(db.dsn(name), autocommit=True) as conn:
        for key, value in values.items():
            conn.execute(
                "INSERT INTO bench_meta VALUES (%s, %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                [key, value],
            )


def _manage(name: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=db.ROOT, env=db.bench_env(name), check=True
    )


def ensure(
    name: str,
    *,
    cases: int,
    events: int,
    extra: Callable[[str], dict] | None = None,
    extra_key: str = "",
    modules: tuple[str, ...] = (),
    log=print,
) -> dict:
    """The data set `name`: `cases` cases with ~`events` events each (bench/generate.py),
    then whatever `extra(dsn)` adds (the ledger); generated unless it is there already."""
    from bench import generate

    wanted = f"cases={cases} events={events} {extra_key}".strip()
    generator = generator_hash(*modules)
    if db.exists(name):
        meta = _meta(name)
        if meta.get("generated") == wanted and meta.get("generator") == generator:
            log(f"{name}: reusing ({wanted}); applying any new migrations")
            _manage(name, "migrate", "--noinput", "-v", "0")
            _write_meta(
                name,
                {"dataset": f"cases={cases} events={events} migrations={db.migrations_hash()}"},
            )
            return {"reused": True}
    with db._admin() as conn:
        db._drop(conn, name)
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{db.TEMPLATE}"')
    log(f"{name}: generating {cases:,} cases with ~{events} events each (COPY)")
    counts = generate.generate(db.dsn(name), cases=cases, events=events, log=log)
    if extra is not None:
        counts.update(extra(db.dsn(name)))
    started = time.monotonic()
    with psycopg.connect(db.dsn(name), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    _manage(name, "summary_rebuild")
    # The ledger's rows were copied in bulk, past the services that keep its tallies.
    _manage(name, "employment_tally_rebuild")
    _write_meta(
        name,
        {
            "generated": wanted,
            "generator": generator,
            "dataset": f"cases={cases} events={events} migrations={db.migrations_hash()}",
        },
    )
    counts["vacuum_and_summary_seconds"] = round(time.monotonic() - started, 1)
    log(f"{name}: {counts}")
    return counts
