"""Signals the case app sends after commit. Other apps listen; cases imports none of them."""

from django.dispatch import Signal

# kwargs: case_id, case_number, transition, from_state, to_state, event_id
case_changed = Signal()

# kwargs: case_id, case_number — a new case only (not a linked duplicate), so the worker
# can be told the number and code by SMS (the code waits in Case.query_code_pending).
complaint_filed = Signal()

# kwargs: case_id, submission_id — an anonymous duplicate was held for review on an open
# case, so its workers can be told (without any secret) that a related complaint came in.
complaint_merged = Signal()

# kwargs: case_id, case_number, person_id — a new query code was issued for a worker who
# lost theirs (services.query_code_resend): text it to that worker's phone.
query_code_reissued = Signal()
