"""A dispute case walked through its steps with notices sent after each commit."""

import datetime as dt

from django.utils import timezone

from cases import services
from notifications import notices
from tests.factories import claimant, file_case, staff


def today():
    return timezone.localdate()


def arbitration_staff():
    return {
        "arbitrator": staff("arb_n", "arbitrator"),
        "mediator": staff("med_n", "mediator"),
    }


def dispute_case(*, workers=1, contact=True):
    case = file_case(kind="labor_dispute", claimants=[claimant(i) for i in range(workers)])
    if contact:
        notices.case_contact_add(case=case, name="王经理", phone="13900001111")
    return case


def act(capture, case, people, name, data=None, role="arbitrator"):
    """Run a transition and the after-commit work it queues (the notices)."""
    with capture(execute=True):
        return services.case_transition(
            case_number=case.number, name=name, actor=people[role], data=data or {}
        )


def hearing_data(days=7, **extra):
    return {"hearing_date": today() + dt.timedelta(days=days), **extra}
