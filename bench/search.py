"""Staff search at scale: `python -m bench.inproc search N` on a bench data set.

What an officer types into the workbench's search box to find a case: a worker's name,
ID number or phone, an employer's name, a case number. Each search is timed as the queue
page runs it (cases.selectors.case_queue, all states, through Django's paginator: the
count and the first page, with every column the page shows), as a county-level
inspector who sees every township. The targets are cases picked at random from the
data set; every search must find its target (checked after the timing).
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

    results = {}
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
