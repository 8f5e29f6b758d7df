"""Which statutory clock runs for a case in its current state (cases/clocks.py counts it;
cases.services.case_deadline_refresh stores the deadline after every transition)."""

import datetime as dt
from dataclasses import dataclass

from cases.lifecycle.states import CaseKind, CaseState

S = CaseState
WA = CaseKind.WAGE_ARREARS


@dataclass
class ClockPlan:
    stage: str
    started_on: dt.date | None = None
    extension_stage: str | None = None
    fixed_due: dt.date | None = None


def clock_plan(case) -> ClockPlan | None:
    """Which clock runs for the case in its current state."""
    state = case.state
    if state == S.SUBMITTED:
        stage = "acceptance_inspection" if case.kind == WA else "acceptance_dispute"
        return ClockPlan(stage, case.clock_started_on)
    if state == S.INVESTIGATING:
        extension = (
            "investigation_extension" if "investigation_extension" in case.extended_stages else None
        )
        return ClockPlan("investigation", case.accepted_on, extension)
    if state == S.ORDERED:
        return ClockPlan("pay_by", fixed_due=case.pay_by)
    if state == S.ACCEPTED and not case.tribunal_composed_on:
        return ClockPlan("tribunal_notice", case.accepted_on)
    if state == S.MEDIATING:
        return ClockPlan("mediation", case.clock_started_on)
    if state in (S.ACCEPTED, S.HEARING, S.SUSPENDED):
        extension = "award_extension" if "award_extension" in case.extended_stages else None
        return ClockPlan("award", case.award_clock_started_on, extension)
    if state == S.SETTLED:
        unpaid = [i for i in case.outcome.get("instalments", []) if not i.get("paid")]
        if unpaid:
            return ClockPlan("instalment", fixed_due=dt.date.fromisoformat(unpaid[0]["due_date"]))
    return None
