"""Panels the case pages include: notices sent and documents served.

{% load notices %}{% case_notices_panel case %} on the staff case page;
{% worker_notices_panel case_number %} on the worker's status page (opened with the
case's number and code), with links to the documents served on the workers."""

from django import template

from notifications import notices, service_records
from notifications.models import CaseContact, Recipient, ServiceRecord

register = template.Library()


@register.inclusion_tag("notices/_case_panel.html", takes_context=True)
def case_notices_panel(context, case):
    request = context.get("request")
    error = request.session.pop("notices_error", "") if request is not None else ""
    records = list(service_records.case_service_records(case).select_related("event"))
    return {
        "case": case,
        "notices": list(notices.case_notices(case)),
        "records": records,
        "contacts": list(CaseContact.objects.filter(case=case)),
        "parties": service_records.parties(case),
        "documents": ServiceRecord.Document.choices,
        "methods": [c for c in ServiceRecord.Method.choices if c[0] != "sms_link"],
        "error": error,
        "csrf_token": context.get("csrf_token"),
        "signing": _signing_status(case),
    }


def _signing_status(case):
    from notifications import signing

    return signing.case_signing_status(case)


@register.inclusion_tag("notices/_worker_panel.html")
def worker_notices_panel(case_number):
    from cases.models import Case

    case = Case.objects.filter(number=case_number).first()
    if case is None:
        return {"notices": [], "records": []}
    worker_notices = notices.case_notices(case).filter(recipient=Recipient.WORKER)
    records = service_records.case_service_records(case).filter(party=Recipient.WORKER)
    return {
        "notices": list(worker_notices),
        "records": [{"record": r, "link": service_records.portal_link(r)} for r in records],
    }
