"""docker-compose.yml's PostgreSQL settings start a PostgreSQL 15 server as written:
memory for the tables staff read all day, and pg_prewarm putting the cached pages back
after a restart (docs/performance.md, "Staff search, sixth pass").

The settings are read from the compose file itself, each `${VAR:-default}` at its
default (bench/cluster.py, which starts the bench's PostgreSQL with them too), and given
to a throwaway cluster (tests/faults/throwaway.py)."""

import pytest

from bench.cluster import compose_postgres_settings
from tests.faults.throwaway import ThrowawayPostgres
from tests.test_deploy_defaults import compose

pytestmark = [pytest.mark.postgres]


def test_the_settings_are_more_than_postgresqls_128_mb_and_load_pg_prewarm():
    settings = dict(setting.split("=", 1) for setting in compose_postgres_settings())
    assert settings["shared_buffers"] == "1GB"
    assert "pg_prewarm" in settings["shared_preload_libraries"].split(",")
    assert compose()["services"]["postgres"]["command"][2] == (
        "shared_buffers=${PG_SHARED_BUFFERS:-1GB}"
    )


def test_a_server_starts_with_them_and_keeps_its_cache_over_a_restart():
    pg = ThrowawayPostgres()
    try:
        pg.init()
        pg.start(compose_postgres_settings())
        assert pg.psql("postgres", "SHOW shared_buffers") == "1GB"
        assert pg.psql("postgres", "SHOW effective_cache_size") == "3GB"
        assert pg.psql("postgres", "SHOW pg_prewarm.autoprewarm") == "on"
        pg.psql("postgres", "CREATE TABLE cases AS SELECT i FROM generate_series(1, 50000) i")
        pg.psql("postgres", "SELECT count(*) FROM cases")
        pg.stop()  # the autoprewarm worker writes the cached blocks' list at shutdown
        assert (pg.data / "autoprewarm.blocks").stat().st_size > 0
        pg.start(compose_postgres_settings())
        pg.psql("postgres", "CREATE EXTENSION pg_buffercache")
        cached = (
            "SELECT count(*) FROM pg_buffercache WHERE relfilenode = pg_relation_filenode('cases')"
        )
        # The autoprewarm worker loads them in the background right after the start.
        for _ in range(50):
            if int(pg.psql("postgres", cached)) > 0:
                break
            pg.psql("postgres", "SELECT pg_sleep(0.1)")
        assert int(pg.psql("postgres", cached)) > 0
    finally:
        pg.remove()
