"""Staff search at scale: `python -m bench.inproc search N` on a bench data set.

What an officer types into the workbench's search box to find a case: a worker's name,
ID number or phone, an employer's name, a case number. Each search is timed as the queue
page runs it (cases.selectors.case_queue, all states, through Django's paginator: the
count and the first page, with every column the page shows), as a county-level
inspector who sees every township. The targets are cases picked at random from the
data set; every search must find its target (checked after the timing).

The timed searches run with the tables they read in the operating system's file cache,
as on a server that has been serving staff: a common name's search reads about 200 cases
spread over the 1M table, and on a page the machine has given back to its disk each read
costs 20-100 us, not 4 (docs/performance.md, "Staff search, sixth pass"). What the same
search costs on the pages as found is measured first, on other names, and reported.
"""

import random
import time

from bench.results import pct

KINDS = ("worker name", "ID number", "phone", "employer name", "case number")


def _targets(n: int, seed: int = 19) -> list[dict]:
    from cases.models import Case, Claim

    last = Case.objects.order_by("-id").values_list("id", flat=True).first()
    rnd = random.Random(seed)
    targets: list[dict] = []
    while len(targets) < n:
        ids = [rnd.randint(1, last) for _ in range(n * 2)]
        claims = (
            Claim.objects.filter(case_id__in=ids)
            .select_related("case__employer", "person")
            .order_by("case_id", "id")
        )
        seen = set()
        for claim in claims:
            if claim.case_id in seen or len(targets) == n:
                continue
            seen.add(claim.case_id)
            employer = claim.case.employer.name
            targets.append(
                {
                    "case_id": claim.case_id,
                    "worker name": claim.person.name,
                    "ID number": claim.person.id_number,
                    "phone": claim.person.phone,
                    # What an officer would type: the distinctive part of the name.
                    "employer name": employer.removeprefix("襄汾县").removesuffix("有限公司"),
                    "case number": claim.case.number,
                }
            )
    return targets


# The tables a staff search reads (cases.search, the queue's page), with their indexes.
SEARCHED_TABLES = ("cases.Case", "cases.Claim", "core.Person", "core.Employer")


def warm_file_cache() -> dict:
    """Read SEARCHED_TABLES and their indexes into the operating system's file cache
    (pg_prewarm's 'read' mode, not PostgreSQL's shared buffers); what was read and how
    long it took, or why it could not."""
    from django.apps import apps
    from django.db import connection

    tables = [apps.get_model(label)._meta.db_table for label in SEARCHED_TABLES]
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                """SELECT coalesce(sum(pg_prewarm(c.oid, 'read')), 0)
                   FROM pg_class c
                   WHERE c.oid = ANY(%(tables)s::regclass[])
                      OR c.oid IN (SELECT indexrelid FROM pg_index
                                   WHERE indrelid = ANY(%(tables)s::regclass[]))""",
                {"tables": tables},
            )
            blocks = cursor.fetchone()[0]
            cursor.execute("SELECT current_setting('shared_buffers')")
            shared_buffers = cursor.fetchone()[0]
    except Exception as error:  # not a superuser, or PostgreSQL without its contrib
        return {"error": str(error).splitlines()[0]}
    return {
        "mb": round(blocks * 8192 / 2**20),
        "seconds": round(time.perf_counter() - started, 1),
        "shared_buffers": shared_buffers,
    }


def search(n="30", as_found_n="20"):
    from django.core.paginator import Paginator

    from bench.clients import bench_user
    from cases import selectors
    from cases.views.workbench import PAGE_SIZE

    n, as_found_n = int(n), int(as_found_n)
    inspector, _ = bench_user("bench_inspector", "inspector")
    targets = _targets(n + 3)

    def run(text):
        filters = selectors.QueueFilters.from_query({"q": text, "state": "all"})
        page = Paginator(selectors.case_queue(inspector, filters), PAGE_SIZE).get_page(1)
        return page.paginator.count, [case.pk for case in page]

    # Before the file cache is warmed: names of other cases than the timed ones.
    as_found = []
    for target in _targets(as_found_n, seed=20):
        started = time.perf_counter()
        run(target["worker name"])
        as_found.append((time.perf_counter() - started) * 1000)
    results = {
        "as found": {"p95_ms": pct(as_found, 95), "median_ms": pct(as_found, 50)},
        "file cache": warm_file_cache(),
    }
    for kind in KINDS:
        for target in targets[:3]:  # warm: plans, caches
            run(target[kind])
        times, counts = [], []
        for target in targets[3:]:
            started = time.perf_counter()
            count, _ids = run(target[kind])
            times.append((time.perf_counter() - started) * 1000)
            counts.append(count)
        missed = 0
        for target in targets[3:]:
            filters = selectors.QueueFilters.from_query({"q": target[kind], "state": "all"})
            queue = selectors.case_queue(inspector, filters)
            missed += not queue.filter(pk=target["case_id"]).exists()
        results[kind] = {
            "p95_ms": pct(times, 95),
            "median_ms": pct(times, 50),
            "found_median": pct(counts, 50),
            "missed": missed,
        }
    return results
