"""Tamper evidence for case history: every case's events form a keyed hash chain.

Each event stores an HMAC-SHA256 of its own content together with the hash of the event
before it on the same case (`prev_hash`; empty for the first), under an audit key kept
outside the database (settings.LABORCASE_AUDIT_KEYS) and named by the event's `key_id`.
Editing, deleting, reordering or inserting a row breaks the chain from that row on, and
so does a row whose hash was computed without the key (the plain SHA-256 chain of
migration 0004 could be extended by anyone who could write the table); `manage.py
verify_audit_chain` finds it. On PostgreSQL a trigger also refuses UPDATE and DELETE on
the table (migration 0004), so the chain is the second line of defence, the one that
still holds against someone with raw database access who disables triggers but does
not hold the key.

Key rotation: put a new key first in LABORCASE_AUDIT_KEYS (new events are signed with
it, older ones still verify with theirs), run `manage.py audit_resign` to sign every
intact chain again with the newest key, then drop the old key.
"""

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from cases.models import CaseEvent

HASHED_FIELDS = (
    "case_id",
    "actor_id",
    "actor_label",
    "transition",
    "from_state",
    "to_state",
    "note",
    "data",
    "created_at",
)

# Why a link is broken (messages the tests import).
CONTENT_CHANGED = "content does not match its signature (row edited, or forged without the key)"
LINK_BROKEN = "prev_hash does not match the previous event (row deleted, inserted or reordered)"
UNHASHED = "no hash (row written outside cases.services)"
UNKEYED = "not signed with an audit key (row inserted with a plain hash, or a chain already broken when it was keyed)"
UNKNOWN_KEY = "signed with a key not in LABORCASE_AUDIT_KEYS (key dropped, or row forged)"


def key_id_of(key: str) -> str:
    """A short public name of a key (8 hex digits of a hash; reveals nothing of it)."""
    return hashlib.sha256(f"laborcase-audit-key-id:{key}".encode()).hexdigest()[:8]


def audit_keys() -> dict[str, bytes]:
    """The configured keys by id, newest first."""
    return {key_id_of(key): key.encode() for key in settings.LABORCASE_AUDIT_KEYS}


def current_key_id() -> str:
    return key_id_of(settings.LABORCASE_AUDIT_KEYS[0])


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def event_hash(event: CaseEvent, prev_hash: str, key_id: str | None = None) -> str:
    """HMAC-SHA256 over a canonical JSON of the event's content, the previous hash and
    the key id, under the key the event names (or key_id, or the newest key).
    KeyError when that key is not configured."""
    key_id = key_id or getattr(event, "key_id", "") or current_key_id()
    content = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    content["prev_hash"] = prev_hash
    content["key_id"] = key_id
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(audit_keys()[key_id], text.encode(), hashlib.sha256).hexdigest()


def chain_head(case_id: int) -> str:
    """The hash of the case's latest event ('' before the first). Call with the case locked."""
    last = CaseEvent.objects.filter(case_id=case_id).order_by("-id").values_list("hash", flat=True)
    return last.first() or ""


@dataclass(frozen=True)
class Break:
    case_id: int
    case_number: str
    event_id: int
    position: int  # 1-based position of the event in its case's chain
    reason: str

    def __str__(self):
        return (
            f"case {self.case_number}: event id={self.event_id} "
            f"(#{self.position} in its chain): {self.reason}"
        )


def chain_verify(events: QuerySet | None = None) -> list[Break]:
    """The first broken link of every broken chain (empty when every chain holds)."""
    events = CaseEvent.objects.all() if events is None else events
    keys = audit_keys()
    rows = events.select_related("case").only(
        *HASHED_FIELDS, "id", "hash", "prev_hash", "key_id", "case__number"
    )
    breaks: list[Break] = []
    current_case, expected_prev, position, broken = None, "", 0, False
    for event in rows.order_by("case_id", "id").iterator(chunk_size=2000):
        if event.case_id != current_case:
            current_case, expected_prev, position, broken = event.case_id, "", 0, False
        position += 1
        if broken:
            continue
        reason = _link_fault(event, expected_prev, keys)
        if reason:
            breaks.append(Break(event.case_id, event.case.number, event.pk, position, reason))
            broken = True
        expected_prev = event.hash
    return breaks


def _link_fault(event: CaseEvent, expected_prev: str, keys: dict[str, bytes]) -> str | None:
    if not event.hash:
        return UNHASHED
    if not event.key_id:
        return UNKEYED
    if event.key_id not in keys:
        return UNKNOWN_KEY
    if event.prev_hash != expected_prev:
        return LINK_BROKEN
    if not hmac.compare_digest(event_hash(event, event.prev_hash), event.hash):
        return CONTENT_CHANGED
    return None


def chains_resign() -> tuple[int, list[Break]]:
    """Sign every intact chain again with the newest key (after a key rotation, before
    the old key is dropped). Broken chains are left as they are, so their break is not
    signed over. Returns (events re-signed, the breaks left alone)."""
    from django.db import connection, transaction

    breaks = chain_verify()
    broken = {item.case_id for item in breaks}
    key_id = current_key_id()
    stale = (
        CaseEvent.objects.exclude(key_id=key_id)
        .exclude(case_id__in=broken)
        .values_list("case_id", flat=True)
        .distinct()
    )
    resigned = 0
    for case_id in list(stale):
        with transaction.atomic():
            # DISABLE TRIGGER (the table owner only) also locks the table against writes
            # until the commit, so the chain checked below is the chain signed.
            _append_only_trigger(connection, enable=False)
            events = list(CaseEvent.objects.filter(case_id=case_id).order_by("id"))
            keys, expected = audit_keys(), ""
            for event in events:
                if _link_fault(event, expected, keys):
                    break
                expected = event.hash
            else:
                head = ""
                for event in events:
                    event.prev_hash, event.key_id = head, key_id
                    event.hash = head = event_hash(event, head)
                CaseEvent.objects.bulk_update(events, ["prev_hash", "hash", "key_id"])
                resigned += len(events)
            _append_only_trigger(connection, enable=True)
    return resigned, breaks


def _append_only_trigger(connection, *, enable: bool) -> None:
    if connection.vendor == "postgresql":
        action = "ENABLE" if enable else "DISABLE"
        with connection.cursor() as cursor:
            # ALTER TABLE refuses while deferred foreign-key checks of this transaction
            # are pending (rows inserted before): run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE cases_caseevent {action} TRIGGER caseevent_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
