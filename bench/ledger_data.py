"""Bench data of the re-employment ledger (issue #14), loaded with COPY like bench/generate.py.

`entries` people across the 13 townships (the development zone has no villages), 25
villages each; closed plants with their laid-off workers; every category; entered over
two years, the older ones more often employed; their 1+3+1 items (5 each, due 30 days
after entering, as employment.services creates them), mostly done on time, a minority of
people behind (the ones a steward has lost track of); job referrals for the done job
items, with outcomes; the history every change leaves (LedgerEvent); this year's targets
and each township's share; and the open "1+3+1 overdue" alert of every person behind,
as the scan leaves them (steady state).
"""

import datetime as dt
import json
import random
import time

import psycopg

from bench.generate import TZ, Copier, ric
from core.models import normalize_name

VILLAGES_PER_TOWNSHIP = 25
PLANTS_PER_TOWNSHIP = 2
POSTINGS = 2000
CATEGORIES = ["laid_off"] * 15 + ["urban_unemployed"] * 25 + ["rural_transfer"] * 35
CATEGORIES += ["graduate"] * 15 + ["hard_to_employ"] * 10
MODES = ["enterprise"] * 5 + ["flexible"] * 2 + ["self_employed", "public_welfare", "outside"]
OUTCOMES = ["hired"] * 2 + ["not_hired"] * 4 + ["declined"] + ["pending"] * 3
DUE_DAYS = 30  # employment_services_due_days (employment/migrations/0002)


def _person_columns(cur):
    """cases_person's columns, with personal data encrypted as core/pii.py stores it."""
    from core import pii

    cur.execute(
        "SELECT 1 FROM information_schema.columns"
        " WHERE table_name = 'cases_person' AND column_name = 'phone_index'"
    )
    phone_indexed = bool(cur.fetchone())
    columns = ["id", "name", "id_number", "id_number_index", "phone", "created_at"]
    if phone_indexed:
        columns.insert(5, "phone_index")

    def values(number, phone):
        found = (pii.encrypt(number), pii.blind_index(number), pii.encrypt(phone))
        return found + ((pii.blind_index(phone),) if phone_indexed else ())

    return columns, values


