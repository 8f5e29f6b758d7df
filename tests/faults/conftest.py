import itertools

import pytest

from tests.faults.throwaway import ThrowawayPostgres, postgres_bin, production_env
from tests.notifications import servers
from tests.notifications.support import rules_without_season

TEMPLATE = "laborcase_template"


@pytest.fixture
def rules(reference_data):
    return rules_without_season()


@pytest.fixture(scope="session")
def postgres_cluster():
    """One throwaway cluster for the fault tests, with a migrated template database
    (migrating once: each test copies it with CREATE DATABASE ... TEMPLATE)."""
    if postgres_bin("initdb") is None or postgres_bin("pg_ctl") is None:
        pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are needed for this test")
    pg = ThrowawayPostgres()
    try:
        pg.init()
        pg.start()
        pg.psql("postgres", f"CREATE DATABASE {TEMPLATE}")
        servers.manage(production_env(pg.url(TEMPLATE)), "migrate", "--noinput", "-v", "0")
        yield pg
    finally:
        pg.remove()


_names = itertools.count(1)


@pytest.fixture
def fresh_database(postgres_cluster):
    """A migrated database of its own on the throwaway cluster: its URL."""
    if not postgres_cluster.is_running():  # a failed test may have left it stopped
        postgres_cluster.start()
    name = f"laborcase_{next(_names)}"
    postgres_cluster.psql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    return postgres_cluster.url(name)
