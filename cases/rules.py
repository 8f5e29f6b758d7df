"""Reads of the legal parameter table ([CONFIG] figures included)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases import memo
from cases.models import LegalParameter


class ParameterMissing(LookupError):
    pass


def parameter(code: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    value = memo.remember(("legal-parameters", on), lambda: _parameters_on(on)).get(code)
    if value is None:
        raise ParameterMissing(f"legal parameter {code!r} is not set for {on}")
    return value


def _parameters_on(on: dt.date) -> dict[str, Decimal]:
    """Every parameter's value in force on a day, in one query."""
    values = {}
    rows = LegalParameter.objects.filter(effective_from__lte=on).order_by("code", "-effective_from")
    for code, value in rows.values_list("code", "value"):
        values.setdefault(code, value)
    return values


def int_parameter(code: str, on: dt.date | None = None) -> int:
    return int(parameter(code, on))
