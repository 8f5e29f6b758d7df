"""The rule tables' generation (cases.memo): one row, set anew by a trigger on every
change to the cases app's rule tables (notifications 0006 adds the risk tables)."""

from django.db import migrations, models

from cases.migrations import _frozen

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
    "cases_township",
    "cases_legalparameter",
    "cases_clockrule",
    "cases_calendaryear",
    "cases_calendarday",
]


def version_row_and_triggers(apps, schema_editor):
    apps.get_model("cases", "RuleTablesVersion").objects.get_or_create(pk=1)
    for statement in rule_tables_triggers_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    for statement in rule_tables_triggers_drop_sql(schema_editor.connection.vendor, TABLES):
        schema_editor.execute(statement)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS rule_tables_changed()")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_personal_data_access"),
    ]

    operations = [
        migrations.CreateModel(
            name="RuleTablesVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("generation", models.BigIntegerField(default=_frozen.new_generation)),
            ],
            options={
                "verbose_name": "规则表版本",
                "verbose_name_plural": "规则表版本",
            },
        ),
        migrations.RunPython(version_row_and_triggers, triggers_drop),
    ]
