"""Case.awaiting_score: true until a case is first scored, and a partial index on the
cases so marked, for the minute's scan (notifications.scans._never_scored).

The cases already there count as scored (the column is added with false, which
PostgreSQL does without rewriting the table), except the open cases of the scan's last
two days that have no score; then the column's default becomes true for every case
inserted from now on. The index holds only the marked cases: a moment's worth after
the first scoring of each. Built CONCURRENTLY on PostgreSQL (atomic = False), as
cases/0024-0026: a plain CREATE INDEX would stop the filings' writes while it reads a
million cases.
"""

import datetime as dt

from django.db import migrations, models
from django.db.models import Exists, OuterRef
from django.utils import timezone

INDEX = models.Index(
    fields=["received_at"],
    condition=models.Q(awaiting_score=True),
    name="case_awaiting_score_idx",
)
# notifications.scans.UNSCORED_CATCH_UP_DAYS, as it stands at this migration.
CATCH_UP_DAYS = 2
# cases.models.OPEN_STATES, as it stands at this migration.
OPEN_STATES = [
    "submitted",
    "awaiting_supplement",
    "accepted",
    "investigating",
    "mediating",
    "hearing",
    "awarded",
    "ordered",
    "penalized",
    "settled",
    "paid",
    "transferred",
    "suspended",
]


def mark_unscored(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    score = apps.get_model("notifications", "RiskScore")
    since = timezone.now() - dt.timedelta(days=CATCH_UP_DAYS)
    unscored = case.objects.filter(state__in=OPEN_STATES, received_at__gte=since).filter(
        ~Exists(score.objects.filter(case_id=OuterRef("pk")))
    )
    unscored.update(awaiting_score=True)


def index_forwards(apps, schema_editor):
    case = apps.get_model("cases", "Case")
    if schema_editor.connection.vendor == "postgresql":
        sql = str(INDEX.create_sql(case, schema_editor, concurrently=True))
        schema_editor.execute(
            sql.replace("CREATE INDEX CONCURRENTLY", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1)
        )
    else:
        schema_editor.add_index(case, INDEX)


def index_backwards(apps, schema_editor):
    concurrently = "CONCURRENTLY " if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f'DROP INDEX {concurrently}IF EXISTS "{INDEX.name}"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cases", "0026_search_covering_indexes"),
        ("notifications", "0002_risk_and_alerts"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="awaiting_score",
            field=models.BooleanField(default=False, editable=False, verbose_name="待评分"),
        ),
        migrations.RunPython(mark_unscored, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="awaiting_score",
            field=models.BooleanField(
                db_default=True, default=True, editable=False, verbose_name="待评分"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(index_forwards, index_backwards)],
            state_operations=[migrations.AddIndex(model_name="case", index=INDEX)],
        ),
    ]
