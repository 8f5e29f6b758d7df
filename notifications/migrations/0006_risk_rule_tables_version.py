"""The risk rule tables set the rule tables' generation too (cases 0007, cases.memo)."""

from django.db import migrations

from cases.rule_tables import rule_tables_triggers_drop_sql, rule_tables_triggers_sql

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
