"""Benchmarks of the statistics and the Excel ledger (issue #16), `BENCH_ONLY=statistics`
and `BENCH_ONLY=export`.

- statistics: the report page's figures for one month, county-wide
  (reports.selectors.county_report: cases/statistics.py and workflows/statistics.py),
  computed (as after a change to the month: nothing kept) and as read again (the case
  figures kept, reports/kept.py), at
  1,000,000 cases / ~10,000,000 events (the full data set, `laborcase_bench`) against
  the same month at 10,000 cases (`laborcase_bench_stats_10k`); the month is the one in
  the middle of the data sets' two years.
- export: the case ledger workbook (cases.ledger.ledger_file, what /workbench/ledger.xlsx
  streams) of the queue filtered to every case received in a period of ~100,000 cases of
  the full data set, against a period of ~10,000 cases; peak memory of the exporting
  process above its size when idle (Django set up, the modules imported, a first query
  made), sampled every 5 ms, and the time.

`python -m bench.reports statistics|export ...` runs one of them on the data set of
DATABASE_URL and prints one JSON line.
"""

import datetime as dt
import json
import os
import resource
import sys
import threading
import time

FULL_SET, STATS_SMALL = "laborcase_bench", "laborcase_bench_stats_10k"
FULL_CASES, SMALL_CASES, EVENTS = 1_000_000, 10_000, 10
SPAN_DAYS = 730  # bench/generate.py spreads the cases over two years up to today


def ensure_datasets(log=print) -> None:
    from bench import datasets

    datasets.ensure(STATS_SMALL, cases=SMALL_CASES, events=EVENTS, log=log)
    datasets.ensure(FULL_SET, cases=FULL_CASES, events=EVENTS, log=log)


