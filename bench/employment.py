"""Benchmarks of the re-employment ledger (issue #14), `BENCH_ONLY=ledger`.

Two data sets (bench/ledger_data.py): 100,000 ledger entries with their history, and
1,000 as the baseline in the same run. Measured in a process of its own on each:

- the 1+3+1 overdue scan the alert task runs every minute
  (notifications.ledger_alerts.service_overdue_scan), after one full run: the minute's
  run (what changed since the last one), the day's first run (the items that fell due
  the day before) and the full reconcile (hourly and nightly);
- the command screen's employment figures computed fresh
  (employment.selectors._screen_summary, what screen_summary caches);
- the monthly dispatch of the 13 townships (employment.figures.monthly_dispatch).

`python -m bench.employment scan|screen|dispatch` runs one of them on the data set of
DATABASE_URL and prints one JSON line.
"""

import json
import os
import subprocess
import sys
import time

LEDGER_BIG, LEDGER_SMALL = "laborcase_bench_ledger_100k", "laborcase_bench_ledger_1k"
BIG_ENTRIES, SMALL_ENTRIES = 100_000, 1_000
# The cases beside the ledger (plants' employers, the alerts table): the same in both.
LEDGER_CASES = 2000


def ensure_datasets(log=print) -> None:
    from bench import datasets
    from bench.ledger_data import generate_ledger

    for name, entries in ((LEDGER_SMALL, SMALL_ENTRIES), (LEDGER_BIG, BIG_ENTRIES)):
        datasets.ensure(
            name,
            cases=LEDGER_CASES,
            events=3,
            extra=lambda dsn, n=entries: generate_ledger(dsn, entries=n, log=log),
            extra_key=f"ledger={entries}",
            modules=("ledger_data.py",),
            log=log,
        )


