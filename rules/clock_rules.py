"""Reads of the clock rule table: which statutory period applies to a stage on a day."""

import datetime as dt

from rules import memo
from rules.models import ClockRule, in_force


class RuleMissing(LookupError):
    pass


def rule_for(stage: str, on: dt.date) -> ClockRule:
    """The rule for a stage in force on the day its clock started."""
    # The whole table, kept per process (rules.memo): a key per day would grow forever.
    rules = in_force((r for r in memo.remember("clock-rules", _rules) if r.stage == stage), on)
    if not rules:
        raise RuleMissing(f"no clock rule for stage {stage!r} on {on}")
    return rules[0]


def _rules() -> list[ClockRule]:
    return list(ClockRule.objects.all())
