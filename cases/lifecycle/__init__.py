"""The life of a case: its states, the one table of transitions, and what is derived
from it.

- states.py       the tracks and the states (the model's choices)
- transitions.py  one row per transition, read top to bottom as the life of a case
- inputs.py       what a transition asks for (DRF serializers)
- effects.py      what a transition changes on the case
- permissions.py  who may run it (derived from the rows)
- fsm.py          the django-fsm methods on Case (derived from the rows)
- clock_plan.py   which statutory clock runs in each state

cases/services.py runs a transition: check, lock, effect, state, deadline, event.
"""

from cases.lifecycle.clock_plan import ClockPlan, clock_plan
from cases.lifecycle.effects import Context, police_threshold_met
from cases.lifecycle.inputs import (
    AWARD_ITEMS,
    FINAL_ELIGIBLE_ITEMS,
    RESTART_REASONS,
    RejectionReason,
)
from cases.lifecycle.permissions import EXTENSION_STAGES, TRANSITION_ROLES, may, role_allows
from cases.lifecycle.states import FINAL_STATES, OPEN_STATES, CaseKind, CaseState
from cases.lifecycle.transitions import TRANSITIONS, Decides, Transition, likely_target

# name -> row, in the table's order (the API, the workbench, the services look them up).
SPECS: dict[str, Transition] = {t.name: t for t in TRANSITIONS}
TRANSITION_NAMES = list(SPECS)
# What the worker reads in their timeline for each transition.
WORKER_TEXT = {t.name: t.worker_text for t in TRANSITIONS}

__all__ = [
    "AWARD_ITEMS",
    "EXTENSION_STAGES",
    "FINAL_ELIGIBLE_ITEMS",
    "FINAL_STATES",
    "OPEN_STATES",
    "RESTART_REASONS",
    "SPECS",
    "TRANSITIONS",
    "TRANSITION_NAMES",
    "TRANSITION_ROLES",
    "WORKER_TEXT",
    "CaseKind",
    "CaseState",
    "ClockPlan",
    "Context",
    "Decides",
    "RejectionReason",
    "Transition",
    "clock_plan",
    "likely_target",
    "may",
    "police_threshold_met",
    "role_allows",
]
