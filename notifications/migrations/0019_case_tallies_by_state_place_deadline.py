"""The command screen's case counters as three small tables instead of one.

notifications_casetally had a row per township, state, risk level, collective flag and
shard: up to 1,680 per shard, and the more of them the more varied the cases (429 at
10,000 cases, 1,600 at a million), all added up on every summary. The screen needs the
cases per state (every case) and the open cases per township and risk level; the
counters are now kept that way (CaseStateTally, OpenCaseTally: at most 16 and 56 rows
per shard), and the overdue count, which counted the open cases past their deadline
from the cases' index (5,600 at a million), reads the open cases per deadline day
(DeadlineTally).

On PostgreSQL the trigger functions of the cases and claims are replaced and the new
counters filled from the rows in the migration's transaction, with the cases and
claims locked against writes (SHARE) meanwhile, so that no change is counted twice or
missed: a few seconds at a million cases. The day, acceptance and alert counters are
left as they are. Frozen copies of the SQL (notifications/tally.py keeps the live one
for summary_rebuild); backwards restores notifications/0004's functions and counters.
"""

from importlib import import_module

from django.conf import settings
from django.db import migrations, models

SHARDS = 8
FINAL_STATES = "'closed', 'rejected', 'withdrawn'"

FUNCTIONS = """
CREATE OR REPLACE FUNCTION tally_state_bump(s varchar, d_cases bigint, d_claimed numeric,
        d_recovered numeric)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_casestatetally AS x (state, shard, cases, claimed, recovered)
    VALUES (s, pg_backend_pid() % {shards}, d_cases, d_claimed, d_recovered)
    ON CONFLICT (state, shard) DO UPDATE SET cases = x.cases + EXCLUDED.cases,
        claimed = x.claimed + EXCLUDED.claimed, recovered = x.recovered + EXCLUDED.recovered
$$;

CREATE OR REPLACE FUNCTION tally_open_bump(t bigint, l varchar, d_cases bigint,
        d_collective bigint, d_claims bigint, d_claimed numeric, d_recovered numeric)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_opencasetally AS x
        (township_id, risk_level, shard, cases, collective, claims, claimed, recovered)
    VALUES (t, l, pg_backend_pid() % {shards}, d_cases, d_collective, d_claims, d_claimed,
            d_recovered)
    ON CONFLICT (township_id, risk_level, shard) DO UPDATE SET
        cases = x.cases + EXCLUDED.cases, collective = x.collective + EXCLUDED.collective,
        claims = x.claims + EXCLUDED.claims, claimed = x.claimed + EXCLUDED.claimed,
        recovered = x.recovered + EXCLUDED.recovered
$$;

CREATE OR REPLACE FUNCTION tally_deadline_bump(d date, n bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_deadlinetally AS x (deadline, shard, cases)
    VALUES (d, pg_backend_pid() % {shards}, n)
    ON CONFLICT (deadline, shard) DO UPDATE SET cases = x.cases + EXCLUDED.cases
$$;

CREATE OR REPLACE FUNCTION tally_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE n bigint := 0; claimed numeric := 0; recovered numeric := 0;
        was_open boolean := false; is_open boolean := false;
        state_moved boolean; place_moved boolean;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was_open := OLD.state NOT IN ({final_states});
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        is_open := NEW.state NOT IN ({final_states});
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM tally_state_bump(NEW.state, 1, 0, 0);
        IF is_open THEN
            PERFORM tally_open_bump(NEW.township_id, NEW.risk_level, 1,
                                    NEW.is_collective::int, 0, 0, 0);
            IF NEW.deadline IS NOT NULL THEN
                PERFORM tally_deadline_bump(NEW.deadline, 1);
            END IF;
        END IF;
        PERFORM tally_day_bump((NEW.received_at AT TIME ZONE '{tz}')::date, 1, 0, 0);
        IF NEW.accepted_on IS NOT NULL THEN
            PERFORM tally_acceptance_bump(NEW.kind, NEW.accepted_on, NEW.received_at, 1);
        END IF;
        RETURN NULL;
    END IF;
    -- The case's claims move with it to its new state, or its new township, level or
    -- collective flag while open.
    state_moved := TG_OP = 'DELETE' OR OLD.state IS DISTINCT FROM NEW.state;
    place_moved := (was_open OR is_open) AND (TG_OP = 'DELETE'
        OR (OLD.township_id, OLD.risk_level, OLD.is_collective, was_open)
           IS DISTINCT FROM (NEW.township_id, NEW.risk_level, NEW.is_collective, is_open));
    IF state_moved OR place_moved THEN
        SELECT count(*), coalesce(sum(amount_claimed), 0), coalesce(sum(amount_recovered), 0)
          INTO n, claimed, recovered FROM cases_claim WHERE case_id = OLD.id;
    END IF;
    IF state_moved THEN
        PERFORM tally_state_bump(OLD.state, -1, -claimed, -recovered);
        IF TG_OP = 'UPDATE' THEN
            PERFORM tally_state_bump(NEW.state, 1, claimed, recovered);
        END IF;
    END IF;
    IF place_moved THEN
        IF was_open THEN
            PERFORM tally_open_bump(OLD.township_id, OLD.risk_level, -1,
                                    -(OLD.is_collective::int), -n, -claimed, -recovered);
        END IF;
        IF is_open THEN
            PERFORM tally_open_bump(NEW.township_id, NEW.risk_level, 1,
                                    NEW.is_collective::int, n, claimed, recovered);
        END IF;
    END IF;
    IF TG_OP = 'DELETE' OR (was_open, OLD.deadline) IS DISTINCT FROM (is_open, NEW.deadline) THEN
        IF was_open AND OLD.deadline IS NOT NULL THEN
            PERFORM tally_deadline_bump(OLD.deadline, -1);
        END IF;
        IF is_open AND NEW.deadline IS NOT NULL THEN
            PERFORM tally_deadline_bump(NEW.deadline, 1);
        END IF;
    END IF;
    IF TG_OP = 'DELETE' OR (OLD.received_at AT TIME ZONE '{tz}')::date
            IS DISTINCT FROM (NEW.received_at AT TIME ZONE '{tz}')::date THEN
        PERFORM tally_day_bump((OLD.received_at AT TIME ZONE '{tz}')::date, -1, 0, 0);
        IF TG_OP = 'UPDATE' THEN
            PERFORM tally_day_bump((NEW.received_at AT TIME ZONE '{tz}')::date, 1, 0, 0);
        END IF;
    END IF;
    IF TG_OP = 'DELETE' OR (OLD.kind, OLD.accepted_on, OLD.received_at)
            IS DISTINCT FROM (NEW.kind, NEW.accepted_on, NEW.received_at) THEN
        IF OLD.accepted_on IS NOT NULL THEN
            PERFORM tally_acceptance_bump(OLD.kind, OLD.accepted_on, OLD.received_at, -1);
        END IF;
        IF TG_OP = 'UPDATE' AND NEW.accepted_on IS NOT NULL THEN
            PERFORM tally_acceptance_bump(NEW.kind, NEW.accepted_on, NEW.received_at, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tally_claim() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k record;
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.case_id, OLD.amount_claimed, OLD.amount_recovered)
            IS NOT DISTINCT FROM (NEW.case_id, NEW.amount_claimed, NEW.amount_recovered) THEN
        RETURN NULL;  -- nothing counted changed (a pending phone, the representative)
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT township_id, state, risk_level INTO k FROM cases_case WHERE id = OLD.case_id;
        IF FOUND THEN  -- a case deleted first took its claims' figures with it
            PERFORM tally_state_bump(k.state, 0, -OLD.amount_claimed, -OLD.amount_recovered);
            IF k.state NOT IN ({final_states}) THEN
                PERFORM tally_open_bump(k.township_id, k.risk_level, 0, 0, -1,
                                        -OLD.amount_claimed, -OLD.amount_recovered);
            END IF;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT township_id, state, risk_level INTO k FROM cases_case WHERE id = NEW.case_id;
        IF FOUND THEN
            PERFORM tally_state_bump(k.state, 0, NEW.amount_claimed, NEW.amount_recovered);
            IF k.state NOT IN ({final_states}) THEN
                PERFORM tally_open_bump(k.township_id, k.risk_level, 0, 0, 1,
                                        NEW.amount_claimed, NEW.amount_recovered);
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;

DROP FUNCTION IF EXISTS tally_case_bump(bigint, varchar, varchar, boolean, bigint, bigint,
                                        numeric, numeric);
"""

