"""Throwaway Redis and PostgreSQL servers that a fault test may stop and start.

The machine's own servers (Redis 6379, PostgreSQL 5432) are shared with every other test
and engineer: the fault tests never touch them. Each server here listens on a free port,
keeps its files in a temporary directory and is removed by the fixture that made it,
whatever the test did.

PostgreSQL refuses to run as root, and CI runs as root: there the cluster is created and
run as the `postgres` OS user (runuser), in a directory that user owns.
"""

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

from bench.cluster import pg_running, postgres_bin, run_as_postgres
from tests.notifications.servers import free_port, server_env


class ThrowawayRedis:
    """A redis-server with no persistence on a free port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["redis-cli", "-h", "127.0.0.1", "-p", str(self.port), *args],
            capture_output=True,
            text=True,
            timeout=10,
        )

    def is_up(self) -> bool:
        return self.cli("ping").stdout.strip() == "PONG"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
            timeout=10,
        )
        _wait(self.is_up, "throwaway redis did not start")

    def stop(self) -> None:
        self.cli("shutdown", "nosave")
        _wait(lambda: not self.is_up(), "throwaway redis did not stop")


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own (trust auth, no fsync) on a free port."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="laborcase-faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        run_as_postgres(
            postgres_bin("initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self, settings: tuple[str, ...] = ()) -> None:
        """settings: more `name=value` server settings, each passed as `-c`."""
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        ) + "".join(f" -c {setting}" for setting in settings)
        run_as_postgres(
            postgres_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """mode "immediate" is a crash: no checkpoint, recovery from the WAL on start."""
        run_as_postgres(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        return pg_running(self.data)

    def psql(self, database: str, sql: str) -> str:
        result = subprocess.run(
            ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", self.url(database), "-c", sql],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout.strip()

    def remove(self) -> None:
        if self.data.exists() and self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def _wait(condition, message: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise RuntimeError(message)


# One personal-data key for every process of a test run, as every process of one
# deployment shares its keys: a key per call left the scan_alerts command unable to
# decrypt what gunicorn had written (a case whose query code still waited, encrypted,
# for its confirmation text was then never scored by the scan).
PII_KEYS = Fernet.generate_key().decode()


def production_env(database_url: str, redis_url: str | None = None) -> dict:
    """Environment for a server process configured as in production (DEBUG off, plain
    http), on the given database and Redis, with rate limits out of the way."""
    env = server_env(Path("unused.sqlite3"), redis_url)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        HTTPS="0",
        SECRET_KEY="faults-test-" + "k" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        LABORCASE_PII_KEYS=PII_KEYS,
        LABORCASE_PII_INDEX_KEY="faults-test-index-key",
        LABORCASE_AUDIT_KEYS="faults-test-audit-key",
        LABORCASE_THROTTLE_COMPLAINTS="100000/min",
    )
    return env
