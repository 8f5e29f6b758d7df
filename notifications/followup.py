"""What follows a committed case change: its risk score and alerts, the command screen's
figures and, for a new complaint, the workers' confirmation SMS.

A new complaint's follow-up runs in the Celery worker (notifications.tasks), so the
worker filing it gets the case number without waiting for the scoring; a transition's
runs right after its commit in the request, so the officer's next page shows the new
score. Nothing here may fail the request that changed the case: errors are logged, and
what was stored stays stored. A case whose scoring was lost (a worker killed mid-task,
the database gone at that moment) is scored by the next frequent scan
(scans._never_scored).

A new complaint's follow-up is durable: the filing's transaction writes a
cases.PendingFollowup row, complaint_followup deletes it once the score and the SMS are
done, and followups_sweep (Celery beat and `manage.py scan_alerts`, every minute) redoes
the follow-up of every row older than LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS: a task
lost with the broker's queue (a Redis restart) or a worker killed mid-task. Redoing it
is safe: alerts are raised once per case and reason, the SMS once per case.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.intake import sms_recipients
from cases.models import Case, Claim, PendingFollowup, PendingSubmission
from core import query_codes
from notifications import push, services
from notifications.models import SmsMessage
from notifications.sms import sms_send

logger = logging.getLogger(__name__)

CONFIRMATION = "complaint_filed"  # SmsMessage.purpose of the confirmation text
MERGED = "complaint_merged"  # an anonymous duplicate was held for review on the case


def case_rescore(*, case_id: int, transition: str = "") -> bool:
    """Score the case again (and, for a new complaint, the employer's other cases whose
    repeat factor it changes); push the command screen's figures. False if the scoring
    failed (logged)."""
    scored = True
    try:
        services.case_risk_refresh(case_id=case_id, trigger=transition)
        if transition == "file":
            services.employer_cases_refresh(case_id=case_id, trigger="repeat")
    except Exception:
        logger.exception("risk refresh failed for case %s after %s", case_id, transition)
        scored = False
    try:
        push.summary_push()
    except Exception:
        logger.exception("summary push failed after case %s changed", case_id)
    return scored


def township_transfer_alert(*, case_id: int, event_id: int | None) -> None:
    """A case moved to another township: alert that township's staff (logged, never
    raised: the transfer is committed whatever happens here)."""
    try:
        services.township_transfer_alert(case_id=case_id, event_id=event_id)
    except Exception:
        logger.exception("transfer alert failed for case %s", case_id)


def complaint_followup(*, case_id: int) -> bool:
    """A new complaint, committed: score it and text the workers their number and code.
    True when both are done (its PendingFollowup row is then deleted); else the sweep
    tries again."""
    done = case_rescore(case_id=case_id, transition="file")
    try:
        confirmation_send(case_id=case_id)
    except Exception:
        logger.exception("confirmation SMS failed for case %s", case_id)
        done = False
    try:
        if done:
            PendingFollowup.objects.filter(case_id=case_id).delete()
        else:
            PendingFollowup.objects.filter(case_id=case_id).update(attempts=F("attempts") + 1)
    except Exception:  # the database gone: the row stays, the sweep redoes it (safely)
        logger.exception("pending follow-up of case %s not updated", case_id)
    return done


def followups_sweep(*, now: dt.datetime | None = None) -> int:
    """Redo every new complaint's follow-up still pending after
    LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS (its task lost or failed). Returns how many
    were done."""
    now = now or timezone.now()
    after = dt.timedelta(seconds=settings.LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS)
    due = PendingFollowup.objects.filter(created_at__lte=now - after).order_by("created_at")
    done = 0
    for case_id in list(due.values_list("case_id", flat=True)[:500]):
        logger.warning("follow-up of case %s was not done: redoing it", case_id)
        done += complaint_followup(case_id=case_id)
    return done


def confirmation_send(*, case_id: int) -> int:
    """Text each worker (a collective case: its representatives) the case number and
    query code; once per case, however often the task runs. Returns the texts sent.

    The code waits encrypted in Case.query_code_pending and is wiped once texted: only
    its hash stays (core/query_codes.py). A case whose pending code is gone (filed
    before codes were hashed) gets a new code, so the text always carries one that works.
    """
    with transaction.atomic():
        # Under the case's lock: the task and the request doing it after a failed
        # publish (notifications.tasks.enqueue) may both run; the second sees the texts.
        case = Case.objects.select_for_update().filter(pk=case_id).only(*_CODE_FIELDS).first()
        if case is None:
            return 0
        number = case.number
        if SmsMessage.objects.filter(purpose=CONFIRMATION, case_number=number).exists():
            return 0  # a retried task: the workers have their text already
        text = _(
            "【襄汾县劳动维权】您的投诉已提交，案件编号%(number)s，查询码%(code)s。"
            "请妥善保存，凭编号和查询码可在网上查询办理进度。"
        ) % {"number": number, "code": _pending_code_take(case)}
        phones = sms_recipients(
            list(Claim.objects.filter(case_id=case_id).select_related("person"))
        )
        for phone in phones:
            sms_send(phone=phone, text=text, purpose=CONFIRMATION, case_number=number)
    return len(phones)


def merged_notice_send(*, submission_id: int) -> int:
    """Tell the workers on the case (at their stored phones; a collective case: its
    representatives) that a related complaint came in and waits for staff review: the
    victims of a false one learn of it. Nothing secret in it (no query code, nothing
    the other filer wrote). Once per submission. Returns the texts sent."""
    with transaction.atomic():
        submission = (
            PendingSubmission.objects.select_for_update()
            .select_related("case")
            .filter(pk=submission_id, workers_notified_at__isnull=True)
            .first()
        )
        if submission is None:
            return 0  # a retried task: told already (or no such submission)
        number = submission.case.number
        text = _(
            "【襄汾县劳动维权】有人就您的案件%(number)s提交了一份相关投诉，"
            "已并入该案，由工作人员核实后处理。如有疑问请联系承办人员。"
        ) % {"number": number}
        phones = sms_recipients(
            list(Claim.objects.filter(case_id=submission.case_id).select_related("person"))
        )
        for phone in phones:
            sms_send(phone=phone, text=text, purpose=MERGED, case_number=number)
        PendingSubmission.objects.filter(pk=submission.pk).update(
            workers_notified_at=timezone.now()
        )
    return len(phones)


_CODE_FIELDS = ("id", "number", "state", "query_code_hash", "query_code_pending")
CODE_RESENT = "query_code_resent"  # SmsMessage.purpose of a new code for a lost one


def _pending_code_take(case: Case) -> str:
    """The code waiting to be texted, wiped from the row (the caller holds its lock)."""
    code = case.query_code_pending or query_codes.query_code_new()
    case.query_code_hash = query_codes.query_code_hash(code)
    case.query_code_pending = ""
    case.save(update_fields=["query_code_hash", "query_code_pending"])
    return code


def query_code_send(*, case_id: int, person_id: int) -> int:
    """Text a new query code (cases.services.query_code_resend) to the worker who asked."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(pk=case_id).only(*_CODE_FIELDS).first()
        if case is None or not case.query_code_pending:
            return 0  # sent already by an earlier run of this task
        claim = Claim.objects.filter(case_id=case_id, person_id=person_id)
        claim = claim.select_related("person").first()
        if claim is None or not claim.person.phone:
            return 0
        text = _(
            "【襄汾县劳动维权】您申请重新获取查询码。案件编号%(number)s，新查询码%(code)s，"
            "原查询码已作废。如非本人操作，请拨打12333。"
        ) % {"number": case.number, "code": _pending_code_take(case)}
        sms_send(phone=claim.person.phone, text=text, purpose=CODE_RESENT, case_number=case.number)
    return 1
