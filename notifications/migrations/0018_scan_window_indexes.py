"""Two partial indexes for the deadline scan (notifications.scans), each holding only
what one of its queries asks for:

- alert_escalation_due_idx: the open red alerts not escalated yet (and not escalations
  themselves). The escalation query read every open red alert older than the cutoff,
  most of them escalated long since, to find the few still due.
- alert_deadline_warning_idx: the deadline warnings by deadline. The deadline query
  compared the cases near their deadline with every alert ever raised; it now reads the
  warnings of the window's deadlines from this index.

On PostgreSQL they are built CONCURRENTLY, outside a transaction (atomic = False): a
plain CREATE INDEX would stop every alert's insert while it builds (as cases/0024-0026).
"""

from django.db import migrations, models

INDEXES = [
    models.Index(
        condition=models.Q(status="open", level="red", escalated_at__isnull=True)
        & ~models.Q(reason="escalated"),
        fields=["created_at"],
        name="alert_escalation_due_idx",
    ),
    models.Index(
        condition=models.Q(reason__in=["deadline_soon", "deadline_final", "overdue"]),
        fields=["deadline", "case", "reason"],
        name="alert_deadline_warning_idx",
    ),
]


def forwards(apps, schema_editor):
    alert = apps.get_model("notifications", "Alert")
    for index in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            sql = str(index.create_sql(alert, schema_editor, concurrently=True))
            schema_editor.execute(
                sql.replace(
                    "CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1
                )
            )
        else:
            schema_editor.add_index(alert, index)


def backwards(apps, schema_editor):
    for index in INDEXES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{index.name}"')
        else:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{index.name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("notifications", "0017_clue_deadline_alerts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AddIndex(model_name="alert", index=index) for index in INDEXES
            ],
        )
    ]
