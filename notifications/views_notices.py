"""Pages of the notices: the phone link to a served document (no sign-in), staff
recording service and the employer's contact, and the SMS platform's receipt push."""

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases import errors, selectors
from core.api_errors import domain_status
from core.downloads import DOCX, attachment
from core.throttling import rate_limited
from notifications import notices, service_records, sms
from notifications.gateway_aliyun import receipts_from_push
from notifications.models import ServiceRecord

logger = logging.getLogger(__name__)

# Served documents that cases/documents.py can print (ServiceRecord.Document -> code).
PRINTABLE = {
    "acceptance_notice": "acceptance",
    "rejection_notice": "rejection",
    "order_to_correct": "order",
    "mediation_agreement": "mediation",
    "award": "award",
}
SESSION_CONFIRMED = "service_confirmed"


def _confirmed(request, record) -> bool:
    return record.pk in request.session.get(SESSION_CONFIRMED, [])


def _document_facts(record) -> list[tuple[str, str]]:
    case = record.case
    facts = [("案件编号", case.number), ("文书", record.get_document_display())]
    if record.document == ServiceRecord.Document.HEARING and case.hearing_date:
        facts += [
            ("开庭日期", case.hearing_date.strftime("%Y-%m-%d")),
            ("开庭时间", case.hearing_time.strftime("%H:%M") if case.hearing_time else ""),
            ("开庭地点", case.hearing_venue),
        ]
        if case.hearing_link:
            facts.append(("网上开庭链接", case.hearing_link))
    if record.document == ServiceRecord.Document.ORDER and case.pay_by:
        facts.append(("限期支付日", case.pay_by.strftime("%Y-%m-%d")))
    if record.event_id and record.event.note:
        facts.append(("说明", record.event.note))
    return facts


@rate_limited("lookup")
def service_link(request, token):
    """Open a served document: confirm the last 4 digits of the ID number first."""
    record = service_records.link_record(token)
    if record is None:
        return render(request, "notices/link_unknown.html", status=404)
    service_records.link_opened(record)
    error, status = "", 200
    if request.method == "POST":
        try:
            record = service_records.link_confirm(
                token=token, digits=request.POST.get("digits", "")
            )
        except errors.DomainError as failure:
            error, status = failure.message, domain_status(failure)
        else:
            confirmed = [record.pk, *request.session.get(SESSION_CONFIRMED, [])][:50]
            request.session[SESSION_CONFIRMED] = confirmed
            return redirect(request.path)
    if not _confirmed(request, record):
        context = {
            "record": record,
            "error": error,
            "locked": service_records.link_locked(record),
        }
        return render(request, "notices/link_confirm.html", context, status=status)
    context = {
        "record": record,
        "facts": _document_facts(record),
        "printable": record.document in PRINTABLE,
        "token": token,
        "signing": _signing_context(record),
        "signing_error": request.session.pop("signing_error", ""),
    }
    return render(request, "notices/link_document.html", context)


def _signing_context(record):
    if record.document != ServiceRecord.Document.AGREEMENT:
        return None
    from notifications import signing

    return signing.signing_context(record)


@rate_limited("lookup")
@require_POST
def agreement_sign(request, token):
    """The signature drawn on the phone (static/js/signature.js), after the ID check."""
    from notifications import signing

    record = service_records.link_record(token)
    if record is None or not _confirmed(request, record):
        raise Http404
    try:
        signing.agreement_sign(
            record=record,
            signature=request.POST.get("signature", ""),
            text_sha256=request.POST.get("text_sha256", ""),
        )
    except errors.DomainError as failure:
        request.session["signing_error"] = failure.message
    return redirect(reverse("service-link", args=[token]) + "#sign")


@rate_limited("lookup")
def service_document(request, token):
    """The served document as Word, after the ID check of this session."""
    from cases import documents

    record = service_records.link_record(token)
    if record is None or not _confirmed(request, record) or record.document not in PRINTABLE:
        raise Http404
    code = PRINTABLE[record.document]
    if code not in {k.code for k in documents.available(record.case)}:
        raise Http404
    name = documents.download_name(record.case, code)
    return attachment(documents.render(record.case, code), DOCX, name)


# --- staff -------------------------------------------------------------------------------


def _case_for_staff(request, case_number):
    try:
        return selectors.visible_case(user=request.user, case_number=case_number)
    except errors.NotFound as missing:
        raise Http404 from missing


@login_required
@require_POST
def service_record_add(request, case_number):
    case = _case_for_staff(request, case_number)
    received_on = parse_date(request.POST.get("received_on") or "") or timezone.localdate()
    try:
        service_records.service_record_add(
            case=case,
            actor=request.user,
            document=request.POST.get("document", ""),
            party_key=request.POST.get("party", ""),
            method=request.POST.get("method", ""),
            received_on=received_on,
            tracking_number=request.POST.get("tracking_number", ""),
            receipt=request.FILES.get("receipt"),
            note=request.POST.get("note", ""),
        )
    except errors.DomainError as failure:
        request.session["notices_error"] = failure.message
    return redirect(reverse("workbench-case", args=[case.number]) + "#service")


@login_required
@require_POST
def case_contact_add(request, case_number):
    case = _case_for_staff(request, case_number)
    try:
        notices.case_contact_add(
            case=case,
            name=request.POST.get("name", ""),
            phone=request.POST.get("phone", ""),
            id_number=request.POST.get("id_number", ""),
            consents_electronic=request.POST.get("consents_electronic") == "on",
        )
    except errors.DomainError as failure:
        request.session["notices_error"] = failure.message
    return redirect(reverse("workbench-case", args=[case.number]) + "#service")


# --- the SMS platform's receipts ------------------------------------------------------------


@csrf_exempt
@require_POST
def sms_receipts(request):
    """Alibaba Cloud's receipt push (SmsReport). The URL given to the platform carries
    LABORCASE_SMS_RECEIPT_TOKEN; without it configured, receipts are polled instead."""
    expected = settings.LABORCASE_SMS_RECEIPT_TOKEN
    given = request.GET.get("token", "")
    import hmac

    if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"code": 403, "msg": "forbidden"}, status=403)
    try:
        items = json.loads(request.body or b"[]")
    except ValueError:
        return JsonResponse({"code": 400, "msg": "bad json"}, status=400)
    updated = 0
    for receipt in receipts_from_push(items):
        updated += sms.receipt_record(**receipt)
    logger.info("sms receipts: %s rows updated", updated)
    return JsonResponse({"code": 0, "msg": "成功"})
