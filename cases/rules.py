"""Reads of the legal parameter table ([CONFIG] figures included)."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases.models import LegalParameter


class ParameterMissing(LookupError):
    pass


def parameter(code: str, on: dt.date | None = None) -> Decimal:
    on = on or timezone.localdate()
    value = (
        LegalParameter.objects.filter(code=code, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("value", flat=True)
        .first()
    )
    if value is None:
        raise ParameterMissing(f"legal parameter {code!r} is not set for {on}")
    return value


def int_parameter(code: str, on: dt.date | None = None) -> int:
    return int(parameter(code, on))