FILL = """
WITH per_key AS MATERIALIZED (
    SELECT c.state, c.township_id, c.risk_level, count(*) AS cases,
           count(*) FILTER (WHERE c.is_collective) AS collective,
           coalesce(sum(q.n), 0) AS claims, coalesce(sum(q.claimed), 0) AS claimed,
           coalesce(sum(q.recovered), 0) AS recovered
      FROM cases_case c
      LEFT JOIN (SELECT case_id, count(*) n, sum(amount_claimed) claimed,
                        sum(amount_recovered) recovered
                   FROM cases_claim GROUP BY case_id) q ON q.case_id = c.id
     GROUP BY 1, 2, 3
), by_state AS (
    INSERT INTO notifications_casestatetally (state, shard, cases, claimed, recovered)
    SELECT state, 0, sum(cases), sum(claimed), sum(recovered) FROM per_key GROUP BY state
)
INSERT INTO notifications_opencasetally
    (township_id, risk_level, shard, cases, collective, claims, claimed, recovered)
SELECT township_id, risk_level, 0, sum(cases), sum(collective), sum(claims), sum(claimed),
       sum(recovered)
  FROM per_key WHERE state NOT IN ({final_states}) GROUP BY township_id, risk_level;
INSERT INTO notifications_deadlinetally (deadline, shard, cases)
SELECT deadline, 0, count(*) FROM cases_case
 WHERE state NOT IN ({final_states}) AND deadline IS NOT NULL GROUP BY deadline;
"""

