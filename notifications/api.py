"""HTTP API of the alerts and the command screen (docs/api.md)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import errors
from notifications import audience, push, selectors, services, summary

AFTER_ID_INVALID = "after_id 必须是非负整数。"
ALERTS_PAGE = 500


class IsStaff(BasePermission):
    message = "只有工作人员可以访问。"

    def has_permission(self, request, view):
        return audience.is_staff(request.user)


ALERT_FIELDS = {
    "type": serializers.CharField(),
    "id": serializers.IntegerField(),
    "level": serializers.ChoiceField(["green", "yellow", "orange", "red"]),
    "reason": serializers.CharField(),
    "reason_label": serializers.CharField(),
    "case_number": serializers.CharField(allow_null=True),
    "ledger_entry": serializers.IntegerField(allow_null=True),
    "township": serializers.CharField(),
    "township_name": serializers.CharField(),
    "score": serializers.IntegerField(),
    "factors": serializers.ListField(child=serializers.DictField()),
    "rules_version": serializers.IntegerField(allow_null=True),
    "message": serializers.CharField(),
    "status": serializers.ChoiceField(["open", "acknowledged", "resolved"]),
    "deadline": serializers.DateField(allow_null=True),
    "created_at": serializers.DateTimeField(),
    "acknowledged_by": serializers.CharField(allow_null=True),
    "acknowledged_at": serializers.DateTimeField(allow_null=True),
    "acknowledged_by_name": serializers.CharField(allow_null=True),
    "acknowledgement_note": serializers.CharField(allow_blank=True),
    "collective": serializers.BooleanField(),
}
AlertOutput = inline_serializer("Alert", ALERT_FIELDS)


class AlertList(APIView):
    """Alerts the user may see. With after_id: every alert after it, oldest first (a
    client resumes from its last id); without: the latest ones."""

    permission_classes = [IsStaff]

    @extend_schema(
        parameters=[
            OpenApiParameter("after_id", int),
            OpenApiParameter("status", str, enum=["open"]),
        ],
        responses=inline_serializer(
            "AlertPage",
            {
                "results": inline_serializer("AlertItem", ALERT_FIELDS, many=True),
                "last_id": serializers.IntegerField(),
                "more": serializers.BooleanField(),
            },
        ),
    )
    def get(self, request):
        raw = request.query_params.get("after_id")
        open_only = request.query_params.get("status") == "open"
        if raw is not None:
            try:
                after_id = int(raw)
                if after_id < 0:
                    raise ValueError
            except ValueError:
                raise errors.InvalidInput(
                    AFTER_ID_INVALID, {"after_id": [AFTER_ID_INVALID]}
                ) from None
            alerts = selectors.alerts_after(request.user, after_id, limit=ALERTS_PAGE + 1)
            more = len(alerts) > ALERTS_PAGE
            alerts = alerts[:ALERTS_PAGE]
            if open_only:
                alerts = [a for a in alerts if a.status == "open"]
        else:
            after_id, more = 0, False
            alerts = selectors.alerts_latest(request.user, limit=100, open_only=open_only)
        last_id = max([a.pk for a in alerts], default=after_id)
        return Response(
            {
                "results": [push.alert_payload(a) for a in alerts],
                "last_id": last_id,
                "more": more,
            }
        )


ACK_NOTE_NOT_TEXT = "note 必须是文字。"


class AlertAcknowledge(APIView):
    """Acknowledge an alert; the body may carry {"note": "..."} (at most 500 characters)."""

    permission_classes = [IsStaff]

    @extend_schema(
        request=inline_serializer(
            "AlertAcknowledgement", {"note": serializers.CharField(required=False)}
        ),
        responses=AlertOutput,
    )
    def post(self, request, alert_id):
        data = request.data if isinstance(request.data, dict) else {}
        note = data.get("note", "")
        if note is None:
            note = ""
        if not isinstance(note, str):
            raise errors.InvalidInput(ACK_NOTE_NOT_TEXT, {"note": [ACK_NOTE_NOT_TEXT]})
        alert = services.alert_acknowledge(alert_id=alert_id, user=request.user, note=note)
        return Response(push.alert_payload(alert))


class DashboardSummary(APIView):
    """The command screen's figures, county-wide (aggregates, no case details)."""

    permission_classes = [IsStaff]

    @extend_schema(
        responses=inline_serializer("DashboardSummary", {"open_cases": serializers.IntegerField()})
    )
    def get(self, request):
        return Response(summary.dashboard_summary())
