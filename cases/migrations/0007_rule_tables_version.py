"""The rule tables' generation (cases.memo): one row, set anew by a trigger on every
change to the cases app's rule tables (notifications 0006 adds the risk tables)."""

from django.db import migrations, models

from cases.rule_tables import (
    new_generation,
    rule_tables_triggers_drop_sql,
    rule_tables_triggers_sql,
)

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
                ("generation", models.BigIntegerField(default=new_generation)),
            ],
            options={
                "verbose_name": "规则表版本",
                "verbose_name_plural": "规则表版本",
            },
        ),
        migrations.RunPython(version_row_and_triggers, triggers_drop),
    ]
