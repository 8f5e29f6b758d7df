"""Listens to the case app: every committed case change is scored again.

cases.signals.case_changed is sent after commit; nothing here may fail the request that
changed the case, so errors are logged, and the alerts already stored stay stored.
"""

import logging

from django.dispatch import receiver

from cases.signals import case_changed
from notifications import push, services

logger = logging.getLogger(__name__)


@receiver(case_changed, dispatch_uid="notifications.case_changed")
def on_case_changed(sender, case_id, transition="", **kwargs):
    try:
        services.case_risk_refresh(case_id=case_id, trigger=transition)
        if transition == "file":
            services.employer_cases_refresh(case_id=case_id, trigger="repeat")
    except Exception:
        logger.exception("risk refresh failed for case %s after %s", case_id, transition)
    try:
        push.summary_push()
    except Exception:
        logger.exception("summary push failed after case %s changed", case_id)
