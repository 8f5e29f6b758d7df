"""The deadline scan's covering index: (state, deadline) with the case id, so the scan
reads only the index (notifications.scans.alerts_scan).

On PostgreSQL the new index is built CONCURRENTLY before the old one is dropped the same
way: a plain CREATE INDEX in the migration's transaction would stop every read and write
of cases while it builds, seconds at a million cases.
"""

from django.db import migrations, models

OLD_NAME = "cases_case_state_64bf68_idx"
OLD = models.Index(fields=["state", "deadline"], name=OLD_NAME)
NEW = models.Index(fields=["state", "deadline"], include=["id"], name="case_deadline_scan_idx")


def index_replace(apps, schema_editor, add, remove):
    case = apps.get_model("cases", "Case")
    if schema_editor.connection.vendor == "postgresql":
        # Outside a transaction (atomic = False): CONCURRENTLY refuses to run in one.
        schema_editor.execute(add.create_sql(case, schema_editor, concurrently=True))
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{remove.name}"')
    else:
        schema_editor.add_index(case, add)
        schema_editor.execute(f'DROP INDEX IF EXISTS "{remove.name}"')


def forwards(apps, schema_editor):
    index_replace(apps, schema_editor, add=NEW, remove=OLD)


def backwards(apps, schema_editor):
    index_replace(apps, schema_editor, add=OLD, remove=NEW)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0007_rule_tables_version"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.RemoveIndex(model_name="case", name=OLD_NAME),
                migrations.AddIndex(model_name="case", index=NEW),
            ],
        )
    ]
