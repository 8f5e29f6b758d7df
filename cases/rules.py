"""Reads of the legal parameter table ([CONFIG] figures included)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases import memo
from cases.rule_tables import LegalParameter


class ParameterMissing(LookupError):
    pass


def parameter(code: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    # The whole table, kept per process (cases.memo): a key per day would grow forever.
    history = memo.remember("legal-parameters", _parameter_history)
    for effective_from, value in history.get(code, []):
        if effective_from <= on:
            return value
    raise ParameterMissing(f"legal parameter {code!r} is not set for {on}")


def _parameter_history() -> dict[str, list[tuple[dt.date, Decimal]]]:
    """Every parameter's values, newest first, in one query."""
    history: dict[str, list[tuple[dt.date, Decimal]]] = {}
    rows = LegalParameter.objects.order_by("code", "-effective_from")
    for code, effective_from, value in rows.values_list("code", "effective_from", "value"):
        history.setdefault(code, []).append((effective_from, value))
    return history


def int_parameter(code: str, on: dt.date | None = None) -> int:
    return int(parameter(code, on))
