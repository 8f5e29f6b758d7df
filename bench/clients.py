"""The benchmarks' clients: a staff user with an API token, and WebSocket listeners in
processes of their own (bench/listen.py). Used inside Django (bench.settings)."""

import json
import subprocess
import sys


def bench_user(username="bench_screen", role="screen"):
    from django.contrib.auth.models import Group, User
    from knox.models import AuthToken

    from core.models import StaffProfile

    user, _ = User.objects.get_or_create(username=username)
    user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.get_or_create(user=user, defaults={"county_level": True})
    # A fresh API token per run: knox stores only its digest, so an old one cannot be
    # read back; it expires after 30 idle minutes (settings.REST_KNOX).
    _instance, token = AuthToken.objects.create(user=user)
    return user, token


class Listeners:
    """WebSocket clients in processes of their own (bench/listen.py), one socket per
    entry of `sign_ins` ({"token": ...} or {"cookie": ...}), split over `processes`
    processes and spread over the servers in `bases` (comma separated), as a load
    balancer in front of several daphne processes would. `token` and `sockets`: that
    many sockets signed in with one token."""

    def __init__(self, bases, token=None, sockets=0, processes=1, sign_ins=None):
        import tempfile
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent
        sign_ins = sign_ins if sign_ins is not None else [{"token": token}] * sockets
        self.procs, self.hello_at, self.failed, files = [], [], {}, []
        for i in range(processes):
            with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
                json.dump(sign_ins[i::processes], file)
            files.append(Path(file.name))
            self.procs.append(
                subprocess.Popen(
                    [sys.executable, "-m", "bench.listen", file.name, *bases.split(",")],
                    cwd=root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
            )
        for proc in self.procs:
            line = proc.stdout.readline()
            if not line.startswith("ready "):
                self.kill()
                raise RuntimeError(f"bench.listen did not start: {line!r}")
            opened = json.loads(line.removeprefix("ready "))
            self.hello_at += opened["hello_at"]
            for reason, count in opened["failed"].items():
                self.failed[reason] = self.failed.get(reason, 0) + count
        for path in files:  # read by now (the tokens in them stay valid for the run)
            path.unlink()

    def stop(self) -> dict[int, list[float]]:
        """Every alert id with the arrival time of each copy received."""
        received: dict[int, list[float]] = {}
        for proc in self.procs:
            proc.stdin.write("stop\n")
            proc.stdin.flush()
        for proc in self.procs:
            out, _ = proc.communicate(timeout=300)
            for alert_id, times in json.loads(out.strip().splitlines()[-1]).items():
                received.setdefault(int(alert_id), []).extend(times)
        return received

    def kill(self):
        for proc in self.procs:
            proc.kill()
