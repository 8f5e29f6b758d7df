"""Every effective-dated table gets the same four columns (rules.models.EffectiveDated):
a clock rule and a subsidy policy can be marked unconfirmed, a legal figure can end.

Existing rows keep their meaning: confirmed (as they were treated), no end date.
The subsidy policy tables are now watched by the rule-generation triggers like every
other rule table. The trigger SQL is frozen here as it was when this migration was
written (rules.triggers may change later); on SQLite adding a column rebuilds the table,
which drops its triggers, so those of the rebuilt tables are made again too.
"""

from django.db import migrations, models

TABLES = [
    "cases_clockrule",
    "cases_legalparameter",
    "workflows_subsidypolicy",
    "workflows_policyparameter",
]
NEWLY_WATCHED = ["workflows_subsidypolicy", "workflows_policyparameter"]
SQLITE_OPS = ("INSERT", "UPDATE", "DELETE")
PG_FUNCTION = """
CREATE OR REPLACE FUNCTION rule_tables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE cases_ruletablesversion SET generation = (random() * 9.2e18)::bigint;
    RETURN NULL;
END $$;
"""
PG_TRIGGER = """
DROP TRIGGER IF EXISTS rule_tables_changed ON {table};
CREATE TRIGGER rule_tables_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION rule_tables_changed();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS {table}_changed_{op} AFTER {op} ON {table}
BEGIN UPDATE cases_ruletablesversion SET generation = random(); END;
"""


def triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [PG_FUNCTION] + [PG_TRIGGER.format(table=t) for t in TABLES]
    elif vendor == "sqlite":
        statements = [SQLITE_TRIGGER.format(table=t, op=op) for t in TABLES for op in SQLITE_OPS]
    else:
        raise NotImplementedError(f"no rule-table triggers for {vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        statements = [f"DROP TRIGGER IF EXISTS rule_tables_changed ON {t}" for t in NEWLY_WATCHED]
    else:
        statements = [
            f"DROP TRIGGER IF EXISTS {t}_changed_{op}" for t in NEWLY_WATCHED for op in SQLITE_OPS
        ]
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("rules", "0001_rule_tables_moved"),
    ]

    operations = [
        migrations.AddField(
            model_name="clockrule",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="未确认的为默认值 [CONFIG]，需由管理员核实。",
                verbose_name="已确认",
            ),
        ),
        migrations.AddField(
            model_name="legalparameter",
            name="effective_to",
            field=models.DateField(blank=True, null=True, verbose_name="失效日期"),
        ),
        migrations.AddField(
            model_name="subsidypolicy",
            name="confirmed",
            field=models.BooleanField(
                default=True,
                help_text="未确认的为默认值 [CONFIG]，需由管理员核实。",
                verbose_name="已确认",
            ),
        ),
        migrations.RunPython(triggers, triggers_drop),
    ]
