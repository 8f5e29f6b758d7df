"""The risk rule tables set the rule tables' generation too (cases 0007, cases.memo)."""

from django.db import migrations

# Frozen copy of the trigger SQL of cases/rule_tables.py as it was when this was written.
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
_SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")


def rule_tables_triggers_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [_PG_TRIGGER.format(table=t) for t in tables]
    if vendor == "sqlite":
        return [_SQLITE_TRIGGER.format(table=t, op=op) for t in tables for op in _SQLITE_OPS]
    raise NotImplementedError(f"no rule-table triggers for {vendor}")


def rule_tables_triggers_drop_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS rule_tables_changed ON {t}" for t in tables]
    return [f"DROP TRIGGER IF EXISTS {t}_changed_{op}" for t in tables for op in _SQLITE_OPS]


TABLES = [
    "notifications_riskruleset",
    "notifications_riskkeyword",
    "notifications_springfestival",
]


def triggers(apps, schema_editor):
    for statement in rule_tables_triggers_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    for statement in rule_tables_triggers_drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0007_rule_tables_version"),
        ("notifications", "0005_sms_phone_encrypted"),
    ]

    operations = [migrations.RunPython(triggers, triggers_drop)]
