"""The rule tables (legal parameters, clock rules, the calendar, townships, risk rules),
kept in each process for as long as the database says they have not changed.

A complaint filing uses them about twenty times and its follow-up as often again; read
from the database once per request, they still cost a filing about 15% of its time.
They change only through the admin, rarely. Every change to them, by whatever path (the
admin, a migration, a bulk load, plain SQL), sets a new random
`RuleTablesVersion.generation` through a database trigger (rules.triggers). A reader
compares it with the generation its process cached the tables under, and reads them
again when it differs.

The generation is read once per request (config.middleware.request_memo_middleware),
per follow-up task (notifications.tasks) or per command run: a block sees one version
of the rules from start to end. Outside a block every read checks it, so a change is
seen at once (tests rely on that).
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection

_block: ContextVar[dict | None] = ContextVar("laborcase_rule_memo_block", default=None)

# (generation, {key: value}) for this process. Replaced whole, never cleared in place,
# so a thread that still holds the old dictionary does not see it emptied.
_process_cache: tuple[int | None, dict] = (None, {})


@contextmanager
def request_memo():
    """One version of the rules for the whole block (nested blocks share the outer one)."""
    if _block.get() is not None:
        yield
        return
    token = _block.set({"values": {}})
    try:
        yield
    finally:
        _block.reset(token)


def remember(key, load):
    """load() once per process for this key and this generation of the rule tables.

    The value is shared by every request of the process: treat it as read-only.
    """
    block = _block.get()
    if block is None:
        return _process_cached(key, load, _generation_read())
    if key not in block["values"]:
        if "generation" not in block:
            block["generation"] = _generation_read()
        block["values"][key] = _process_cached(key, load, block["generation"])
    return block["values"][key]


def _process_cached(key, load, generation):
    global _process_cache
    cached_generation, entries = _process_cache
    if generation is not None and cached_generation == generation and key in entries:
        return entries[key]
    # A miss reads the generation again, right before the rows: the value is filed under
    # the generation of what it was read from. A transaction's own uncommitted change has
    # its own new generation, so a rollback cannot leave its rows cached as current.
    fresh = _generation_read()
    cached_generation, entries = _process_cache
    if fresh is not None and cached_generation == fresh and key in entries:
        return entries[key]
    value = load()
    if fresh is None:  # no version row (a test's flushed database): nothing is cached
        return value
    if cached_generation != fresh:
        entries = {}
        _process_cache = (fresh, entries)
    entries[key] = value
    return value


def _generation_read() -> int | None:
    # Plain SQL: it runs on every request, and the ORM would cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute("SELECT generation FROM cases_ruletablesversion WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def process_cache_clear() -> None:
    """Forget what this process has cached (tests start each from the same state)."""
    global _process_cache
    _process_cache = (None, {})
