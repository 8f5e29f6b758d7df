"""Listens to the case app: every committed case change is scored again.

cases.signals.case_changed is sent after commit; nothing here may fail the request that
changed the case, so errors are logged, and the alerts already stored stay stored.
"""

import logging

from django.dispatch import receiver
from django.utils.translation import gettext as _

from cases.intake import sms_recipients
from cases.models import Case
from cases.signals import case_changed, complaint_filed
from notifications import push, services
from notifications.sms import sms_send

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


@receiver(complaint_filed, dispatch_uid="notifications.complaint_filed")
def on_complaint_filed(sender, case_id, case_number, query_code, **kwargs):
    """Text the workers their case number and query code, whatever channel filed it."""
    try:
        case = Case.objects.get(pk=case_id)
        text = _(
            "【襄汾县劳动维权】您的投诉已提交，案件编号%(number)s，查询码%(code)s。"
            "请妥善保存，凭编号和查询码可在网上查询办理进度。"
        ) % {"number": case_number, "code": query_code}
        for phone in sms_recipients(list(case.claims.select_related("person"))):
            sms_send(phone=phone, text=text, purpose="complaint_filed", case_number=case_number)
    except Exception:
        logger.exception("confirmation SMS failed for case %s", case_number)
