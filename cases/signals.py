"""Signals the case app sends after commit. Other apps listen; cases imports none of them."""

from django.dispatch import Signal

# kwargs: case_id, case_number, transition, from_state, to_state, event_id
case_changed = Signal()
