"""Realistic bench data, loaded with PostgreSQL COPY (psycopg 3), never one ORM save per row.

Cases spread over the 14 townships, both kinds, every state and two years; the state of
a case follows its age (recent cases are open, old ones mostly closed). Each case has
its claimants (3% collective, 10-30 workers), about `events` events, and the steady
state of alerts the scan would have raised (deadline warnings for the cases near their
deadline, risk alerts for the orange and red ones). Triggers are off during the load
(session_replication_role = replica); the command-screen counters are rebuilt after.
"""

import datetime as dt
import json
import random
import time
from zoneinfo import ZoneInfo

import psycopg

from core.models import normalize_name
from core.query_codes import query_code_hash

TZ = ZoneInfo("Asia/Shanghai")
SECTORS = ["construction"] * 4 + ["manufacturing", "services", "steel_coke", "mining", "other"]
CHANNELS = ["online", "online", "hotline_12345", "hotline_12333", "walk_in", "platform"]
WAGE_OPEN = ["investigating"] * 6 + ["ordered"] * 2 + ["paid", "penalized", "transferred"]
DISPUTE_OPEN = ["accepted", "mediating", "mediating", "hearing", "hearing", "suspended", "settled"]
DISPUTE_OPEN += ["awarded"]
# Decided states of an open case (cases/milestones.py DECIDED, less the final ones).
DECIDED = {"ordered", "paid", "penalized", "transferred", "settled", "awarded"}
NO_CLOCK = {"paid", "transferred", "settled", "awarded", "suspended"}
LEVELS = ["green"] * 80 + ["yellow"] * 12 + ["orange"] * 5 + ["red"] * 3
SCORES = {"green": 10, "yellow": 35, "orange": 55, "red": 80}
WAGE_PATH = ["accept", "hear_employer", "order_payment", "record_payment", "close"]
DISPUTE_PATH = ["accept", "start_mediation", "fail_mediation", "schedule_hearing", "award"]
RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆"
    "帅旭宁龙林欣佳雪梅琳晶晓云飞鑫波峰亮成彬博毅坤鸿海春燕丹蕾瑶倩婷颖慧巧美娇翠荣凤"
)


