"""The dates the statistics count (docs/statistics.md), kept on the case as it moves.

- `conclusion_due`: the last day of the case's handling period, the one the law sets for
  deciding it: 60 working days from acceptance for an inspection (plus the approved
  30-day extension), 45 days from acceptance for a dispute's award (plus the approved
  15 days), with suspensions not counted and restarts starting it again (cases/clocks.py
  computes it as it computes every deadline). Recomputed while the case is in that
  period; kept as it was once the case is decided.
- `handled_on`: the day the case was decided (an order to pay, a penalty, a transfer to
  the police, a settlement, an award, a closure or a withdrawal). A case handled "in
  time" was decided on or before its `conclusion_due`.
- `closed_on`: the day the case reached a final state (closed, withdrawn or rejected).

They are written in the transaction of the transition that changes them, so a report
never misses a case, and a report reads them through indexes, never the event history.
"""

import datetime as dt

from cases import clocks
from cases.models import FINAL_STATES, Case, CaseKind, CaseState
from rules.calendar import WorkingCalendar

S = CaseState

# The states in which the handling period runs, per track.
HANDLING = {
    CaseKind.WAGE_ARREARS: frozenset({S.INVESTIGATING}),
    CaseKind.LABOR_DISPUTE: frozenset({S.ACCEPTED, S.MEDIATING, S.HEARING, S.SUSPENDED}),
}
# The states that mean the case has been decided, per track.
DECIDED = {
    CaseKind.WAGE_ARREARS: frozenset(
        {S.ORDERED, S.PAID, S.PENALIZED, S.TRANSFERRED, S.CLOSED, S.WITHDRAWN}
    ),
    CaseKind.LABOR_DISPUTE: frozenset({S.SETTLED, S.AWARDED, S.CLOSED, S.WITHDRAWN}),
}
# The clock stage of each track's handling period and its extension.
HANDLING_STAGE = {
    CaseKind.WAGE_ARREARS: ("investigation", "investigation_extension"),
    CaseKind.LABOR_DISPUTE: ("award", "award_extension"),
}


def handling_due(case: Case, calendar: WorkingCalendar | None = None) -> dt.date | None:
    """The last day of the handling period as it stands; None while it is not running
    (not accepted yet, or suspended with no end in sight)."""
    stage, extension = HANDLING_STAGE[case.kind]
    started_on = case.accepted_on if case.kind == CaseKind.WAGE_ARREARS else None
    if case.kind == CaseKind.LABOR_DISPUTE:
        started_on = case.award_clock_started_on or case.accepted_on
    if started_on is None:
        return None
    result = clocks.stage_deadline(
        stage,
        started_on,
        pauses=clocks.parse_pauses(case.clock_pauses),
        extension_stage=extension if extension in case.extended_stages else None,
        calendar=calendar,
    )
    return result.due


def case_milestones_refresh(
    *, case: Case, today: dt.date, calendar: WorkingCalendar | None = None
) -> None:
    """Bring conclusion_due, handled_on and closed_on up to date with the case's state
    (called with the deadline, inside the transition's transaction)."""
    state = case.state
    if case.accepted_on is None:
        # Not accepted (or sent back to acceptance by a change of track): nothing runs.
        case.conclusion_due = case.handled_on = None
    elif state in HANDLING[case.kind]:
        case.conclusion_due = handling_due(case, calendar)
        case.handled_on = None
    elif state in DECIDED[case.kind] and case.handled_on is None:
        case.handled_on = today
    if state in FINAL_STATES:
        case.closed_on = case.closed_on or today
    else:
        case.closed_on = None


def handled_in_time(case: Case) -> bool | None:
    """Whether a decided case was decided within its period (a period that never ran
    out, because it was suspended throughout, counts as kept); None while undecided."""
    if case.handled_on is None:
        return None
    return case.conclusion_due is None or case.handled_on <= case.conclusion_due
