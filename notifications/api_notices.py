"""HTTP API of notices and service (docs/api.md): what a case has sent and served,
the employer's contact, staff recording service, and the phone link's confirmation."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.api import IsCaseStaff
from core.throttling import PublicRateThrottle
from notifications import notices, service_records
from notifications.models import CaseContact, Notice, ServiceRecord


def notice_out(notice: Notice) -> dict:
    sms = notice.sms
    return {
        "id": notice.pk,
        "event": notice.event,
        "event_label": notices.EVENT_LABELS.get(notice.event, notice.event),
        "recipient": notice.recipient,
        "recipient_name": notice.recipient_name,
        "phone": notice.phone_masked,
        "status": notice.status,
        "status_label": notice.get_status_display(),
        "attempts": sms.attempts if sms else 0,
        "error": sms.error if sms else "",
        "delivered_at": sms.delivered_at if sms else None,
        "created_at": notice.created_at,
        "sent_at": notice.sent_at,
    }


def record_out(record: ServiceRecord) -> dict:
    return {
        "id": record.pk,
        "document": record.document,
        "document_label": record.get_document_display(),
        "party": record.party,
        "party_key": record.party_key,
        "party_name": record.party_name,
        "method": record.method,
        "method_label": record.get_method_display(),
        "tracking_number": record.tracking_number,
        "has_receipt": bool(record.receipt),
        "sent_at": record.sent_at,
        "opened_at": record.opened_at,
        "confirmed_at": record.confirmed_at,
        "received_at": record.received_at,
        "completed": record.completed(),
    }


def contact_out(contact: CaseContact) -> dict:
    return {
        "id": contact.pk,
        "key": f"contact:{contact.pk}",
        "name": contact.name,
        "phone": contact.phone_masked,
        "consents_electronic": contact.consents_electronic,
    }


NoticesOutput = inline_serializer(
    "CaseNotices",
    {
        "notices": serializers.ListField(child=serializers.DictField()),
        "service_records": serializers.ListField(child=serializers.DictField()),
        "contacts": serializers.ListField(child=serializers.DictField()),
        "parties": serializers.ListField(child=serializers.DictField()),
    },
)


class CaseNotices(APIView):
    """Notices sent on a case (with their SMS status), documents served and how."""

    permission_classes = [IsCaseStaff]

    @extend_schema(responses=NoticesOutput)
    def get(self, request, case_number):
        case = selectors.visible_case(user=request.user, case_number=case_number)
        return Response(
            {
                "notices": [notice_out(n) for n in notices.case_notices(case)],
                "service_records": [
                    record_out(r) for r in service_records.case_service_records(case)
                ],
                "contacts": [contact_out(c) for c in CaseContact.objects.filter(case=case)],
                "parties": [
                    {"key": p["key"], "name": p["name"], "party": p["party"]}
                    for p in service_records.parties(case)
                ],
            }
        )


class ContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    consents_electronic = serializers.BooleanField(required=False, default=True)


class CaseContacts(APIView):
    """The employer's contact on the case: its notices and documents go there."""

    permission_classes = [IsCaseStaff]

    @extend_schema(request=ContactInput, responses={201: dict})
    def post(self, request, case_number):
        case = selectors.visible_case(user=request.user, case_number=case_number)
        data = ContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        contact = notices.case_contact_add(case=case, **data.validated_data)
        return Response(contact_out(contact), status=201)


class ServiceInput(serializers.Serializer):
    document = serializers.ChoiceField(choices=ServiceRecord.Document.choices)
    party = serializers.CharField(max_length=40, help_text="party key from /notices/ parties")
    method = serializers.ChoiceField(
        choices=[c for c in ServiceRecord.Method.choices if c[0] != "sms_link"]
    )
    received_on = serializers.DateField(required=False)
    tracking_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    receipt = serializers.FileField(required=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ServiceRecords(APIView):
    """Staff record a document served in person, by post or by public announcement."""

    permission_classes = [IsCaseStaff]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ServiceInput, responses={201: dict})
    def post(self, request, case_number):
        case = selectors.visible_case(user=request.user, case_number=case_number)
        data = ServiceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        record = service_records.service_record_add(
            case=case,
            actor=request.user,
            document=values["document"],
            party_key=values["party"],
            method=values["method"],
            received_on=values.get("received_on"),
            tracking_number=values.get("tracking_number", ""),
            receipt=values.get("receipt"),
            note=values.get("note", ""),
        )
        return Response(record_out(record), status=201)


class DigitsInput(serializers.Serializer):
    digits = serializers.CharField(max_length=8)


class ServiceLink(APIView):
    """The phone link without the page: confirm the last 4 digits of the ID number;
    the document counts as received. No sign-in; rate-limited, locks after wrong tries."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicRateThrottle]
    throttle_scope = "lookup"

    @extend_schema(request=DigitsInput, responses={200: dict})
    def post(self, request, token):
        data = DigitsInput(data=request.data)
        data.is_valid(raise_exception=True)
        record = service_records.link_confirm(token=token, digits=data.validated_data["digits"])
        return Response(
            {
                "case_number": record.case.number,
                "document": record.document,
                "document_label": record.get_document_display(),
                "received_at": record.received_at,
            }
        )
