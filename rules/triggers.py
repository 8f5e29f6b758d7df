"""The database triggers that set a new rule generation on every change to a rule table.

Every model with `rule_cache_watched = True` (rules.models.RuleTable and the tables of
other apps that rules.memo caches, e.g. the townships) is watched: the list is read
from the app registry, never written down. Their triggers set a new random generation
rather than add one: a change that is rolled back must not leave its number to a later
change, which would then be mistaken for it by a process that read the rolled-back rows.

Migrations do not import this module: each one that installs triggers carries its own
copy of the SQL, as it was when it ran.
"""

from django.apps import apps

from rules.models import RuleTablesVersion

_SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rule_tables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_ruletablesversion SET generation = (random() * 9.2e18)::bigint;
    RETURN NULL;
END $$;
"""
_PG_TRIGGER = """
DROP TRIGGER IF EXISTS rule_tables_changed ON {table};
CREATE TRIGGER rule_tables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rule_tables_changed();
"""
# SQLite has row triggers only, one per operation; random() is a 64-bit integer there.
_SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_changed_{op} AFTER {op} ON {table}
BEGIN UPDATE cases_ruletablesversion SET generation = random(); END;
"""


def watched_tables() -> list[str]:
    """The table of every installed model that registered itself for the triggers."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models()
        if getattr(model, "rule_cache_watched", False)
    )


def rule_tables_triggers_sql(vendor: str, tables: list[str]) -> list[str]:
    """The statements that make every change to `tables` set a new generation."""
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [_PG_TRIGGER.format(table=t) for t in tables]
    if vendor == "sqlite":
        return [_SQLITE_TRIGGER.format(table=t, op=op) for t in tables for op in _SQLITE_OPS]
    raise NotImplementedError(f"no rule-table triggers for {vendor}")


def rule_tables_triggers_drop_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS rule_tables_changed ON {t}" for t in tables]
    return [f"DROP TRIGGER IF EXISTS {t}_changed_{op}" for t in tables for op in _SQLITE_OPS]


def rule_tables_watch(connection) -> None:
    """The version row and every rule table's trigger, created where missing.

    Runs after every migrate and flush (post_migrate, rules.apps), not only in the
    migrations that first made them: on SQLite a later migration that rebuilds a rule
    table drops its triggers, and a flush (transactional tests) deletes the row. Without
    them the cache would go stale or, without the row, simply off.
    """
    existing = set(connection.introspection.table_names())
    if RuleTablesVersion._meta.db_table not in existing:
        return  # migrated back before the version row existed (cases 0007)
    RuleTablesVersion.objects.using(connection.alias).get_or_create(pk=1)
    tables = watched_tables()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = 'rule_tables_changed'"
            )
            watched = {row[0] for row in cursor.fetchall()}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0] for row in cursor.fetchall()}
            watched = {t for t in tables if all(f"{t}_changed_{op}" in names for op in _SQLITE_OPS)}
        missing = [t for t in tables if t in existing and t not in watched]
        if missing:
            for statement in rule_tables_triggers_sql(connection.vendor, missing):
                cursor.execute(statement)
