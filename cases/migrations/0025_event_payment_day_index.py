"""The payment events' own index: the statistics sum a month's recovered amounts from the
record_payment events of the month (cases/statistics.py).

On PostgreSQL it is built CONCURRENTLY: a plain CREATE INDEX in the migration's
transaction would stop every case transition's write while it builds over millions of
events (as cases/0008 and cases/0024).
"""

from django.conf import settings
from django.db import migrations, models

INDEX = models.Index(
    condition=models.Q(("transition", "record_payment")),
    fields=["created_at"],
    name="caseevent_payment_day",
)


def forwards(apps, schema_editor):
    event = apps.get_model("cases", "CaseEvent")
    if schema_editor.connection.vendor == "postgresql":
        # Outside a transaction (atomic = False): CONCURRENTLY refuses to run in one.
        sql = str(INDEX.create_sql(event, schema_editor, concurrently=True))
        schema_editor.execute(
            sql.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1)
        )
    else:
        schema_editor.add_index(event, INDEX)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX CONCURRENTLY IF EXISTS "{INDEX.name}"')
    else:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX.name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0024_staff_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[migrations.AddIndex(model_name="caseevent", index=INDEX)],
        )
    ]
