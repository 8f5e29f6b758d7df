"""Statutory clocks of a case: the due date of each stage, on the official calendar.

The stage's period comes from the clock rule table (rules.clock_rules) and is counted by
the working-day arithmetic of rules.calendar; the days a case was suspended (中止), stored
on the case as pauses, do not count.
"""

import datetime as dt
from dataclasses import dataclass, field

from rules.calendar import WorkingCalendar, add_period, working_calendar
from rules.clock_rules import RuleMissing, rule_for  # noqa: F401  (callers catch clocks.RuleMissing)
from rules.models import ClockRule


def parse_pauses(raw) -> list[tuple[dt.date, dt.date | None]]:
    return [
        (dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None)
        for start, end in raw or []
    ]


@dataclass
class Deadline:
    stage: str
    due: dt.date | None
    rule: ClockRule | None = None
    extended: bool = False
    fallback_years: set[int] = field(default_factory=set)

    @property
    def calendar_fallback(self) -> bool:
        return bool(self.fallback_years)


def stage_deadline(
    stage: str,
    started_on: dt.date,
    *,
    pauses=(),
    extension_stage: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """The due date of one stage, with its approved extension added when there is one."""
    calendar = calendar or working_calendar()
    rule = rule_for(stage, started_on)
    due = add_period(started_on, rule.days, rule.day_kind, calendar, pauses)
    extended = False
    if due is not None and extension_stage:
        extension = rule_for(extension_stage, started_on)
        due = add_period(due, extension.days, extension.day_kind, calendar, pauses)
        extended = True
    return Deadline(
        stage=stage,
        due=due,
        rule=rule,
        extended=extended,
        fallback_years=calendar.unknown_years(started_on, due) if due else set(),
    )
