"""The command screen's counters, kept by PostgreSQL triggers.

Why triggers: a case's state, township, risk level, claims and alerts change in many
places (services, the lifecycle, queryset updates in the risk scoring, the admin,
imports). A trigger sees every one of them, in the same transaction, so the counters
can never drift from the rows; the summary then reads a few hundred counter rows
instead of aggregating a million cases. On SQLite (development) there are no triggers
and the summary aggregates the rows, which is fast at that size.

`rebuild()` recomputes every counter from the rows (after a bulk load with triggers
off, or to check them: tests/notifications/test_summary_tally.py).
"""

from django.conf import settings
from django.db import connection, transaction

from cases.lifecycle.states import FINAL_STATES

SHARDS = 8
# A case is open unless in one of these (cases.lifecycle.states): the triggers decide which
# cases the open counters count by it (tests/notifications/test_summary_tally.py holds the
# installed functions to the live list).
FINAL_STATES_SQL = ", ".join(f"'{state}'" for state in sorted(FINAL_STATES))

FUNCTIONS = """
CREATE OR REPLACE FUNCTION tally_state_bump(s varchar, d_cases bigint, d_claimed numeric,
        d_recovered numeric)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_casestatetally AS x (state, shard, cases, claimed, recovered)
    VALUES (s, pg_backend_pid() %% {shards}, d_cases, d_claimed, d_recovered)
    ON CONFLICT (state, shard) DO UPDATE SET cases = x.cases + EXCLUDED.cases,
        claimed = x.claimed + EXCLUDED.claimed, recovered = x.recovered + EXCLUDED.recovered
$$;

CREATE OR REPLACE FUNCTION tally_open_bump(t bigint, l varchar, d_cases bigint,
        d_collective bigint, d_claims bigint, d_claimed numeric, d_recovered numeric)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_opencasetally AS x
        (township_id, risk_level, shard, cases, collective, claims, claimed, recovered)
    VALUES (t, l, pg_backend_pid() %% {shards}, d_cases, d_collective, d_claims, d_claimed,
            d_recovered)
    ON CONFLICT (township_id, risk_level, shard) DO UPDATE SET
        cases = x.cases + EXCLUDED.cases, collective = x.collective + EXCLUDED.collective,
        claims = x.claims + EXCLUDED.claims, claimed = x.claimed + EXCLUDED.claimed,
        recovered = x.recovered + EXCLUDED.recovered
$$;

CREATE OR REPLACE FUNCTION tally_deadline_bump(d date, n bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_deadlinetally AS x (deadline, shard, cases)
    VALUES (d, pg_backend_pid() %% {shards}, n)
    ON CONFLICT (deadline, shard) DO UPDATE SET cases = x.cases + EXCLUDED.cases
$$;

CREATE OR REPLACE FUNCTION tally_day_bump(d date, d_received bigint, d_closed bigint,
        d_alerts bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_daytally AS x (day, shard, received, closed, alerts)
    VALUES (d, pg_backend_pid() %% {shards}, d_received, d_closed, d_alerts)
    ON CONFLICT (day, shard) DO UPDATE SET received = x.received + EXCLUDED.received,
        closed = x.closed + EXCLUDED.closed, alerts = x.alerts + EXCLUDED.alerts
$$;

CREATE OR REPLACE FUNCTION tally_acceptance_bump(k varchar, a date, r timestamptz, n bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_acceptancetally AS x (kind, accepted_on, days, cases)
    VALUES (k, a, a - (r AT TIME ZONE '{tz}')::date, n)
    ON CONFLICT (kind, accepted_on, days) DO UPDATE SET cases = x.cases + EXCLUDED.cases
$$;

CREATE OR REPLACE FUNCTION tally_alert_bump(l varchar, n bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO notifications_alerttally AS x (level, shard, open)
    VALUES (l, pg_backend_pid() %% {shards}, n)
    ON CONFLICT (level, shard) DO UPDATE SET open = x.open + EXCLUDED.open
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

CREATE OR REPLACE FUNCTION tally_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.to_state = 'closed' AND NEW.from_state <> 'closed' THEN
        PERFORM tally_day_bump((NEW.created_at AT TIME ZONE '{tz}')::date, 0, 1, 0);
    ELSIF TG_OP = 'DELETE' AND OLD.to_state = 'closed' AND OLD.from_state <> 'closed' THEN
        PERFORM tally_day_bump((OLD.created_at AT TIME ZONE '{tz}')::date, 0, -1, 0);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tally_alert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM tally_day_bump((NEW.created_at AT TIME ZONE '{tz}')::date, 0, 0, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM tally_day_bump((OLD.created_at AT TIME ZONE '{tz}')::date, 0, 0, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'open' AND (TG_OP = 'DELETE'
            OR (NEW.status, NEW.level) IS DISTINCT FROM (OLD.status, OLD.level)) THEN
        PERFORM tally_alert_bump(OLD.level, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'open' AND (TG_OP = 'INSERT'
            OR (NEW.status, NEW.level) IS DISTINCT FROM (OLD.status, OLD.level)) THEN
        PERFORM tally_alert_bump(NEW.level, 1);
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS = {
    "cases_case": "tally_case",
    "cases_claim": "tally_claim",
    "cases_caseevent": "tally_event",
    "notifications_alert": "tally_alert",
}

# The case counters from the rows: per state, per township and level while open (via the
# counts per state, township and level: one pass over the cases and claims), and the open
# cases per deadline.
CASES_REBUILD = """
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

