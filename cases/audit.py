"""Tamper evidence for case history: every case's events form a SHA-256 hash chain.

Each event stores the hash of its own content together with the hash of the event
before it on the same case (`prev_hash`; empty for the first). Editing, deleting or
reordering a stored row breaks the chain from that row on; `manage.py
verify_audit_chain` finds it. On PostgreSQL a trigger also refuses UPDATE and DELETE
on the table (migration 0004), so the chain is the second line of defence, the one
that still holds against someone with raw database access who disables triggers.
"""

import datetime as dt
import json
from dataclasses import dataclass

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
CONTENT_CHANGED = "content does not match its hash (row edited)"
LINK_BROKEN = "prev_hash does not match the previous event (row deleted, inserted or reordered)"
UNHASHED = "no hash (row written outside cases.services)"


def _canonical(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def event_hash(event: CaseEvent, prev_hash: str) -> str:
    """SHA-256 over a canonical JSON of the event's content and the previous hash."""
    import hashlib

    content = {name: _canonical(getattr(event, name)) for name in HASHED_FIELDS}
    content["prev_hash"] = prev_hash
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


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
    rows = events.select_related("case").only(
        *HASHED_FIELDS, "id", "hash", "prev_hash", "case__number"
    )
    breaks: list[Break] = []
    current_case, expected_prev, position, broken = None, "", 0, False
    for event in rows.order_by("case_id", "id").iterator(chunk_size=2000):
        if event.case_id != current_case:
            current_case, expected_prev, position, broken = event.case_id, "", 0, False
        position += 1
        if broken:
            continue
        reason = None
        if not event.hash:
            reason = UNHASHED
        elif event.prev_hash != expected_prev:
            reason = LINK_BROKEN
        elif event_hash(event, event.prev_hash) != event.hash:
            reason = CONTENT_CHANGED
        if reason:
            breaks.append(Break(event.case_id, event.case.number, event.pk, position, reason))
            broken = True
        expected_prev = event.hash
    return breaks