def generate_ledger(dsn: str, *, entries: int, seed: int = 14, log=print) -> dict:
    rnd = random.Random(seed)
    now = dt.datetime.now(TZ).replace(microsecond=0)
    today = now.date()
    stamp = now.isoformat()
    started = time.monotonic()
    with psycopg.connect(dsn, autocommit=False) as conn, conn.cursor() as cur:
        cur.execute("SET session_replication_role = replica")
        cur.execute("SELECT id, code, name FROM cases_township ORDER BY sort_order, code")
        townships = [row for row in cur.fetchall() if row[1] != "kaifaqu"][:13]
        cur.execute("SELECT id FROM cases_employer ORDER BY id")
        employers = [r[0] for r in cur.fetchall()]

        def next_id(table):
            cur.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")
            return cur.fetchone()[0]

        # villages
        village_copy = Copier(
            cur, "core_village", ["id", "code", "name", "kind", "sort_order", "township_id"]
        )
        village_id = next_id("core_village")
        villages: dict[int, list[int]] = {}
        for township_id, code, name in townships:
            for i in range(VILLAGES_PER_TOWNSHIP):
                kind = "community" if i < 3 else "village"
                label = f"{name}第{i + 1}{'社区' if kind == 'community' else '村'}"
                village_copy.add(village_id, f"bench-{code}-{i + 1}", label, kind, i, township_id)
                villages.setdefault(township_id, []).append(village_id)
                village_id += 1
        village_copy.flush()

        # closed plants, each with its employer record (closed under the policy)
        employer_copy = Copier(
            cur,
            "cases_employer",
            ["id", "name", "normalized_name", "uscc", "address", "township_id", "sector"]
            + ["size_class", "state_owned_or_government_project", "closed_under_policy"]
            + ["blacklisted_until", "is_demo", "created_at"],
        )
        plant_copy = Copier(
            cur,
            "employment_closedplant",
            ["id", "name", "uscc", "closed_on", "sector", "laid_off", "severance_owed"]
            + ["wages_owed", "is_demo", "created_at", "employer_id", "township_id"],
        )
        employer_id, plant_id = next_id("cases_employer"), next_id("employment_closedplant")
        plants = []  # (id, township_id, closed_on)
        for township_id, _code, name in townships:
            for i in range(PLANTS_PER_TOWNSHIP):
                plant_name = f"襄汾县{name}测试{i + 1}号焦化有限公司"
                uscc = f"91141023B{plant_id:09d}"
                closed_on = today - dt.timedelta(days=rnd.randint(400, 1100))
                employer_copy.add(
                    employer_id,
                    plant_name,
                    normalize_name(plant_name),
                    uscc,
                    "襄汾县某路2号",
                    township_id,
                    "steel_coke",
                    "medium",
                    "f",
                    "t",
                    None,
                    "t",
                    stamp,
                )
                plant_copy.add(
                    plant_id,
                    plant_name,
                    uscc,
                    closed_on,
                    "steel_coke",
                    0,
                    "0.00",
                    "0.00",
                    "t",
                    stamp,
                    employer_id,
                    township_id,
                )
                plants.append((plant_id, township_id, closed_on))
                employer_id += 1
                plant_id += 1
        employer_copy.flush()
        plant_copy.flush()

        posting_copy = Copier(
            cur,
            "employment_jobposting",
            ["id", "title", "pay", "place", "openings", "prefers_closed_plant", "is_open"]
            + ["posted_on", "is_demo", "employer_id", "township_id"],
        )
        posting_base = next_id("employment_jobposting")
        for i in range(POSTINGS):
            township_id = rnd.choice(townships)[0]
            posting_copy.add(
                posting_base + i,
                rnd.choice(["操作工", "叉车司机", "保洁员", "钢筋工", "客房服务员", "仓管员"]),
                f"{rnd.randint(30, 60) * 100}元/月",
                "襄汾县",
                rnd.randint(1, 20),
                "t" if rnd.random() < 0.3 else "f",
                "t" if rnd.random() < 0.6 else "f",
                today - dt.timedelta(days=rnd.randint(0, 720)),
                "t",
                rnd.choice(employers),
                township_id,
            )
        posting_copy.flush()

        person_cols, person_values = _person_columns(cur)
        person_copy = Copier(cur, "cases_person", person_cols)
        entry_copy = Copier(
            cur,
            "employment_ledgerentry",
            ["id", "category", "status", "mode", "employer_name", "employed_on", "wants_work"]
            + ["training_needs", "entered_on", "updated_at", "is_demo", "person_id", "plant_id"]
            + ["township_id", "village_id"],
        )
        event_copy = Copier(
            cur,
            "employment_ledgerevent",
            ["entry_id", "kind", "status", "mode", "occurred_on", "note", "data", "created_at"],
            batch=50000,
        )
        item_copy = Copier(
            cur,
            "employment_serviceitem",
            ["entry_id", "kind", "seq", "due_on", "done_on", "note", "referral_id"],
            batch=50000,
        )
        referral_copy = Copier(
            cur,
            "employment_referral",
            ["id", "referred_on", "outcome", "outcome_on", "sms_sent", "note", "entry_id"]
            + ["posting_id"],
        )
        alert_copy = Copier(
            cur,
            "notifications_alert",
            ["ledger_entry_id", "township_id", "reason", "level", "score", "factors"]
            + ["message", "deadline", "status", "created_at"],
        )
        person_id = next_id("cases_person")
        entry_base = next_id("employment_ledgerentry")
        referral_id = next_id("employment_referral")
        empty = json.dumps({})
        laid_off_per_plant: dict[int, int] = {}
        for n in range(entries):
            entry_id = entry_base + n
            township_id = rnd.choice(townships)[0]
            category = rnd.choice(CATEGORIES)
            plant = None
            if category == "laid_off":
                local = [p for p in plants if p[1] == township_id]
                plant = rnd.choice(local if rnd.random() < 0.7 else plants)
                laid_off_per_plant[plant[0]] = laid_off_per_plant.get(plant[0], 0) + 1
            entered_on = today - dt.timedelta(days=rnd.randint(0, 730))
            if plant is not None:
                entered_on = max(entered_on, plant[2])
            age = (today - entered_on).days
            roll = rnd.random()
            employed_share = min(0.75, 0.1 + age / 600)
            status = (
                "left" if roll < 0.04 else "employed" if roll < employed_share else "unemployed"
            )
            employed_on = None
            mode = ""
            if status == "employed":
                employed_on = entered_on + dt.timedelta(days=rnd.randint(5, max(6, age)))
                employed_on = min(employed_on, today)
                mode = rnd.choice(MODES)
            wants_work = status == "unemployed" and rnd.random() < 0.9 or status == "employed"
            training = "电工" if rnd.random() < 0.15 else ""
            birth = dt.date(1965 + person_id % 35, 1 + person_id % 12, 1 + person_id % 28)
            person_copy.add(
                person_id,
                f"台账{person_id}",
                *person_values(ric(person_id, birth), f"138{person_id % 100000000:08d}"),
                stamp,
            )
            entry_copy.add(
                entry_id,
                category,
                status,
                mode,
                "襄汾县某企业" if mode in ("enterprise", "outside") else "",
                employed_on,
                "t" if wants_work else "f",
                training,
                entered_on,
                stamp,
                "t",
                person_id,
                plant[0] if plant else None,
                township_id,
                rnd.choice(villages[township_id]),
            )
            person_id += 1
            history = [("entered", "unemployed", "", entered_on, empty)]
            # 1+3+1: owed to whoever wants work or training (LedgerEntry.owed_services)
            if wants_work or training:
                due_on = entered_on + dt.timedelta(days=DUE_DAYS)
                # A person behind: the steward lost track (more often among the recent).
                behind = rnd.random() < (0.25 if age < 60 else 0.03)
                postings = rnd.sample(range(POSTINGS), 3)
                open_items = 0
                for kind, seq in (
                    ("guidance", 1),
                    ("job_referral", 1),
                    ("job_referral", 2),
                    ("job_referral", 3),
                    ("training", 1),
                ):
                    done_on = None
                    latest = min(today, due_on + dt.timedelta(days=10))
                    if (not behind or rnd.random() < 0.4) and latest >= entered_on:
                        done_on = entered_on + dt.timedelta(
                            days=rnd.randint(0, (latest - entered_on).days)
                        )
                        if done_on > today or (due_on >= today and rnd.random() < 0.5):
                            done_on = None
                    referral = None
                    if kind == "job_referral" and done_on is not None:
                        outcome = rnd.choice(OUTCOMES)
                        if (today - done_on).days > 30 and outcome == "pending":
                            outcome = "not_hired"
                        outcome_on = (
                            None
                            if outcome == "pending"
                            else min(today, done_on + dt.timedelta(days=rnd.randint(1, 14)))
                        )
                        referral_copy.add(
                            referral_id,
                            done_on,
                            outcome,
                            outcome_on,
                            "t",
                            "",
                            entry_id,
                            posting_base + postings[seq - 1],
                        )
                        referral = referral_id
                        referral_id += 1
                        data = json.dumps({"posting": posting_base + postings[seq - 1]})
                        history.append(("referral", "unemployed", "", done_on, data))
                        if outcome_on is not None:
                            history.append(("outcome", "unemployed", "", outcome_on, data))
                    if done_on is not None:
                        history.append(
                            ("service", "unemployed", "", done_on, json.dumps({"item": kind}))
                        )
                    item_copy.add(entry_id, kind, seq, due_on, done_on, "", referral)
                    open_items += done_on is None
                if open_items and due_on < today:
                    alert_copy.add(
                        entry_id,
                        township_id,
                        "service_overdue",
                        "yellow",
                        0,
                        "[]",
                        f"台账{person_id - 1}的1+3+1服务已超期",
                        due_on,
                        "open",
                        stamp,
                    )
            if status == "employed":
                history.append(("status", "employed", mode, employed_on, empty))
            elif status == "left":
                left_on = entered_on + dt.timedelta(days=rnd.randint(0, max(0, age)))
                history.append(("status", "left", "", left_on, empty))
            history.sort(key=lambda h: h[3])
            state = "unemployed"
            for kind, event_status, event_mode, day, data in history:
                if kind == "status":
                    state = event_status
                event_copy.add(
                    entry_id,
                    kind,
                    state,
                    event_mode if kind == "status" else "",
                    day,
                    "",
                    data,
                    stamp,
                )
            if n % 20000 == 19999:
                log(f"  {n + 1:,} ledger entries ({time.monotonic() - started:.0f} s)")
        for copier in (person_copy, entry_copy, referral_copy, item_copy, event_copy, alert_copy):
            copier.flush()
        for plant_pk, count in laid_off_per_plant.items():
            cur.execute(
                "UPDATE employment_closedplant SET laid_off = %s WHERE id = %s", [count, plant_pk]
            )
        cur.execute(
            "INSERT INTO employment_target (year, reemployment_rate, urban_new, rural_transfer,"
            " note) VALUES (%s, 60, %s, %s, 'bench') ON CONFLICT (year) DO NOTHING RETURNING id",
            [today.year, max(13, entries // 10), max(13, entries // 8)],
        )
        row = cur.fetchone()
        if row:
            for township_id, _code, _name in townships:
                cur.execute(
                    "INSERT INTO employment_townshipshare (target_id, township_id, urban_new,"
                    " rural_transfer) VALUES (%s, %s, %s, %s)",
                    [row[0], township_id, max(1, entries // 130), max(1, entries // 104)],
                )
        for table in (
            "core_village",
            "cases_employer",
            "employment_closedplant",
            "employment_jobposting",
            "cases_person",
            "employment_ledgerentry",
            "employment_ledgerevent",
            "employment_serviceitem",
            "employment_referral",
            "notifications_alert",
        ):
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cur.execute("SET session_replication_role = origin")
        conn.commit()
    return {
        "ledger_entries": entry_copy.count,
        "ledger_events": event_copy.count,
        "service_items": item_copy.count,
        "referrals": referral_copy.count,
        "overdue_alerts": alert_copy.count,
        "ledger_seconds": round(time.monotonic() - started, 1),
    }