def child(module: str, what: str, dbname: str, *args: str) -> dict:
    """One measurement in its own interpreter on the data set `dbname`."""
    from bench import db

    out = subprocess.run(
        [sys.executable, "-m", module, what, *args],
        cwd=db.ROOT,
        env=db.bench_env(dbname),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{module} {what} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_ledger() -> None:
    from bench.results import log, result

    log("\n[7] re-employment ledger: 100,000 entries against 1,000 (issue #14)")
    for what, label in (("scan", "1+3+1 overdue scan"), ("screen", "screen employment figures")):
        small = child("bench.employment", what, LEDGER_SMALL)
        big = child("bench.employment", what, LEDGER_BIG)
        ratio = big["median_ms"] / small["median_ms"]
        result(
            f"{label} at 100k (median)",
            f"{big['median_ms']:.1f} ms (p95 {big['p95_ms']:.1f})",
            f"{small['median_ms']:.1f} ms at 1k",
            f"{ratio:.2f}x",
            "<= 100 ms and <= 2x",
            big["median_ms"] <= 100 and ratio <= 2,
        )
        log(f"  100k: {big.get('note', '')}; 1k: {small.get('note', '')}")
        if what == "scan":
            _scan_other_runs(big, small)
    small = child("bench.employment", "dispatch", LEDGER_SMALL)
    big = child("bench.employment", "dispatch", LEDGER_BIG)
    result(
        "monthly dispatch, 13 townships, at 100k (median)",
        f"{big['median_ms']:.0f} ms",
        f"{small['median_ms']:.0f} ms at 1k",
        f"{big['median_ms'] / small['median_ms']:.2f}x",
        "<= 1000 ms",
        big["median_ms"] <= 1000,
    )
    log(f"  100k: {big.get('note', '')}")


def _scan_other_runs(big: dict, small: dict) -> None:
    """The scan's day's first run and its full reconcile: reported, bound by 100 ms only
    (they read what a day brings, and every overdue person: both grow with the ledger)."""
    from bench.results import log, result

    for key, label in (("day_first", "day's first run"), ("full", "full reconcile")):
        b, s = big[key], small[key]
        result(
            f"1+3+1 overdue scan, {label}, at 100k (median)",
            f"{b['median_ms']:.1f} ms (p95 {b['p95_ms']:.1f})",
            f"{s['median_ms']:.1f} ms at 1k",
            f"{b['median_ms'] / s['median_ms']:.2f}x",
            "<= 100 ms",
            b["median_ms"] <= 100,
        )
        if b.get("note"):
            log(f"  100k: {b['note']}; 1k: {s['note']}")


# --- inside Django, on one data set -----------------------------------------------------


def _timed(fn, n: int) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(times: list[float], note: str = "") -> dict:
    from bench.results import pct

    return {"median_ms": pct(times, 50), "p95_ms": pct(times, 95), "note": note}


def _rolled_back(fn):
    """fn in a transaction rolled back afterwards: each timed run starts from the same
    alerts (a run that raises alerts would otherwise leave the next nothing to do)."""
    from django.db import transaction

    def run():
        with transaction.atomic():
            fn()
            transaction.set_rollback(True)

    return run


def scan() -> dict:
    """The minute's run (what changed since the last one), the day's first run (the items
    that fell due the day before) and the full reconcile (hourly and nightly)."""
    import datetime as dt

    from django.core.cache import cache
    from django.db.models import Count
    from django.utils import timezone

    from employment.models import LedgerEntry, ServiceItem
    from notifications import ledger_alerts
    from notifications.models import Alert

    started = time.perf_counter()
    first = ledger_alerts.service_overdue_scan(full=True)
    first_ms = (time.perf_counter() - started) * 1000
    times = _timed(ledger_alerts.service_overdue_scan, 100)
    mark = cache.get(ledger_alerts.mark_key())
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    def day_first():
        cache.set(ledger_alerts.mark_key(), {**mark, "day": yesterday})
        ledger_alerts.service_overdue_scan()

    day_times = _timed(_rolled_back(day_first), 10)
    cache.set(ledger_alerts.mark_key(), mark)
    full_times = _timed(_rolled_back(lambda: ledger_alerts.service_overdue_scan(full=True)), 10)
    open_alerts = Alert.objects.filter(reason=ledger_alerts.REASON, status="open").aggregate(
        n=Count("id")
    )["n"]
    fell_due = ServiceItem.objects.filter(done_on__isnull=True, due_on=yesterday).count()
    note = (
        f"{LedgerEntry.objects.count():,} entries, {open_alerts:,} people overdue; first run "
        f"(catch-up) {first_ms:.0f} ms raising {len(first)}"
    )
    return {
        **_summary(times, note),
        "day_first": _summary(day_times, f"{fell_due:,} items fell due yesterday"),
        "full": _summary(full_times),
    }


def screen() -> dict:
    from django.utils import timezone

    from employment import selectors

    today = timezone.localdate()
    _timed(lambda: selectors._screen_summary(today), 3)
    times = _timed(lambda: selectors._screen_summary(today), 20)
    figures = selectors._screen_summary(today)
    note = (
        f"laid off {figures['reemployment']['laid_off']:,}, re-employed "
        f"{figures['reemployment']['reemployed']:,}, items overdue "
        f"{figures['services']['items_overdue']:,}"
    )
    return _summary(times, note)


def dispatch() -> dict:
    from django.utils import timezone

    from employment import figures

    today = timezone.localdate()
    run = lambda: figures.monthly_dispatch(year=today.year, month=today.month)  # noqa: E731
    _timed(run, 2)
    times = _timed(run, 5)
    report = run()
    ranked = ", ".join(f"{r.rank}.{r.township.code}" for r in report.rows[:3])
    return _summary(times, f"{len(report.rows)} townships ranked ({ranked}, ...)")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    what = sys.argv[1]
    print(json.dumps({"scan": scan, "screen": screen, "dispatch": dispatch}[what]()))
