"""Kept statistics (reports/kept.py): the figures of a period, and the counts of changes
per month that PostgreSQL triggers keep on the cases, claims, events and townships.

The triggers are written here only: reports/kept.py reads what they count. A change to
them is a new migration.
"""

import datetime as dt

import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

SHARDS = 32
# The month whose count every period depends on (a township renamed relabels them all).
EVERY_MONTH = dt.date(1900, 1, 1)

FUNCTIONS = """
CREATE OR REPLACE FUNCTION statistics_months_bump(days date[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO reports_statisticsmonth AS x (month, shard, changes)
    SELECT DISTINCT date_trunc('month', d)::date, pg_backend_pid() %% {shards}, 1
      FROM unnest(days) AS d WHERE d IS NOT NULL
     ORDER BY 1
    ON CONFLICT (month, shard) DO UPDATE SET changes = x.changes + 1
$$;

CREATE OR REPLACE FUNCTION statistics_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.township_id, OLD.kind, OLD.channel, OLD.sector, OLD.state,
            OLD.is_collective, OLD.received_at, OLD.accepted_on, OLD.closed_on,
            OLD.handled_on, OLD.conclusion_due, OLD.outcome)
        IS NOT DISTINCT FROM (NEW.township_id, NEW.kind, NEW.channel, NEW.sector, NEW.state,
            NEW.is_collective, NEW.received_at, NEW.accepted_on, NEW.closed_on,
            NEW.handled_on, NEW.conclusion_due, NEW.outcome) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM statistics_months_bump(ARRAY[(OLD.received_at AT TIME ZONE '{tz}')::date,
            OLD.accepted_on, OLD.closed_on, OLD.handled_on, OLD.conclusion_due]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM statistics_months_bump(ARRAY[(NEW.received_at AT TIME ZONE '{tz}')::date,
            NEW.accepted_on, NEW.closed_on, NEW.handled_on, NEW.conclusion_due]);
    END IF;
    -- The event figures and the decided amounts count the case in its events' months.
    IF TG_OP = 'UPDATE' AND (OLD.township_id, OLD.kind, OLD.channel, OLD.sector, OLD.outcome)
            IS DISTINCT FROM (NEW.township_id, NEW.kind, NEW.channel, NEW.sector, NEW.outcome)
    THEN
        PERFORM statistics_months_bump(ARRAY(
            SELECT (created_at AT TIME ZONE '{tz}')::date FROM cases_caseevent
             WHERE case_id = NEW.id));
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statistics_claim() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.case_id, OLD.person_id, OLD.amount_claimed)
            IS NOT DISTINCT FROM (NEW.case_id, NEW.person_id, NEW.amount_claimed) THEN
        RETURN NULL;
    END IF;
    -- Amounts claimed count in the month the case was received, workers helped in the
    -- month it was closed.
    PERFORM statistics_months_bump(ARRAY(
        SELECT d FROM cases_case c,
               LATERAL (VALUES ((c.received_at AT TIME ZONE '{tz}')::date), (c.closed_on)) v(d)
         WHERE c.id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.case_id END,
                        CASE WHEN TG_OP <> 'DELETE' THEN NEW.case_id END)));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statistics_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.case_id, OLD.transition, OLD.created_at, OLD.data)
            IS NOT DISTINCT FROM (NEW.case_id, NEW.transition, NEW.created_at, NEW.data) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        PERFORM statistics_months_bump(ARRAY[(OLD.created_at AT TIME ZONE '{tz}')::date]);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        PERFORM statistics_months_bump(ARRAY[(NEW.created_at AT TIME ZONE '{tz}')::date]);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION statistics_township() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.code, OLD.name) IS NOT DISTINCT FROM (NEW.code, NEW.name) THEN
        RETURN NULL;
    END IF;
    PERFORM statistics_months_bump(ARRAY['{every_month}'::date]);
    RETURN NULL;
END $$;
"""

TRIGGERS = {
    "cases_case": "statistics_case",
    "cases_claim": "statistics_claim",
    "cases_caseevent": "statistics_event",
    "cases_township": "statistics_township",
}




def _sql(template):
    return (
        template.replace("{tz}", settings.TIME_ZONE)
        .replace("{shards}", str(SHARDS))
        .replace("{every_month}", EVERY_MONTH.isoformat())
        .replace("%%", "%")
    )


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_sql(FUNCTIONS))
        for table, function in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {function}()"
            )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, function in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")
        cursor.execute("DROP FUNCTION IF EXISTS statistics_months_bump(date[])")



class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('cases', '0025_event_payment_day_index'),
        ('core', '0002_village'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptStatistics',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('period_start', models.DateField()),
                ('period_end', models.DateField()),
                ('changes', models.JSONField()),
                ('figures', models.JSONField()),
                ('computed_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
            ],
            options={
                'verbose_name': '已算统计数字',
                'verbose_name_plural': '已算统计数字',
            },
        ),
        migrations.CreateModel(
            name='StatisticsMonth',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('month', models.DateField(verbose_name='月份')),
                ('shard', models.SmallIntegerField(default=0)),
                ('changes', models.BigIntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('month', 'shard'), name='statistics_month_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
