"""Query codes: the proof, without an account, that a case (or a subsidy application) is
the holder's. Used by the worker portal, the case status API and the subsidy applicant's
status look-up.

A code is shown once, when it is issued (the filing's answer, the confirmation SMS, the
township staff's message), and the database keeps only a keyed hash of it:
HMAC-SHA256 under settings.LABORCASE_QUERY_CODE_KEY. A database dump without the key
gives no code and no way to test guesses offline; a look-up stays one indexed read (the
case by its number) and one constant-time comparison. A lost code cannot be read back by
anyone: a new one is issued (cases.services.query_code_resend).

Besides the per-IP rate limit, each number is locked for a while after a handful of wrong
codes (settings.LABORCASE_LOOKUP_LOCK_FAILURES within LABORCASE_LOOKUP_LOCK_SECONDS): a
guesser spread over many addresses still gets only that many tries per number. A locked
number answers exactly as a wrong code does, even to the right code, so the lock tells
nothing either. The counters live in the cache (Redis in production); when it cannot be
reached the look-up goes on, like the rate limits (core.throttling).
"""

import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

# Codes avoid letters and digits that are easy to confuse on a phone (0/O, 1/I/L).
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def query_code_new() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def _normalize(code: str) -> str:
    return "".join((code or "").split()).upper()


def query_code_hash(code: str) -> str:
    """What is stored for a code: HMAC-SHA256 of its normalised form, hex."""
    key = settings.LABORCASE_QUERY_CODE_KEY.encode()
    return hmac.new(key, _normalize(code).encode(), hashlib.sha256).hexdigest()


# Compared when there is no row, so that an unknown number costs what a wrong code costs.
_NO_ROW = "0" * 64


def query_code_matches(stored_hash: str | None, given: str) -> bool:
    """Whether the given code is the one whose hash is stored, in constant time."""
    expected = stored_hash or _NO_ROW
    found = hmac.compare_digest(expected.encode(), query_code_hash(given).encode())
    return found and bool(stored_hash)


# --- the per-number lock -----------------------------------------------------------------


def _key(kind: str, scope: str, number: str) -> str:
    digest = hashlib.sha256(_normalize(number).encode()).hexdigest()[:32]
    return f"lookup-{kind}:{scope}:{digest}"


def lookup_locked(*, scope: str, number: str) -> bool:
    try:
        return bool(cache.get(_key("locked", scope, number)))
    except Exception:  # redis-py raises several unrelated classes for one outage
        logger.warning("look-up lock cache unreachable; not locked", exc_info=True)
        return False


def lookup_failure_record(*, scope: str, number: str) -> None:
    """Count one wrong code for this number; lock it at the limit."""
    limit = settings.LABORCASE_LOOKUP_LOCK_FAILURES
    seconds = settings.LABORCASE_LOOKUP_LOCK_SECONDS
    key = _key("failures", scope, number)
    try:
        cache.add(key, 0, seconds)
        failures = cache.incr(key)
        if failures >= limit:
            cache.set(_key("locked", scope, number), 1, seconds)
            cache.delete(key)
            logger.warning("look-up of %s %s locked after %d wrong codes", scope, number, failures)
    except ValueError:  # the counter expired between add and incr: count afresh
        cache.set(key, 1, seconds)
    except Exception:
        logger.warning("look-up lock cache unreachable; failure not counted", exc_info=True)


def lookup_success_record(*, scope: str, number: str) -> None:
    try:
        cache.delete(_key("failures", scope, number))
    except Exception:
        logger.warning("look-up lock cache unreachable", exc_info=True)


def lookup_unlock(*, scope: str, number: str) -> None:
    """A new code was issued: the worker gets a fresh handful of tries with it."""
    try:
        cache.delete_many([_key("failures", scope, number), _key("locked", scope, number)])
    except Exception:
        logger.warning("look-up lock cache unreachable", exc_info=True)
