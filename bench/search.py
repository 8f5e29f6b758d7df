"""Staff search at scale: `python -m bench.inproc search N` on a bench data set.

What an officer types into the workbench's search box to find a case: a worker's name,
ID number or phone, an employer's name, a case number. Each search is timed as the queue
page runs it (cases.selectors.case_queue, all states, through Django's paginator: the
count and the first page, with every column the page shows), as a county-level
inspector who sees every township. The targets are cases picked at random from the
data set; every search must find its target (checked after the timing).

Before the timed searches, at each size, what every search reads per case it finds is
loaded into PostgreSQL's shared buffers (pg_prewarm), as a server that has been serving
staff holds it: the cases and their key, the claims and their indexes by worker and by
case, the workers' name index (674 MB at 1M). Only when it fits: on a server with less
memory for it (PostgreSQL's default 128 MB) the searches read their pages as they
find them, and the bench says so (docs/performance.md, "Staff search, sixth pass").
"""

import random
import time

from bench.results import pct

KINDS = ("worker name", "ID number", "phone", "employer name", "case number")


def _targets(n: int) -> list[dict]:
    from cases.models import Case, Claim

    last = Case.objects.order_by("-id").values_list("id", flat=True).first()
    rnd = random.Random(19)
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


# What a search reads for each case it finds (see the module's docstring).
_HOT_RELATIONS = """
    SELECT oid FROM pg_class WHERE oid IN ('cases_case'::regclass, 'cases_claim'::regclass)
    UNION
    SELECT i.indexrelid FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
    WHERE (i.indrelid = 'cases_case'::regclass AND i.indisprimary)
       OR (i.indrelid = 'cases_claim'::regclass AND a.attname IN ('person_id', 'case_id'))
       OR (i.indrelid = 'cases_person'::regclass AND a.attname = 'name' AND am.amname = 'btree')
"""


def load_into_buffers() -> dict:
    """Load _HOT_RELATIONS into shared buffers if they fit in three quarters of them (a
    quarter left for what the other queries read)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sum(pg_relation_size(oid)), pg_size_bytes(current_setting('shared_buffers')),"
            f" current_setting('shared_buffers') FROM ({_HOT_RELATIONS}) hot"
        )
        size, buffers, shown = cursor.fetchone()
        loaded = size <= buffers * 3 / 4
        if loaded:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(f"SELECT sum(pg_prewarm(oid, 'buffer')) FROM ({_HOT_RELATIONS}) hot")
    return {
        "mb": round(size / 2**20),
        "shared_buffers": shown,
        "loaded": loaded,
        "seconds": round(time.perf_counter() - started, 1),
    }


def search(n="30"):
    from django.core.paginator import Paginator

    from bench.clients import bench_user
    from cases import selectors
    from cases.views.workbench import PAGE_SIZE

    n = int(n)
    inspector, _ = bench_user("bench_inspector", "inspector")
    targets = _targets(n + 3)

    def run(text):
        filters = selectors.QueueFilters.from_query({"q": text, "state": "all"})
        page = Paginator(selectors.case_queue(inspector, filters), PAGE_SIZE).get_page(1)
        return page.paginator.count, [case.pk for case in page]

    results: dict = {"buffers": load_into_buffers()}
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
