"""Reads of the legal parameter table ([CONFIG] figures included)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from rules import memo
from rules.models import LegalParameter, in_force


class ParameterMissing(LookupError):
    pass


def parameter(code: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    # The whole table, kept per process (rules.memo): a key per day would grow forever.
    history = memo.remember("legal-parameters", _parameter_history)
    rows = in_force(history.get(code, []), on)
    if not rows:
        raise ParameterMissing(f"legal parameter {code!r} is not set for {on}")
    return rows[0].value


def _parameter_history() -> dict[str, list[LegalParameter]]:
    """Every parameter's rows, in one query."""
    history: dict[str, list[LegalParameter]] = {}
    for row in LegalParameter.objects.only("code", "value", "effective_from", "effective_to"):
        history.setdefault(row.code, []).append(row)
    return history


def int_parameter(code: str, on: dt.date | None = None) -> int:
    return int(parameter(code, on))
