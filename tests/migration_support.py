"""Helpers for the tests that migrate a test database back and forth (an index
migration must apply and revert on PostgreSQL, CONCURRENTLY, and SQLite alike; the
fixture migrated_back_to_the_latest in tests/conftest.py), and that read a plan."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def indexes(table: str) -> dict[str, list[str]]:
    """Index name -> its columns (INCLUDE ones too, on PostgreSQL)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: spec["columns"] for name, spec in found.items() if spec["index"]}


def migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


def migrate_to_the_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def plan(sql: str, params) -> str:
    """PostgreSQL's plan for the query as it would read a big table: a test's handful
    of rows would otherwise be read whole, whatever the indexes."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())