def worker_name(n: int) -> str:
    """A realistic Chinese name (surname and one or two given characters): staff search
    workers by name, and a trigram index behaves on real names, not on "工人123"."""
    surname = SURNAMES[n % len(SURNAMES)]
    first = GIVEN[(n // len(SURNAMES)) % len(GIVEN)]
    if n % 3 == 0:
        return surname + first
    return surname + first + GIVEN[(n // len(SURNAMES) // len(GIVEN)) % len(GIVEN)]


def ric(serial: int, birth: dt.date) -> str:
    # 17 digits; the serial's higher part goes into the area code's last four
    body = f"14{(serial // 1000) % 10000:04d}{birth:%Y%m%d}{serial % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, RIC_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", " ").replace("\n", "\\n")


class Copier:
    """Buffered COPY ... FROM STDIN in text format."""

    def __init__(self, cursor, table, columns, batch=20000):
        self.cursor, self.batch, self.rows = cursor, batch, []
        # Columns added since (NOT NULL text without a database default) get ''.
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s"
            " AND is_nullable = 'NO' AND column_default IS NULL"
            " AND data_type IN ('character varying', 'text')",
            [table],
        )
        self.extra = [name for (name,) in cursor.fetchall() if name not in columns]
        self.sql = f"COPY {table} ({', '.join(columns + self.extra)}) FROM STDIN"
        self.count = 0

    def add(self, *values):
        values = values + ("",) * len(self.extra)
        self.rows.append(
            "\t".join(
                "\\N" if v is None else esc(v) if isinstance(v, str) else str(v) for v in values
            )
        )
        if len(self.rows) >= self.batch:
            self.flush()

    def flush(self):
        if not self.rows:
            return
        with self.cursor.copy(self.sql) as copy:
            copy.write("\n".join(self.rows) + "\n")
        self.count += len(self.rows)
        self.rows = []


def generate(dsn: str, *, cases: int, events: int = 10, seed: int = 6, log=print) -> dict:
    rnd = random.Random(seed)
    now = dt.datetime.now(TZ).replace(microsecond=0)
    today = now.date()
    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")  # no triggers, no FK checks
        cur.execute("SELECT id FROM cases_township ORDER BY id")
        townships = [r[0] for r in cur.fetchall()]
        cur.execute(
            "SELECT deadline_warn_days, deadline_final_warn_days FROM notifications_riskruleset"
            " ORDER BY version DESC LIMIT 1"
        )
        warn_days, final_days = cur.fetchone()

        # employers: about 20 cases each
        n_employers = max(cases // 20, 5)
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_employer")
        employer_base = cur.fetchone()[0] + 1
        employers = Copier(
            cur,
            "cases_employer",
            ["id", "name", "normalized_name", "uscc", "address", "township_id", "sector"]
            + ["size_class", "state_owned_or_government_project", "closed_under_policy"]
            + ["blacklisted_until", "is_demo", "created_at"],
        )
        employer_sector, employer_township = [], []
        for i in range(n_employers):
            sector = rnd.choice(SECTORS)
            township = rnd.choice(townships)
            name = f"襄汾县测试{i}号{'建筑工程' if sector == 'construction' else '实业'}有限公司"
            employers.add(
                employer_base + i,
                name,
                normalize_name(name),
                "",
                "襄汾县某路1号",
                township,
                sector,
                "small",
                "t" if rnd.random() < 0.05 else "f",
                "f",
                None,
                "t",
                now.isoformat(),
            )
            employer_sector.append(sector)
            employer_township.append(township)
        employers.flush()

        cur.execute("SELECT coalesce(max(id), 0) FROM cases_case")
        case_base = cur.fetchone()[0] + 1
        cur.execute("SELECT coalesce(max(id), 0) FROM cases_person")
        person_id = cur.fetchone()[0]
        case_cols = [
            "id",
            "number",
            "query_code_hash",
            "query_code_pending",
            "kind",
            "state",
            "township_id",
            "employer_id",
            "channel",
            "sector",
            "project_name",
            "description",
            "is_collective",
            "is_demo",
            "received_at",
            "accepted_on",
            "conclusion_due",
            "handled_on",
            "closed_on",
            "clock_stage",
            "clock_started_on",
            "award_clock_started_on",
            "clock_pauses",
            "extended_stages",
            "deadline",
            "calendar_fallback",
            "employer_heard_on",
            "tribunal_composed_on",
            "pay_by",
            "hearing_date",
            "suspended_from",
            "rejection_reason",
            "outcome",
            "risk_score",
            "risk_level",
            "risk_factors",
            "version",
            "created_at",
            "updated_at",
        ]
        case_copy = Copier(cur, "cases_case", case_cols)
        bench_code_hash = query_code_hash("BENCH234")
        cur.execute(
            "SELECT 1 FROM information_schema.columns"
            " WHERE table_name = 'cases_person' AND column_name = 'id_number_index'"
        )
        if cur.fetchone():  # personal data stored encrypted with a blind index (core/pii.py)
            from core import pii

            person_cols = ["id", "name", "id_number", "id_number_index", "phone", "created_at"]
            cur.execute(
                "SELECT 1 FROM information_schema.columns"
                " WHERE table_name = 'cases_person' AND column_name = 'phone_index'"
            )
            phone_indexed = bool(cur.fetchone())  # cases 0009: staff find workers by phone
            if phone_indexed:
                person_cols.insert(5, "phone_index")

            def person_values(number, phone):
                values = (pii.encrypt(number), pii.blind_index(number), pii.encrypt(phone))
                return values + ((pii.blind_index(phone),) if phone_indexed else ())

        else:
            person_cols = ["id", "name", "id_number", "phone", "created_at"]

            def person_values(number, phone):
                return number, phone

        person_copy = Copier(cur, "cases_person", person_cols)
        claim_copy = Copier(
            cur,
            "cases_claim",
            ["case_id", "person_id", "amount_claimed", "months_owed", "amount_recovered"]
            + ["is_representative", "added_at"],
        )
        event_copy = Copier(
            cur,
            "cases_caseevent",
            ["case_id", "actor_label", "transition", "from_state", "to_state", "note", "data"]
            + ["created_at"],
            batch=50000,
        )
        alert_copy = Copier(
            cur,
            "notifications_alert",
            ["case_id", "township_id", "reason", "level", "score", "factors", "rules_version"]
            + ["message", "deadline", "status", "created_at", "escalated_at"],
        )
        sequence: dict[int, int] = {}
        span = 730 * 86400
        file_data = json.dumps({"channel": "online", "claimants": 1})
        for n in range(cases):
            case_id = case_base + n
            received = now - dt.timedelta(seconds=int(span * (n + 1) / cases) - rnd.randint(0, 60))
            received_on = received.date()
            age = (today - received_on).days
            year = received_on.year
            sequence[year] = sequence.get(year, 0) + 1
            kind = "wage_arrears" if rnd.random() < 0.7 else "labor_dispute"
            employer = rnd.randrange(n_employers)
            roll = rnd.random()
            if age < 3 and roll < 0.6:
                state = "submitted" if roll < 0.5 else "awaiting_supplement"
            elif (age < 90 and roll < 0.7) or (age >= 90 and roll < 0.04):
                state = rnd.choice(WAGE_OPEN if kind == "wage_arrears" else DISPUTE_OPEN)
            else:
                r = rnd.random()
                state = "closed" if r < 0.85 else "withdrawn" if r < 0.95 else "rejected"
            open_ = state not in ("closed", "withdrawn", "rejected")
            accepted_on = None
            if state not in ("submitted", "awaiting_supplement", "rejected"):
                accepted_on = received_on + dt.timedelta(days=rnd.randint(0, 6))
                accepted_on = min(accepted_on, today)
            deadline, stage = None, ""
            if open_ and state not in NO_CLOCK:
                stage = {"wage_arrears": "investigation", "labor_dispute": "award"}[kind]
                if state in ("submitted", "awaiting_supplement"):
                    stage = (
                        "acceptance_inspection" if kind == "wage_arrears" else "acceptance_dispute"
                    )
                deadline = today + dt.timedelta(days=rnd.randint(-4, 60))
            level = rnd.choice(LEVELS) if open_ else "green"
            score = SCORES[level] + rnd.randint(0, 9) if open_ else 0
            # events: the filing, then the track's path, then notes, about `events` in all
            n_events = max(1, min(events, 2 + age // 7)) if open_ else events
            path = WAGE_PATH if kind == "wage_arrears" else DISPUTE_PATH
            step_at = received
            state_before = ""
            history = []
            for e in range(n_events):
                if e == 0:
                    transition, to_state, data = "file", "submitted", file_data
                elif e == n_events - 1 and not open_:
                    transition, to_state, data = (
                        state if state != "closed" else "close",
                        state,
                        "{}",
                    )
                else:
                    transition = path[(e - 1) % len(path)] if e <= len(path) else "hear_employer"
                    to_state = state if open_ else "investigating"
                    data = "{}"
                note = "约谈用人单位负责人" if transition == "hear_employer" else ""
                history.append(
                    (
                        case_id,
                        "insp" if e else "劳动者",
                        transition,
                        state_before,
                        to_state,
                        note,
                        data,
                        step_at.isoformat(),
                    )
                )
                last_day = step_at.date()
                state_before = to_state
                step_at = min(step_at + dt.timedelta(hours=rnd.randint(2, 200)), now)
            # The dates the statistics read (cases/milestones.py): the handling period's
            # last day (about 60 working days for an inspection, 45 days for an award),
            # the day the case was decided and the day it ended (its last event's).
            conclusion_due = handled_on = closed_on = None
            if accepted_on is not None:
                conclusion_due = accepted_on + dt.timedelta(
                    days=84 if kind == "wage_arrears" else 45
                )
            if not open_:
                closed_on = max(last_day, accepted_on) if accepted_on else last_day
            if accepted_on is not None and (not open_ or state in DECIDED):
                handled_on = max(last_day, accepted_on)
            collective = rnd.random() < 0.03
            n_claims = rnd.randint(10, 30) if collective else 1
            case_copy.add(
                case_id,
                f"XF-{year}-{sequence[year]:06d}",
                bench_code_hash,  # every bench case's code is BENCH234
                "",
                kind,
                state,
                employer_township[employer],
                employer_base + employer,
                rnd.choice(CHANNELS),
                employer_sector[employer],
                "",
                "拖欠工资三个月，多次讨要未果。",
                "t" if collective else "f",
                "t",
                received.isoformat(),
                accepted_on,
                conclusion_due,
                handled_on,
                closed_on,
                stage,
                accepted_on or received_on,
                None,
                "[]",
                "[]",
                deadline,
                "f",
                None,
                None,
                None,
                None,
                "",
                "",
                "{}",
                score,
                level,
                "[]",
                0,
                received.isoformat(),
                received.isoformat(),
            )
            for c in range(n_claims):
                person_id += 1
                birth = dt.date(1960 + person_id % 40, 1 + person_id % 12, 1 + person_id % 28)
                person_copy.add(
                    person_id,
                    worker_name(person_id),
                    *person_values(ric(person_id, birth), f"139{person_id % 100000000:08d}"),
                    received.isoformat(),
                )
                amount = rnd.randint(20, 400) * 100
                recovered = amount if state == "closed" and rnd.random() < 0.8 else 0
                claim_copy.add(
                    case_id,
                    person_id,
                    f"{amount}.00",
                    rnd.randint(1, 8),
                    f"{recovered}.00",
                    "t" if collective and c < 3 else "f",
                    received.isoformat(),
                )
            for row in history:
                event_copy.add(*row)
            # the alerts the scan and the scoring raised already (steady state)
            if open_ and deadline is not None:
                left = (deadline - today).days
                reason = None
                if left < 0:
                    reason, alevel = "overdue", "red"
                elif left <= final_days:
                    reason, alevel = "deadline_final", "orange"
                elif left <= warn_days:
                    reason, alevel = "deadline_soon", "yellow"
                if reason:
                    alert_copy.add(
                        case_id,
                        employer_township[employer],
                        reason,
                        alevel,
                        score,
                        "[]",
                        1,
                        f"XF-{year}-{sequence[year]:06d} 期限预警",
                        deadline,
                        "open",
                        (now - dt.timedelta(hours=rnd.randint(1, 48))).isoformat(),
                        now.isoformat() if alevel == "red" else None,
                    )
            if open_ and level in ("orange", "red"):
                alert_copy.add(
                    case_id,
                    employer_township[employer],
                    f"risk_{level}",
                    level,
                    score,
                    "[]",
                    1,
                    f"XF-{year}-{sequence[year]:06d} 风险预警",
                    None,
                    "open" if rnd.random() < 0.3 else "acknowledged",
                    received.isoformat(),
                    now.isoformat() if level == "red" else None,
                )
            if n % 100000 == 99999:
                log(f"  {n + 1:,} cases ({time.monotonic() - started:.0f} s)")
        for copier in (case_copy, person_copy, claim_copy, event_copy, alert_copy):
            copier.flush()
        for year, last in sequence.items():
            cur.execute(
                "INSERT INTO cases_casenumbersequence (year, last) VALUES (%s, %s)"
                " ON CONFLICT (year) DO UPDATE SET last = greatest("
                "cases_casenumbersequence.last, EXCLUDED.last)",
                [year, last],
            )
        for table in ("cases_case", "cases_person", "cases_claim", "cases_caseevent"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        for table in ("cases_employer", "notifications_alert"):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cur.execute("SET session_replication_role = origin")
        conn.commit()
    counts = {
        "cases": case_copy.count,
        "claims": claim_copy.count,
        "events": event_copy.count,
        "alerts": alert_copy.count,
        "employers": employers.count,
        "seconds": round(time.monotonic() - started, 1),
    }
    return counts
