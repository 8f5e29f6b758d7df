# moved to cases/lifecycle/inputs.py; re-export kept while branches merge
from cases.lifecycle.inputs import *  # noqa: F403
from cases.lifecycle.inputs import (  # noqa: F401
    AWARD_ITEMS,
    FINAL_ELIGIBLE_ITEMS,
    RESTART_REASONS,
    RejectionReason,
    staff_users,
)
