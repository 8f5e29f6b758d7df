"""The command screen's employment figures, kept per township as the ledger changes.

Why: the screen's figures scanned the whole ledger (every 1+3+1 item, every employed
event of the year, every laid-off worker): at 100,000 people, 465,000 items, about half
a second on a quiet machine and growing with the ledger (docs/performance.md). Here each
entry's share of the figures is worked out from its own rows whenever the employment
services change it (services.entries_changed, in the same transaction), kept beside it
(ScreenEntryTally) and added to a few hundred ScreenTally rows, so the screen sums those.

The figures depend on the day: an item is overdue once its due day has passed, a worker
counts among the laid off from the day they entered the ledger, someone employed counts
in the year of the event. So each part carries the day from which it counts; a day
already passed when the part is written counts for good and is stored as ALWAYS, which
keeps the rows few (only the days still to come are kept apart). This holds for the
present only: figures as they stood on a past day (a past year's screen) are computed
from the rows (selectors.screen_summary_rows, also the reference of the tests and of
`manage.py employment_tally_rebuild --check`).

Writes that bypass the services (bulk loads: the demo data, the bench generator) call
rebuild() afterwards; `manage.py employment_tally_rebuild` does the same.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone

from employment.models import (
    Category,
    LedgerEntry,
    LedgerEvent,
    ScreenEntryTally,
    ScreenTally,
    ServiceItem,
    Status,
    Target,
)
from employment.progress import Progress, ProgressReport
from employment.service_counts import ServiceCounts

ALWAYS = dt.date(1, 1, 1)
# Figures counted up to and including the day (entered by then, employed by then) ...
UP_TO = ("laid_off", "reemployed", "urban_new", "rural_new", "items", "done", "owed", "complete")
# ... and those counted once the day has passed (due before today: overdue).
BEFORE = ("open_due", "first_open")
CHUNK = 2000

Part = tuple[int, str, int, str, int]  # township, figure, ref, day (ISO), n


def entry_parts(entry_ids: Iterable[int], today: dt.date) -> dict[int, list[Part]]:
    """Each entry's share of the figures, from its rows (entries that no longer exist:
    none). The same definitions as selectors.progress and service_counts."""
    ids = list(entry_ids)
    parts: dict[int, list[Part]] = {}
    where: dict[int, tuple[int, str]] = {}

    def add(pk: int, figure: str, ref: int, day: dt.date, n: int) -> None:
        counts_now = day <= today if figure in UP_TO else day < today
        stored = ALWAYS if counts_now else day
        parts[pk].append((where[pk][0], figure, ref, stored.isoformat(), n))

    entries = LedgerEntry.objects.filter(pk__in=ids).values_list(
        "pk", "township_id", "category", "plant_id", "status", "entered_on"
    )
    for pk, township_id, category, plant_id, status, entered_on in entries.order_by():
        parts[pk] = []
        where[pk] = (township_id, category)
        if category == Category.LAID_OFF and plant_id is not None:
            add(pk, "laid_off", plant_id, entered_on, 1)
            if status == Status.EMPLOYED:
                add(pk, "reemployed", plant_id, entered_on, 1)
    items = (
        ServiceItem.objects.filter(entry_id__in=list(where))
        .values_list("entry_id", "due_on")
        .annotate(total=Count("id"), done=Count("done_on"))
        .order_by()
    )
    per_entry: dict[int, list[tuple[dt.date, int, int]]] = {}
    for entry_id, due_on, total, done in items:
        per_entry.setdefault(entry_id, []).append((due_on, total, done))
    for pk, days in per_entry.items():
        total = sum(t for _, t, _ in days)
        done = sum(d for _, _, d in days)
        add(pk, "items", 0, ALWAYS, total)
        add(pk, "done", 0, ALWAYS, done)
        add(pk, "owed", 0, ALWAYS, 1)
        if done == total:
            add(pk, "complete", 0, ALWAYS, 1)
        open_days = sorted((due, t - d) for due, t, d in days if t > d)
        for due, n in open_days:
            add(pk, "open_due", 0, due, n)
        if open_days:
            add(pk, "first_open", 0, open_days[0][0], 1)
    employed = (
        LedgerEvent.objects.filter(
            entry_id__in=list(where), kind=LedgerEvent.Kind.STATUS, status=Status.EMPLOYED
        )
        .annotate(year=ExtractYear("occurred_on"))
        .values_list("entry_id", "year")
        .annotate(first=Min("occurred_on"))
        .order_by()
    )
    for entry_id, year, first in employed:
        rural = where[entry_id][1] == Category.RURAL_TRANSFER
        add(entry_id, "rural_new" if rural else "urban_new", year, first, 1)
    return parts


UPSERT = """
INSERT INTO employment_screentally (township_id, figure, ref, day, n)
VALUES (%s, %s, %s, %s, %s)
ON CONFLICT (township_id, figure, ref, day) DO UPDATE SET n = employment_screentally.n + excluded.n
"""


def _bump(delta: Counter) -> None:
    # In a fixed order, so that two transactions bumping the same rows do not deadlock.
    rows = [
        (township, figure, ref, dt.date.fromisoformat(day), n)
        for (township, figure, ref, day), n in sorted(delta.items())
        if n
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(UPSERT, rows)


def refresh(entry_ids: Iterable[int], today: dt.date | None = None) -> None:
    """Take back what these entries added and add what they add now (in the caller's
    transaction: the services call it with the entries changed)."""
    ids = sorted(set(entry_ids))
    if not ids:
        return
    today = today or timezone.localdate()
    with transaction.atomic():
        delta: Counter = Counter()
        old = ScreenEntryTally.objects.select_for_update().filter(entry_id__in=ids)
        for parts in old.values_list("parts", flat=True):
            for *key, n in parts:
                delta[tuple(key)] -= n
        new = entry_parts(ids, today)
        for entry_parts_ in new.values():
            for *key, n in entry_parts_:
                delta[tuple(key)] += n
        _bump(delta)
        ScreenEntryTally.objects.filter(entry_id__in=ids).delete()
        ScreenEntryTally.objects.bulk_create(
            ScreenEntryTally(entry_id=pk, parts=[list(p) for p in parts])
            for pk, parts in new.items()
        )


def rebuild(today: dt.date | None = None) -> int:
    """Every tally again from the rows; the number of entries."""
    today = today or timezone.localdate()
    with transaction.atomic():
        ScreenEntryTally.objects.all().delete()
        ScreenTally.objects.all().delete()
        total: Counter = Counter()
        ids = list(LedgerEntry.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), CHUNK):
            parts = entry_parts(ids[start : start + CHUNK], today)
            ScreenEntryTally.objects.bulk_create(
                ScreenEntryTally(entry_id=pk, parts=[list(p) for p in entry_parts_])
                for pk, entry_parts_ in parts.items()
            )
            for entry_parts_ in parts.values():
                for *key, n in entry_parts_:
                    total[tuple(key)] += n
        _bump(total)
    return len(ids)


# Per township, and per plant for the laid off: the figures' (township, plant) rows
# summed in the database, so that a few hundred rows come back whatever the ledger's size.
SUMS = """
SELECT 'township', township_id, figure, SUM(n), SUM(CASE WHEN day < %(today)s THEN n ELSE 0 END)
FROM employment_screentally
WHERE day <= %(today)s AND (figure NOT IN ('urban_new', 'rural_new') OR ref = %(year)s)
GROUP BY township_id, figure
UNION ALL
SELECT 'plant', ref, figure, SUM(n), 0
FROM employment_screentally
WHERE day <= %(today)s AND figure IN ('laid_off', 'reemployed')
GROUP BY ref, figure
"""


def sums(today: dt.date) -> tuple[dict[tuple[int, str], int], dict[tuple[int, str], int]]:
    """Today's figures (the present only: see the docstring): {(township, figure): n}
    and, for the laid off and re-employed, {(plant, figure): n}."""
    with connection.cursor() as cursor:
        cursor.execute(SUMS, {"today": today, "year": today.year})
        rows = cursor.fetchall()
    townships: dict[tuple[int, str], int] = {}
    plants: dict[tuple[int, str], int] = {}
    for by, pk, figure, up_to, before in rows:
        if by == "township":
            townships[pk, figure] = int((before if figure in BEFORE else up_to) or 0)
        else:
            plants[pk, figure] = int(up_to or 0)
    return townships, plants


def figures(today: dt.date) -> tuple[ProgressReport, dict[int, ServiceCounts], ServiceCounts]:
    """The screen's progress and 1+3+1 counts today, as selectors.progress and
    service_counts_by_township give them from the rows."""
    report = ProgressReport(
        year=today.year,
        end=today,
        target=Target.objects.filter(year=today.year).first(),
        county=Progress(),
    )
    by_township: dict[int, ServiceCounts] = {}
    county = ServiceCounts()
    townships, plants = sums(today)
    for (township_id, figure), n in townships.items():
        if figure in SERVICE_FIGURES:
            name = SERVICE_FIGURES[figure]
            for counts in (by_township.setdefault(township_id, ServiceCounts()), county):
                setattr(counts, name, getattr(counts, name) + n)
        else:
            name = {"rural_new": "rural_transfer"}.get(figure, figure)
            for bucket in (
                report.county,
                report.townships.setdefault(township_id, Progress(township_id)),
            ):
                setattr(bucket, name, getattr(bucket, name) + n)
    for (plant_id, figure), n in plants.items():
        plant = report.plants.setdefault(plant_id, Progress())
        setattr(plant, figure, getattr(plant, figure) + n)
    return report, by_township, county


SERVICE_FIGURES = {
    "items": "items_total",
    "done": "items_done",
    "open_due": "items_overdue",
    "first_open": "people_overdue",
    "owed": "people_owed",
    "complete": "people_complete",
}
