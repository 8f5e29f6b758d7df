"""Helpers for the notifications tests: cases with many workers, deterministic rules."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from stdnum.cn import ric

from cases import filing
from core.models import Township
from notifications.risk import current_rules
from rules.models import RiskRuleSet


def id_number(n: int) -> str:
    body = f"11010519850101{n:03d}"  # a birth place python-stdnum knows
    return body + ric.calc_check_digit(body + "0")


def workers(count: int, *, amount="250.00", months=2, start=0):
    return [
        filing.ClaimantInput(
            name=f"工人{start + i}",
            id_number=id_number(start + i),
            phone=f"139{start + i:08d}",
            amount_claimed=Decimal(amount),
            months_owed=months,
        )
        for i in range(count)
    ]


def file(
    *,
    count=1,
    township="xincheng",
    employer="襄汾县测试商贸有限公司",
    description="拖欠工资两个月。",
    sector="",
    amount="250.00",
    months=2,
    start=0,
    received_on: dt.date | None = None,
    kind="wage_arrears",
):
    received_at = None
    if received_on:
        received_at = timezone.make_aware(dt.datetime.combine(received_on, dt.time(10, 0)))
    return filing.complaint_file(
        kind=kind,
        employer_name=employer,
        township=Township.objects.get(code=township),
        claimants=workers(count, amount=amount, months=months, start=start),
        description=description,
        sector=sector,
        received_at=received_at,
    ).case


def rules_without_season(**overrides) -> RiskRuleSet:
    """A new rule version with the season weight at 0, so a test's result does not
    depend on the day it runs (the season has its own tests)."""
    base = current_rules()
    fields = {
        f.name: getattr(base, f.name)
        for f in RiskRuleSet._meta.concrete_fields
        if f.name not in ("id", "version", "created_at", "note", "created_by")
    }
    fields.update({"season_points": 0, **overrides})
    return RiskRuleSet.objects.create(version=base.version + 1, note="tests", **fields)
