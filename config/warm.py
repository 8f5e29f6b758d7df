"""What a web process does once, just after it starts, so that the first complaints it
takes after a (re)start do not wait for it.

The first complaint a fresh gunicorn worker took cost 80-90 ms against 10-13 ms for the
next (docs/performance.md, benchmark 1): python-stdnum's table of area codes read and
parsed (about 50 ms, core.validators), the Celery app finalized and the broker's
connection opened for the complaint's follow-up (about 50-100 ms,
notifications.tasks.enqueue). At a peak those first requests were the slowest of the
run. The channel layer's sender is warmed apart (notifications.wire.warm).

In a thread of its own: the process serves at once, and a broker that is down delays
nothing (the first follow-up then connects, or runs in the request, as before).
"""

import logging
import threading

logger = logging.getLogger(__name__)

# An area code the table knows (襄汾县): reading it loads the whole table.
KNOWN_AREA_CODE = "141023"


def warm_web() -> threading.Thread:
    thread = threading.Thread(target=_warm, name="laborcase-warm", daemon=True)
    thread.start()
    return thread


def _warm() -> None:
    from core import validators

    try:
        validators._area_code_ever_existed(KNOWN_AREA_CODE)
    except Exception:  # warming is an optimisation: the first request does it then
        logger.warning("area code table not loaded at start", exc_info=True)
    _warm_broker()


def _warm_broker() -> None:
    from config.celery import app

    app.tasks  # noqa: B018 - finalizes the app: every task bound once, not on first use
    if app.conf.task_always_eager:  # no broker: follow-ups run in the request
        return
    try:
        with app.producer_or_acquire() as producer:
            producer.connection.ensure_connection(max_retries=1)
            producer.channel  # noqa: B018 - opening the channel connects the transport
    except Exception as error:
        logger.info("broker not reachable at start (the first follow-up connects): %r", error)
