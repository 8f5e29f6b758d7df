"""What follows a committed case change: its risk score and alerts, the command screen's
figures and, for a new complaint, the workers' confirmation SMS.

A new complaint's follow-up runs in the Celery worker (notifications.tasks), so the
worker filing it gets the case number without waiting for the scoring; a transition's
runs right after its commit in the request, so the officer's next page shows the new
score. Nothing here may fail the request that changed the case: errors are logged, and
what was stored stays stored. A case whose scoring was lost (a worker killed mid-task,
the database gone at that moment) is scored by the next frequent scan
(services._never_scored).
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from cases.intake import sms_recipients
from cases.models import Case, Claim
from notifications import push, services
from notifications.models import SmsMessage
from notifications.sms import sms_send

logger = logging.getLogger(__name__)

CONFIRMATION = "complaint_filed"  # SmsMessage.purpose of the confirmation text


def case_rescore(*, case_id: int, transition: str = "") -> None:
    """Score the case again (and, for a new complaint, the employer's other cases whose
    repeat factor it changes); push the command screen's figures."""
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


def township_transfer_alert(*, case_id: int, event_id: int | None) -> None:
    """A case moved to another township: alert that township's staff (logged, never
    raised: the transfer is committed whatever happens here)."""
    try:
        services.township_transfer_alert(case_id=case_id, event_id=event_id)
    except Exception:
        logger.exception("transfer alert failed for case %s", case_id)


def complaint_followup(*, case_id: int) -> None:
    """A new complaint, committed: score it and text the workers their number and code."""
    case_rescore(case_id=case_id, transition="file")
    try:
        confirmation_send(case_id=case_id)
    except Exception:
        logger.exception("confirmation SMS failed for case %s", case_id)


def confirmation_send(*, case_id: int) -> int:
    """Text each worker (a collective case: its representatives) the case number and
    query code; once per case, however often the task runs. Returns the texts sent."""
    with transaction.atomic():
        # Under the case's lock: the task and the request doing it after a failed
        # publish (notifications.tasks.enqueue) may both run; the second sees the texts.
        # Values, not a Case: loading a Case without its state costs a query more.
        row = (
            Case.objects.select_for_update().filter(pk=case_id).values_list("number", "query_code")
        )
        row = row.first()
        if row is None:
            return 0
        number, query_code = row
        if SmsMessage.objects.filter(purpose=CONFIRMATION, case_number=number).exists():
            return 0  # a retried task: the workers have their text already
        text = _(
            "【襄汾县劳动维权】您的投诉已提交，案件编号%(number)s，查询码%(code)s。"
            "请妥善保存，凭编号和查询码可在网上查询办理进度。"
        ) % {"number": number, "code": query_code}
        phones = sms_recipients(
            list(Claim.objects.filter(case_id=case_id).select_related("person"))
        )
        for phone in phones:
            sms_send(phone=phone, text=text, purpose=CONFIRMATION, case_number=number)
    return len(phones)
