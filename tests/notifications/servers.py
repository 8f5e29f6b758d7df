"""Real server processes for the multi-process and browser tests.

The servers get their own file SQLite database (migrated once per test session, then
copied per test), never pytest-django's test database: an in-memory SQLite test database
is invisible to another process, and a shared PostgreSQL test database would be flushed
under the servers' feet. Data the test needs (staff users, tokens) is created through
`manage.py shell` in the same database the servers use.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "screen-pass-2026"

SETUP_USERS = f"""
from django.contrib.auth.models import Group, User
from knox.models import AuthToken
from core.models import StaffProfile, Township
tokens = {{}}
for name, role, county in [("screen", "screen", False), ("insp", "inspector", False), ("sup", "supervisor", True)]:
    user = User.objects.create_user(name, password="{PASSWORD}")
    user.groups.add(Group.objects.get(name=role))
    profile = StaffProfile.objects.create(user=user, county_level=county)
    if role == "inspector":
        profile.townships.set(Township.objects.filter(code="xincheng"))
    tokens[name] = AuthToken.objects.create(user=user)[1]
import json
print("TOKENS=" + json.dumps(tokens))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_path: Path, redis_url: str | None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="true",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {args} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def prepare_database(template_dir: Path) -> tuple[Path, dict]:
    """A migrated database with users screen/insp/sup and their API tokens."""
    db_path = template_dir / "template.sqlite3"
    env = server_env(db_path, None)
    manage(env, "migrate", "--noinput", "-v", "0")
    out = manage(env, "shell", stdin=SETUP_USERS)
    tokens = json.loads(out.split("TOKENS=", 1)[1].strip().splitlines()[0])
    return db_path, tokens


def copy_database(template: Path, target_dir: Path) -> Path:
    target = target_dir / "server.sqlite3"
    shutil.copyfile(template, target)
    return target


@contextmanager
def daphne(env: dict, log_dir: Path, name: str = "daphne", runserver: bool = False):
    """One ASGI server process serving config.asgi (HTTP and WebSocket) on a free port:
    daphne itself, or (runserver=True) Django's runserver on daphne, which also serves
    the static files a browser needs."""
    port = free_port()
    log = open(log_dir / f"{name}-{port}.log", "w")
    command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
    command.append("config.asgi:application")
    if runserver:
        command = [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, log_dir / f"{name}-{port}.log")
        yield base
    finally:
        stop(process, timeout=10)
        log.close()


def stop(process, timeout: float) -> None:
    """Ask the process to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_serving(base: str, process, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(base + "/api/v1/townships/", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"server did not start:\n{log_path.read_text()}")


def post_json(url: str, body: dict, token: str | None = None) -> tuple[int, dict]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def red_complaint(n: int = 1, employer: str = "襄汾县远航建筑工程有限公司") -> dict:
    """A complaint that goes red at once: the workers are at the petition office."""
    from tests.notifications.support import id_number

    return {
        "kind": "wage_arrears",
        "employer": {"name": employer, "address": "新城镇建设路8号", "township": "xincheng"},
        "claimants": [
            {
                "name": f"工人{i}",
                "id_number": id_number(500 + n * 20 + i),
                "phone": f"1390000{n:02d}{i:02d}",
                "amount_claimed": "9000.00",
                "months_owed": 3,
                "is_representative": i < 3,
            }
            for i in range(12)
        ],
        "description": "工地拖欠十二名工人三个月工资，工人已到县信访局，扬言要爬塔吊。",
        "sector": "construction",
    }


@contextmanager
def gunicorn(env: dict, log_dir: Path, name: str = "gunicorn", workers: int = 2, threads: int = 4):
    """config.wsgi under gunicorn's threaded workers on a free port, as production serves
    HTTP (Dockerfile); WebSockets stay with daphne. Yields the base URL and the log path."""
    port = free_port()
    log_path = log_dir / f"{name}-{port}.log"
    log = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-k",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, process, log_path)
        yield base, log_path
    finally:
        stop(process, timeout=10)
        log.close()


@contextmanager
def celery_worker(env: dict, log_dir: Path, name: str = "worker"):
    """A Celery worker on the servers' broker, as production runs one (docker-compose
    `worker`): new complaints' scoring and SMS are its work. Ready when it answers a ping."""
    log_path = log_dir / f"{name}.log"
    log = open(log_path, "w")
    base = [sys.executable, "-m", "celery", "-A", "config"]
    process = subprocess.Popen(
        [*base, "worker", "-l", "warning", "--concurrency", "1", "-n", f"{name}@%h"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"celery worker exited:\n{log_path.read_text()}")
            ping = subprocess.run(
                [*base, "inspect", "ping", "-d", f"{name}@{socket.gethostname()}", "-t", "1"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if ping.returncode == 0:
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"celery worker did not start:\n{log_path.read_text()}")
        yield log_path
    finally:
        stop(process, timeout=15)
        log.close()
