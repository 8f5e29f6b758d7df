"""Signals the employment app sends after commit; notifications listens (the command
screen's figures, the referral SMS, the closed employer's risk). employment imports no
notifications code."""

from django.dispatch import Signal

# kwargs: entry_ids — ledger entries whose status or services changed.
ledger_changed = Signal()

# kwargs: referral_id — text the posting to the referred worker.
referral_sms_requested = Signal()

# kwargs: employer_id — a plant was registered closed: its employer's cases score again.
employer_closed = Signal()
