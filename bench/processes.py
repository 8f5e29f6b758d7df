"""The processes the benchmarks start on 127.0.0.1: a gunicorn or daphne server, a
Celery worker, and the in-process benchmarks (bench.inproc) in their own interpreter,
each on one bench data set (bench.db.bench_env).

Split out of bench.run, which keeps the benchmarks themselves and the report.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import db

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn or daphne on 127.0.0.1, bench settings, one data set; daphne serves
    `app` (bench.floor_asgi for benchmark 2's floor)."""

    def __init__(self, kind: str, dbname: str, app: str = "config.asgi:application", **env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        bin_dir = Path(sys.executable).parent
        if kind == "gunicorn":
            cmd = [
                str(bin_dir / "gunicorn"),
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-k",
                "gthread",
                "--workers",
                "2",
                "--threads",
                "8",
            ]
        else:
            cmd = [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                app,
            ]
        self.log = tempfile.NamedTemporaryFile("w+", prefix=f"bench-{kind}-", delete=False)
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=db.bench_env(dbname, **env),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(Path(self.log.name).read_text())
            try:
                urllib.request.urlopen(self.base + "/api/v1/townships/", timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("server did not start: " + Path(self.log.name).read_text())

    def stop(self):
        stop(self.proc, timeout=15)


def stop(proc, timeout: float) -> None:
    """SIGTERM, then SIGKILL if the process has not ended within `timeout` seconds."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# docker-compose.yml's worker command (nice -n 10); BENCH_WORKER_NICE=0 compares without.
WORKER_NICENESS = int(os.environ.get("BENCH_WORKER_NICE", "10"))


class Worker:
    """A Celery worker on the same data set and broker, as production runs one: a new
    complaint's follow-up (risk score, alerts, SMS) is its work, on the same cores."""

    def __init__(self, dbname: str):
        self.dbname = dbname
        # Tasks left over from an interrupted run would count against this one.
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "config", "purge", "-f"],
            cwd=ROOT,
            env=db.bench_env(dbname),
            capture_output=True,
            check=True,
        )
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-worker-", delete=False)
        self.proc = subprocess.Popen(
            [
                # At a lower CPU priority than the web processes, as docker-compose.yml
                # runs it: a peak queues follow-ups, not requests.
                "nice",
                "-n",
                str(WORKER_NICENESS),
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-l",
                os.environ.get("BENCH_WORKER_LOG", "warning"),
            ],
            cwd=ROOT,
            env=db.bench_env(dbname),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def unscored_since(self, since: str) -> tuple[int, int]:
        """(cases received since `since`, how many of them have no risk score yet)."""
        import psycopg

        with psycopg.connect(db.dsn(self.dbname)) as conn:
            return conn.execute(
                "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM"
                " notifications_riskscore r WHERE r.case_id = c.id))"
                " FROM cases_case c WHERE c.received_at >= %s",
                [since],
            ).fetchone()

    def stop(self):
        stop(self.proc, timeout=30)  # a warm shutdown lets the running tasks finish


def inproc(what: str, dbname: str, *args, **env) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.inproc", what, *args],
        cwd=ROOT,
        env=db.bench_env(dbname, **env),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if out.returncode != 0:
        raise RuntimeError(f"bench.inproc {what} failed:\n{out.stdout}\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])