NEW_FUNCTIONS = ("tally_state_bump", "tally_open_bump", "tally_deadline_bump")
LOCK = "LOCK TABLE cases_case, cases_claim IN SHARE MODE"


def _sql(template: str) -> str:
    return (
        template.replace("{tz}", settings.TIME_ZONE)
        .replace("{shards}", str(SHARDS))
        .replace("{final_states}", FINAL_STATES)
    )


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(LOCK)
        cursor.execute(_sql(FUNCTIONS))
        cursor.execute(_sql(FILL))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    before = import_module("notifications.migrations.0004_summary_tallies")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(LOCK)
        cursor.execute(before._sql(before.FUNCTIONS).replace("%%", "%"))
        cursor.execute(before._sql(before.REBUILD))
        for name in NEW_FUNCTIONS:
            cursor.execute(f"DROP FUNCTION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0018_scan_window_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseStateTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("state", models.CharField(max_length=24)),
                ("shard", models.SmallIntegerField(default=0)),
                ("cases", models.BigIntegerField(default=0)),
                ("claimed", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("recovered", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("state", "shard"), name="case_state_tally_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="DeadlineTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("deadline", models.DateField()),
                ("shard", models.SmallIntegerField(default=0)),
                ("cases", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("deadline", "shard"), name="deadline_tally_key")
                ],
            },
        ),
        migrations.CreateModel(
            name="OpenCaseTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("township_id", models.BigIntegerField()),
                ("risk_level", models.CharField(max_length=10)),
                ("shard", models.SmallIntegerField(default=0)),
                ("cases", models.BigIntegerField(default=0)),
                ("collective", models.BigIntegerField(default=0)),
                ("claims", models.BigIntegerField(default=0)),
                ("claimed", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("recovered", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("township_id", "risk_level", "shard"), name="open_case_tally_key"
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="CaseTally"),
    ]
