"""One rule for every effective-dated table: which rows are in force on a day."""

import datetime as dt
from dataclasses import dataclass

from rules.models import in_force

D = dt.date


@dataclass
class Row:
    name: str
    effective_from: dt.date
    effective_to: dt.date | None = None


OLD = Row("old", D(2020, 1, 1))
NEW = Row("new", D(2026, 7, 1))
ENDED = Row("ended", D(2024, 2, 1), D(2028, 1, 10))


def test_the_newest_row_that_has_started_comes_first():
    assert in_force([OLD, NEW], D(2026, 7, 1)) == [NEW, OLD]
    assert in_force([NEW, OLD], D(2026, 6, 30)) == [OLD]


def test_a_row_is_in_force_on_its_first_and_last_day_only():
    assert in_force([ENDED], D(2024, 2, 1)) == [ENDED]
    assert in_force([ENDED], D(2028, 1, 10)) == [ENDED]
    assert in_force([ENDED], D(2024, 1, 31)) == []
    assert in_force([ENDED], D(2028, 1, 11)) == []


def test_a_row_without_an_end_stays_in_force():
    assert in_force([OLD], D(2099, 12, 31)) == [OLD]


def test_an_ended_newer_row_leaves_the_older_one_in_force():
    newer_but_ended = Row("temporary", D(2025, 1, 1), D(2025, 12, 31))
    assert in_force([OLD, newer_but_ended], D(2026, 1, 1)) == [OLD]
