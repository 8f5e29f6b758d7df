"""Signals the case app sends after commit. Other apps listen; cases imports none of them."""

import contextvars
from contextlib import contextmanager

from django.dispatch import Signal

# While held (signals_held), what would be sent is collected instead.
_held: contextvars.ContextVar[list | None] = contextvars.ContextVar("cases_signals_held")


class CaseSignal(Signal):
    """A signal that a bulk job (the demo data) can hold and send once per case later."""

    def send(self, sender, **named):
        held = _held.get(None)
        if held is not None:
            held.append((self, sender, named))
            return []
        return super().send(sender, **named)


# kwargs: case_id, case_number, transition, from_state, to_state, event_id
case_changed = CaseSignal()

# kwargs: case_id, case_number — a new case only (not a linked duplicate), so the worker
# can be told the number and code by SMS (the code waits in Case.query_code_pending).
complaint_filed = CaseSignal()

# kwargs: case_id, submission_id — an anonymous duplicate was held for review on an open
# case, so its workers can be told (without any secret) that a related complaint came in.
complaint_merged = CaseSignal()

# kwargs: case_id, case_number, person_id — a new query code was issued for a worker who
# lost theirs (services.query_code_resend): text it to that worker's phone.
query_code_reissued = Signal()


@contextmanager
def signals_held():
    """Collect the case signals instead of sending them: yields the list of
    (signal, sender, kwargs). For bulk jobs only (seed_demo): hundreds of cases moved
    through many steps would otherwise be scored again after every step, when only the
    last score counts; the job sends what it needs once at the end."""
    held = []
    token = _held.set(held)
    try:
        yield held
    finally:
        _held.reset(token)
