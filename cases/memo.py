"""Rule tables read once per request instead of once per use.

A complaint filing read the legal parameters, clock rules, calendar and risk rules about
twenty times (one query each). Those rows change only through the admin, rarely, so
within one request (config.middleware.request_memo_middleware), one new complaint's
follow-up task (notifications.tasks) or one command run each is read once and
remembered. Outside such a block every read goes to the database, as before: tests see
rule changes at once.
"""

from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("laborcase_request_memo", default=None)


@contextmanager
def request_memo():
    """Remember rule reads until the block ends (nested blocks share the outer memo)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key, load):
    """load() once per memo block for this key; every time outside a block."""
    memo = _memo.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]
