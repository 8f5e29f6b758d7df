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
    """WebSocket clients in processes of their own (bench/listen.py), `sockets` sockets
    split over `processes` processes and spread over the servers in `bases` (comma
    separated), as a load balancer in front of several daphne processes would."""

    def __init__(self, bases, token, sockets, processes=1):
        from pathlib import Path

        root = Path(__file__).resolve().parent.parent
        shares = [sockets // processes + (i < sockets % processes) for i in range(processes)]
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-m", "bench.listen", token, str(share), *bases.split(",")],
                cwd=root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for share in shares
        ]
        for proc in self.procs:
            line = proc.stdout.readline()
            if line.strip() != "ready":
                self.kill()
                raise RuntimeError(f"bench.listen did not start: {line!r}")

    def stop(self) -> dict[int, list[float]]:
        """Every alert id with the arrival time of each copy received."""
        received: dict[int, list[float]] = {}
        for proc in self.procs:
            proc.stdin.write("stop\n")
            proc.stdin.flush()
        for proc in self.procs:
            out, _ = proc.communicate(timeout=120)
            for alert_id, times in json.loads(out.strip().splitlines()[-1]).items():
                received.setdefault(int(alert_id), []).extend(times)
        return received

    def kill(self):
        for proc in self.procs:
            proc.kill()
