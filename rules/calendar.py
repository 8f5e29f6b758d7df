"""Working-day arithmetic on China's official calendar, for every app.

A period starts counting on the day after the day it is counted from and ends at the
end of its last day. Working-day periods skip weekends and holidays but count make-up
working weekends (调休); calendar-day periods count every day, and one ending on a
non-working day rolls to the next working day. Days inside a pause (a case's
suspension, 中止) do not count. The official calendar comes from `chinese-calendar`; a
year an administrator entered (CalendarYear) overrides it, and a year known to neither
falls back to Monday-Friday and is reported so the caller can flag what it dated.

The statutory clocks of a case (cases.clocks) and the subsidy public notice
(workflows) both count here.
"""

import datetime as dt

import chinese_calendar

from rules import memo
from rules.models import CalendarDay, CalendarYear, ClockRule

ONE_DAY = dt.timedelta(days=1)
# A statutory period never needs more than this many days; a loop past it means bad data.
_MAX_SCAN_DAYS = 3 * 366


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


def paused(day: dt.date, pauses) -> bool:
    """Days after a pause starts, up to and including its end, do not count."""
    for start, end in pauses:
        if start < day and (end is None or day <= end):
            return True
    return False


def add_period(
    start: dt.date, days: int, day_kind: str, calendar: WorkingCalendar, pauses=()
) -> dt.date | None:
    """The last day of a period of `days` counted from the day after `start`."""
    if any(end is None for _, end in pauses):
        return None  # paused: the clock is stopped, there is no end now
    day, counted = start, 0
    for _ in range(_MAX_SCAN_DAYS):
        if counted >= days:
            break
        day += ONE_DAY
        if paused(day, pauses):
            continue
        if day_kind == ClockRule.DayKind.WORKING and not calendar.is_working_day(day):
            continue
        counted += 1
    else:
        raise ValueError("period too long")
    if day_kind == ClockRule.DayKind.CALENDAR:
        day = calendar.next_working_day_on_or_after(day)
    return day


def working_calendar() -> WorkingCalendar:
    """The calendar with the admin's entries (read once per request, rules.memo)."""
    return memo.remember("working-calendar", WorkingCalendar)
