"""CPU per filing, in-process: `python -m bench.inproc cpu N` on a bench data set.

A complaint filed through the whole Django stack (Django's test client: the WSGI
handler, every middleware, the API view, the throttle, the follow-up queued on the
broker) against the bare one-row insert view (bench.views) through the same stack, in
the same process and run. time.process_time() counts this process's CPU only: what the
database server and Redis spend is not in either figure (reported apart: queries per
filing). The two are interleaved in rounds so that both see the same machine.

BENCH_PROFILE=path writes a cProfile of the filings (pstats format) for
`python -m pstats path`.
"""

import json
import os
import random
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

TOWNSHIPS = ["xincheng", "zhaokang", "fencheng", "nanjia", "gucheng", "xiangling", "dengzhuang"]
RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def ric(n: int) -> str:
    """A valid ID number, different for every n (area 110105, a birth day, a serial)."""
    import datetime as dt

    born = dt.date(1960, 1, 1) + dt.timedelta(days=(n // 1000) % 14000)
    body = f"110105{born:%Y%m%d}{n % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, RIC_WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def complaint(n: int, *, dangerous: bool = False) -> dict:
    """The body a worker's phone sends; `dangerous`: words the risk rules score red."""
    description = "拖欠工资两个月，多次讨要未果。"
    if dangerous:
        description = "拖欠工资半年，老板跑路了，工友们说要去讨说法，有人扬言要跳楼。"
    return {
        "kind": "wage_arrears",
        "employer": {
            "name": f"襄汾县压测{n % 5000}号建筑工程有限公司",
            "township": TOWNSHIPS[n % len(TOWNSHIPS)],
        },
        "claimants": [
            {
                "name": f"工人{n}",
                "id_number": ric(n),
                "phone": "13900000000",
                "amount_claimed": "8000.00",
                "months_owed": 2,
            }
        ],
        "description": description,
        "sector": "construction",
    }


def id_base() -> int:
    """Serial numbers no earlier run used (an ID number already filed would be a
    duplicate, a different and cheaper path)."""
    return int(time.time() * 10) % 10_000_000 * 1000 + random.randrange(1000)


def cpu(n="300"):
    n = int(n)
    client = Client()
    base = id_base()
    bodies = [json.dumps(complaint(base + i)) for i in range(n + 20)]

    def file(body):
        response = client.post("/api/v1/complaints/", body, content_type="application/json")
        assert response.status_code == 201, (response.status_code, response.content[:300])

    def bare(body):
        response = client.post("/bench/bare/", body, content_type="application/json")
        assert response.status_code == 201, response.status_code

    for body in bodies[:10]:  # warm: imports, rule caches, connections
        file(body)
        bare(body)
    with CaptureQueriesContext(connection) as captured:
        file(bodies[10])
    filing_queries = len(captured)
    with CaptureQueriesContext(connection) as captured:
        bare(bodies[11])
    bare_queries = len(captured)

    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile(time.process_time)
    filing_cpu, bare_cpu = [], []
    for body in bodies[20:]:
        started = time.process_time()
        if profiler:
            profiler.enable()
        file(body)
        if profiler:
            profiler.disable()
        filing_cpu.append((time.process_time() - started) * 1000)
        started = time.process_time()
        bare(body)
        bare_cpu.append((time.process_time() - started) * 1000)
    if profiler:
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    _purge_queue()
    filing_cpu.sort()
    bare_cpu.sort()
    return {
        "filing_ms": sum(filing_cpu) / n,
        "filing_median_ms": filing_cpu[n // 2],
        "bare_ms": sum(bare_cpu) / n,
        "bare_median_ms": bare_cpu[n // 2],
        "filing_queries": filing_queries,
        "bare_queries": bare_queries,
        "n": n,
    }


def _purge_queue():
    """The follow-ups queued here have no worker to run them: drop them (the bench's
    own Redis database) so the next benchmark's worker does not find them."""
    from config.celery import app

    app.control.purge()