def middle_month(today: dt.date | None = None) -> tuple[int, int]:
    middle = (today or dt.date.today()) - dt.timedelta(days=SPAN_DAYS // 2)
    return middle.year, middle.month


def bench_statistics() -> None:
    from bench.employment import child
    from bench.results import log, result

    year, month = middle_month()
    log(f"\n[8] monthly statistics, county-wide, {year}-{month:02d} (issue #16)")
    small = child("bench.reports", "statistics", STATS_SMALL, str(year), str(month))
    big = child("bench.reports", "statistics", FULL_SET, str(year), str(month))
    ratio = big["median_ms"] / small["median_ms"]
    result(
        "monthly statistics at 1M, computed",
        f"{big['median_ms']:.0f} ms",
        f"{small['median_ms']:.0f} ms at 10k",
        f"{ratio:.2f}x",
        "<= 2000 ms",
        big["median_ms"] <= 2000,
    )
    kept_ratio = big["kept_median_ms"] / small["kept_median_ms"]
    result(
        "monthly statistics at 1M, as read (kept)",
        f"{big['kept_median_ms']:.1f} ms",
        f"{small['kept_median_ms']:.1f} ms at 10k",
        f"{kept_ratio:.2f}x",
        "<= 3x",
        kept_ratio <= 3,
    )
    for name, r in (("1M", big), ("10k", small)):
        log(f"  {name}: {r['note']}")


def bench_export() -> None:
    from bench.employment import child
    from bench.results import log, result

    log("\n[9] Excel case ledger of ~100,000 cases against ~10,000 (issue #16)")
    today = dt.date.today()
    # The cases are spread evenly over the two years: a tenth of them, then a hundredth.
    runs = {}
    for label, days in (("10k", SPAN_DAYS // 100), ("100k", SPAN_DAYS // 10)):
        start = today - dt.timedelta(days=SPAN_DAYS // 2)
        runs[label] = child(
            "bench.reports",
            "export",
            FULL_SET,
            start.isoformat(),
            (start + dt.timedelta(days=days - 1)).isoformat(),
        )
        log(f"  {label}: {runs[label]}")
    big, small = runs["100k"], runs["10k"]
    result(
        f"ledger export of {big['cases']:,} cases: peak memory above idle",
        f"{big['peak_mb']:.0f} MB",
        f"{small['peak_mb']:.0f} MB for {small['cases']:,}",
        f"{big['peak_mb'] / max(small['peak_mb'], 1):.2f}x",
        "<= 150 MB",
        big["peak_mb"] <= 150,
    )
    # Per case, so that the two periods' slightly different counts do not blur it.
    growth = (big["seconds"] / small["seconds"]) * (small["cases"] * 10 / big["cases"])
    result(
        "ledger export time, 100k vs 10k",
        f"{big['seconds']:.1f} s",
        f"{small['seconds']:.2f} s",
        f"{big['seconds'] / small['seconds']:.1f}x ({growth:.1f}x per tenfold)",
        "<= 12x",
        big["seconds"] / small["seconds"] <= 12,
    )


# --- inside Django, on one data set -----------------------------------------------------


def statistics(year: str, month: str) -> dict:
    """The month's report computed (as after a change to one of its cases: nothing kept)
    and as read again (the figures kept, reports/kept.py), three times each."""
    from cases import statistics as case_statistics
    from reports import selectors
    from reports.models import KeptStatistics

    period = case_statistics.Period.month(int(year), int(month))

    def computed():
        KeptStatistics.objects.all().delete()
        return selectors.county_report(period)

    def timed(run) -> tuple[float, dict]:
        started = time.perf_counter()
        report = run()
        return (time.perf_counter() - started) * 1000, report

    computed()
    times, kept_times = [], []
    for _ in range(3):
        elapsed, report = timed(computed)
        times.append(elapsed)
        elapsed, kept_report = timed(lambda: selectors.county_report(period))
        kept_times.append(elapsed)
        assert kept_report == report, "the kept figures differ from those computed"
    counts = report["cases"]["counts"]
    times.sort()
    kept_times.sort()
    shown = ", ".join(f"{k} {counts[k]:,}" for k in ("received", "accepted", "closed", "due"))
    return {
        "median_ms": times[1],
        "times_ms": [round(t) for t in times],
        "kept_median_ms": kept_times[1],
        "note": f"{shown}, closed in time {counts['closed_in_time']:,}, "
        f"on-time rate {report['cases']['on_time_rate']}, {len(report['by_township'])} townships"
        f"; kept {', '.join(f'{t:.1f}' for t in kept_times)} ms",
    }


class PeakRss:
    """The process's resident size, sampled every 5 ms in a thread (the kernel's own
    peak, ru_maxrss, is read as well: it catches what falls between two samples)."""

    def __init__(self):
        self.peak = self.rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @staticmethod
    def rss() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.rss())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.rss())


def export(received_from: str, received_to: str) -> dict:
    import gc

    from django.contrib.auth.models import Group, User

    from cases import ledger, selectors
    from core.models import StaffProfile

    user, _ = User.objects.get_or_create(username="bench_county_inspector")
    user.groups.add(Group.objects.get(name="inspector"))
    StaffProfile.objects.get_or_create(user=user, defaults={"county_level": True})
    filters = selectors.QueueFilters.from_query(
        {"state": "all", "received_from": received_from, "received_to": received_to}
    )
    assert not filters.problems, filters.problems
    cases = selectors.ledger_cases(user, filters)
    count = cases.count()
    # Idle: everything imported and one small workbook written, so what is measured
    # below is what the size of the export costs.
    ledger.ledger_file(selectors.ledger_cases(user, filters)[:5]).close()
    gc.collect()
    idle = PeakRss.rss()
    idle_max = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    started = time.perf_counter()
    with PeakRss() as peak:
        target = ledger.ledger_file(cases)
    seconds = time.perf_counter() - started
    size = target.seek(0, 2)
    target.close()
    max_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    mb = 1024 * 1024
    return {
        "cases": count,
        "seconds": round(seconds, 2),
        "peak_mb": round((max(peak.peak, max_after) - idle) / mb, 1),
        "sampled_peak_mb": round((peak.peak - idle) / mb, 1),
        "maxrss_delta_mb": round((max_after - idle_max) / mb, 1),
        "idle_mb": round(idle / mb, 1),
        "file_mb": round(size / mb, 1),
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    what, *args = sys.argv[1:]
    print(json.dumps({"statistics": statistics, "export": export}[what](*args)))
