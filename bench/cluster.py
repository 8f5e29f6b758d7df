"""The bench's own PostgreSQL, run as docker-compose.yml runs production's.

The bench used to measure the machine's PostgreSQL as it found it, and a machine's
PostgreSQL often runs with the default 128 MB of shared buffers. There, a staff search
by a common name at 1M read most of its 670 pages from disk and took 2.9-4.4 times its
time at 10k; with the 1 GB that production has, 1.0-1.6 times (docs/performance.md, "Staff
search, sixth pass"). So `make bench` starts a cluster of its own with the compose
file's PostgreSQL settings (shared_buffers, effective_cache_size, pg_prewarm), on a free
port, and stops it at the end. Its data sets stay in BENCH_PG_DIR between runs.

BENCH_PG=postgres://user@host:port benches that server instead (the machine's own,
say), as before.
"""

import glob
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import yaml

from bench.processes import free_port

ROOT = Path(__file__).resolve().parent.parent
DIR = Path(os.environ.get("BENCH_PG_DIR", "/var/tmp/laborcase-bench-pg"))


def compose_postgres_settings() -> tuple[str, ...]:
    """The `-c name=value` settings of docker-compose.yml's postgres service, each
    `${VAR:-default}` at its default."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["postgres"]["command"]
    if command[0] != "postgres" or command[1::2] != ["-c"] * len(command[2::2]):
        raise ValueError(f"docker-compose.yml: postgres command not `postgres -c ...`: {command}")
    return tuple(re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", setting) for setting in command[2::2])


def postgres_bin(name: str) -> str | None:
    """The server binaries live outside PATH on Debian (/usr/lib/postgresql/<v>/bin)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else shutil.which(name)


def run_as_postgres(*command: str, check: bool = True) -> subprocess.CompletedProcess:
    """A server command; as root, as the `postgres` OS user (PostgreSQL refuses root)."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if check and result.returncode != 0:
        raise RuntimeError(f"{command} failed:\n{result.stdout}\n{result.stderr}")
    return result


def pg_running(data: Path) -> bool:
    """Whether a PostgreSQL server runs on the data directory `data`."""
    if not (data / "postmaster.pid").exists():
        return False
    return (
        run_as_postgres(postgres_bin("pg_ctl"), "-D", str(data), "status", check=False).returncode
        == 0
    )


class Cluster:
    """A PostgreSQL cluster in DIR/data, trust authentication on 127.0.0.1 only. As root
    (CI, these machines) it is created and run as the `postgres` OS user, which
    PostgreSQL demands."""

    def __init__(self, directory: Path = DIR):
        self.dir = directory
        self.data = directory / "data"
        self.log = directory / "server.log"
        self.as_postgres = os.geteuid() == 0
        self.port = 0

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def start(self, log=print) -> str:
        """Create the cluster if it does not exist, start it; its URL."""
        if postgres_bin("initdb") is None:
            raise RuntimeError("PostgreSQL's server binaries (initdb, pg_ctl) are not installed")
        self.dir.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        if not (self.data / "PG_VERSION").exists():
            log(f"creating the bench's PostgreSQL cluster in {self.data}")
            run_as_postgres(
                postgres_bin("initdb"),
                *("-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"),
                "--locale=C.UTF-8",
            )
        if pg_running(self.data):
            as_user = "runuser -u postgres -- " if self.as_postgres else ""
            raise RuntimeError(
                f"the bench's PostgreSQL in {self.data} is running: another make bench? "
                "Give this one a folder of its own (BENCH_PG_DIR=...) or a server "
                f"(BENCH_PG=...), or stop it: {as_user}{postgres_bin('pg_ctl')} -D {self.data} stop"
            )
        self.port = free_port()
        compose = compose_postgres_settings()
        settings = ("listen_addresses=127.0.0.1", *compose)
        options = f"-p {self.port} -k {self.dir} " + " ".join(f"-c {s}" for s in settings)
        started = time.monotonic()
        run_as_postgres(
            postgres_bin("pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start"),
        )
        log(
            f"the bench's PostgreSQL on port {self.port}, as docker-compose.yml runs it "
            f"({', '.join(compose)}), started in "
            f"{time.monotonic() - started:.1f} s"
        )
        return self.url

    def stop(self) -> None:
        """A fast shutdown, during which pg_prewarm writes its list of cached pages."""
        run_as_postgres(postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