REBUILD = (
    """
TRUNCATE notifications_casestatetally, notifications_opencasetally, notifications_deadlinetally,
         notifications_daytally, notifications_acceptancetally, notifications_alerttally;
"""
    + CASES_REBUILD
    + """
INSERT INTO notifications_daytally (day, shard, received, closed, alerts)
SELECT day, 0, sum(received), sum(closed), sum(alerts) FROM (
    SELECT (received_at AT TIME ZONE '{tz}')::date AS day, 1 AS received, 0 AS closed, 0 AS alerts
      FROM cases_case
    UNION ALL
    SELECT (created_at AT TIME ZONE '{tz}')::date, 0, 1, 0 FROM cases_caseevent
     WHERE to_state = 'closed' AND from_state <> 'closed'
    UNION ALL
    SELECT (created_at AT TIME ZONE '{tz}')::date, 0, 0, 1 FROM notifications_alert
) AS r GROUP BY day;
INSERT INTO notifications_acceptancetally (kind, accepted_on, days, cases)
SELECT kind, accepted_on, accepted_on - (received_at AT TIME ZONE '{tz}')::date, count(*)
  FROM cases_case WHERE accepted_on IS NOT NULL GROUP BY 1, 2, 3;
INSERT INTO notifications_alerttally (level, shard, open)
SELECT level, 0, count(*) FROM notifications_alert WHERE status = 'open' GROUP BY level;
"""
)


def _sql(template: str) -> str:
    return (
        template.replace("{tz}", settings.TIME_ZONE)
        .replace("{shards}", str(SHARDS))
        .replace("{final_states}", FINAL_STATES_SQL)
    )


def enabled(using=None) -> bool:
    return connection.vendor == "postgresql"


def install(schema_editor) -> None:
    """Create the trigger functions and triggers, then fill the counters (migrations)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(_sql(FUNCTIONS).replace("%%", "%"))
        for table, function in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            cursor.execute(
                f"CREATE TRIGGER {function} AFTER INSERT OR UPDATE OR DELETE ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION {function}()"
            )
        cursor.execute(_sql(REBUILD))


def uninstall(schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, function in TRIGGERS.items():
            cursor.execute(f"DROP TRIGGER IF EXISTS {function} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {function}()")


def rebuild() -> None:
    """Recompute every counter from the rows (one pass over the tables)."""
    if not enabled():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_sql(REBUILD))
