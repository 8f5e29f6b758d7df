"""Statutory clocks on China's official calendar.

A period starts counting on the day after the event that starts it and ends at the end
of its last day. Working-day periods skip weekends and holidays but count make-up
working weekends (调休); calendar-day periods count every day, and one ending on a
non-working day rolls to the next working day. Days inside a suspension (中止) do not
count. The official calendar comes from `chinese-calendar`; a year an administrator
entered (CalendarYear) overrides it, and a year known to neither falls back to
Monday-Friday and is reported so the case can be flagged.
"""

import datetime as dt
from dataclasses import dataclass, field

import chinese_calendar

from cases import memo
from cases.rule_tables import CalendarDay, CalendarYear, ClockRule

ONE_DAY = dt.timedelta(days=1)
# A statutory period never needs more than this many days; a loop past it means bad data.
_MAX_SCAN_DAYS = 3 * 366


class RuleMissing(LookupError):
    pass


class WorkingCalendar:
    """Answers 'is this a working day?' from the admin's entries and the package."""

    def __init__(self):
        self.entered_years = set(CalendarYear.objects.values_list("year", flat=True))
        self.entered_days = dict(CalendarDay.objects.values_list("date", "is_working_day"))

    def is_known_year(self, year: int) -> bool:
        if year in self.entered_years:
            return True
        try:
            chinese_calendar.is_workday(dt.date(year, 6, 1))
        except NotImplementedError:
            return False
        return True

    def is_working_day(self, day: dt.date) -> bool:
        # An entered day overrides the package; the package knows the rest of its years;
        # a year known to neither is guessed as Monday-Friday (and reported by the caller).
        if day in self.entered_days:
            return self.entered_days[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            return day.weekday() < 5

    def unknown_years(self, first: dt.date, last: dt.date) -> set[int]:
        return {y for y in range(first.year, last.year + 1) if not self.is_known_year(y)}

    def next_working_day_on_or_after(self, day: dt.date) -> dt.date:
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError("no working day found")


def _paused(day: dt.date, pauses) -> bool:
    """Days after a suspension starts, up to and including its resumption, do not count."""
    for start, end in pauses:
        if start < day and (end is None or day <= end):
            return True
    return False


def add_period(
    start: dt.date, days: int, day_kind: str, calendar: WorkingCalendar, pauses=()
) -> dt.date | None:
    """The last day of a period of `days` counted from the day after `start`."""
    if any(end is None for _, end in pauses):
        return None  # suspended: the clock is stopped, there is no deadline now
    day, counted = start, 0
    for _ in range(_MAX_SCAN_DAYS):
        if counted >= days:
            break
        day += ONE_DAY
        if _paused(day, pauses):
            continue
        if day_kind == ClockRule.DayKind.WORKING and not calendar.is_working_day(day):
            continue
        counted += 1
    else:
        raise ValueError("period too long")
    if day_kind == ClockRule.DayKind.CALENDAR:
        day = calendar.next_working_day_on_or_after(day)
    return day


def rule_for(stage: str, on: dt.date) -> ClockRule:
    """The rule for a stage in force on the day its clock started."""
    # The whole table, kept per process (cases.memo): a key per day would grow forever.
    for rule in memo.remember("clock-rules", _rules_newest_first):
        in_force = rule.effective_from <= on and (
            rule.effective_to is None or on <= rule.effective_to
        )
        if rule.stage == stage and in_force:
            return rule
    raise RuleMissing(f"no clock rule for stage {stage!r} on {on}")


def _rules_newest_first() -> list[ClockRule]:
    return list(ClockRule.objects.order_by("-effective_from"))


def working_calendar() -> "WorkingCalendar":
    """The calendar with the admin's entries (read once per request, cases.memo)."""
    return memo.remember("working-calendar", WorkingCalendar)


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
