"""Benchmark 5d: a province's staff online at once, `python -m bench.inproc sockets BASES N
ALERTS` on the 10,000-case data set.

N staff users (bench_crowd_00000, ...; kept in the data set between runs), every one
seeing the whole county (a command screen, or a county-level supervisor at the
workbench), each with one socket: half signed in by a session cookie as a browser is,
half by an API token as a wall display started by a script is, all fresh for the run.
The sockets connect at once (bench/listen.py, several client processes), spread over
the daphne processes in BASES; then ALERTS alerts are committed one after another, each
of which every socket must receive.

Reported: how many connected and failed, the connect rate (the last tenth's against
the first tenth's, which had no other socket to compete with), and the delivery latency
from each alert's commit to its arrival on each socket.
"""

import time

from django.utils import timezone

from bench.clients import Listeners
from bench.results import pct

PREFIX = "bench_crowd_"
# One client process per core: one asyncio process alone cannot keep up with thousands
# of frames an alert while it shares the cores with the servers.
CLIENT_PROCESSES = 2
# One alert at a time: an alert's fan-out to every socket should be done well within the
# gap (the p99 then is one alert's, not a queue's). After the last one, the listeners
# wait DRAIN_SECONDS before they stop: what arrives later is counted as missing.
ALERT_GAP_SECONDS = 2.0
DRAIN_SECONDS = 3.0


def crowd_users(count: int) -> list:
    """The crowd's users, made once: every tenth a command screen, the others
    county-level supervisors (workbench staff who see every alert)."""
    from django.contrib.auth.models import Group, User

    from core.models import StaffProfile

    names = [f"{PREFIX}{i:05d}" for i in range(count)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    missing = [name for name in names if name not in have]
    if missing:
        User.objects.bulk_create([User(username=name) for name in missing], batch_size=1000)
        made = list(User.objects.filter(username__in=missing))
        screen, supervisor = Group.objects.get(name="screen"), Group.objects.get(name="supervisor")
        screens = {f"{PREFIX}{i:05d}" for i in range(0, count, 10)}
        User.groups.through.objects.bulk_create(
            [
                User.groups.through(
                    user_id=u.pk, group_id=(screen if u.username in screens else supervisor).pk
                )
                for u in made
            ],
            batch_size=1000,
        )
        StaffProfile.objects.bulk_create(
            [StaffProfile(user=u, county_level=True) for u in made], batch_size=1000
        )
    return list(User.objects.filter(username__in=names).order_by("username"))


def fresh_sign_ins(users) -> tuple[list[dict], list[str]]:
    """A session (what django.contrib.auth.login stores) for every other user, a knox
    token for the rest: (one sign-in per user for bench/listen.py, the session keys).
    The crowd's tokens of earlier runs are deleted."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils.crypto import get_random_string
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS, knox_settings

    AuthToken.objects.filter(user__in=users).delete()
    now = timezone.now()
    sessions, tokens, sign_ins = [], [], []
    for n, user in enumerate(users):
        if n % 2 == 0:
            key = get_random_string(32)
            data = {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            sessions.append(
                Session(
                    session_key=key,
                    session_data=SessionStore().encode(data),
                    expire_date=now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE),
                )
            )
            sign_ins.append({"cookie": f"{settings.SESSION_COOKIE_NAME}={key}"})
        else:
            digest, token = get_digest_token()
            tokens.append(
                AuthToken(
                    digest=digest,
                    token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH],
                    user=user,
                    expiry=now + knox_settings.TOKEN_TTL,
                )
            )
            sign_ins.append({"token": token})
    Session.objects.bulk_create(sessions, batch_size=1000)
    AuthToken.objects.bulk_create(tokens, batch_size=1000)
    return sign_ins, [session.session_key for session in sessions]


def forget_sign_ins(users, session_keys) -> None:
    from django.contrib.sessions.models import Session
    from knox.models import AuthToken

    AuthToken.objects.filter(user__in=users).delete()
    Session.objects.filter(session_key__in=session_keys).delete()


def sockets(bases: str, count: str, alerts: str) -> dict:
    from django.contrib.auth.models import User

    from bench.inproc import _alert_commit, _cases, latency

    count, alerts = int(count), int(alerts)
    # The baseline first, on the servers with no other socket.
    one = latency(bases.split(",")[0], 30)
    users = crowd_users(count)
    sign_ins, session_keys = fresh_sign_ins(users)
    # As the pages open them: the command screen with its figures, the alerts page
    # (workbench staff) without (notifications.audience.FIGURES_GROUP).
    screen_users = User.objects.filter(username__startswith=PREFIX, groups__name="screen")
    screens = set(screen_users.values_list("pk", flat=True))
    for user, sign_in in zip(users, sign_ins, strict=True):
        sign_in["path"] = "/ws/alerts/" if user.pk in screens else "/ws/alerts/?figures=0"
    started = time.perf_counter()
    listeners = Listeners(bases, sign_ins=sign_ins, processes=CLIENT_PROCESSES)
    hello_at = sorted(listeners.hello_at)
    sent: dict[int, float] = {}
    try:
        for case_id in _cases(alerts):
            _alert_commit([case_id], sent)
            time.sleep(ALERT_GAP_SECONDS)
        time.sleep(DRAIN_SECONDS)
    finally:
        received = listeners.stop()
        forget_sign_ins(users, session_keys)
    times, missing = [], 0
    for alert_id, at in sent.items():
        arrivals = received.get(alert_id, [])
        missing += len(hello_at) - len(arrivals)
        times += [(arrival - at) * 1000 for arrival in arrivals]
    tenth = max(len(hello_at) // 10, 2)
    return {
        "connected": len(hello_at),
        "failed": listeners.failed,
        "connect_seconds": (hello_at[-1] - started) if hello_at else float("nan"),
        "rate": len(hello_at) / (hello_at[-1] - started) if hello_at else 0.0,
        "first_tenth_rate": _rate(hello_at[:tenth]),
        "last_tenth_rate": _rate(hello_at[-tenth:]),
        "alerts": len(sent),
        "deliveries": len(times),
        "missing": missing,
        "p50_ms": pct(times, 50),
        "p99_ms": pct(times, 99),
        "max_ms": max(times, default=float("nan")),
        "one_p99_ms": one["p99_ms"],
    }


def _rate(hellos: list[float]) -> float:
    """Sockets a second over a run of consecutive hellos."""
    return (len(hellos) - 1) / (hellos[-1] - hellos[0]) if hellos[-1] > hellos[0] else 0.0
