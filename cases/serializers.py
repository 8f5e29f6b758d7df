"""API output shapes for complaints and cases (what the API and the worker portal show).

The complaint input serializers and their messages are in cases.complaint_inputs.
"""

from decimal import Decimal

from django.utils import timezone
from rest_framework import serializers

from cases.labels import STAGE_LABELS, WORKER_TIMELINE_TEXT
from cases.models import Case, CaseEvent, CaseState
from core import validators
from core.models import Employer


class FiledComplaintOutput(serializers.Serializer):
    """201: the new case. 200: a duplicate of an open case; staff who can see it get its
    facts and duplicate_of, anyone else only merged and detail (nothing about the case)."""

    case_number = serializers.CharField(required=False)
    query_code = serializers.CharField(required=False)
    state = serializers.CharField(required=False)
    received_at = serializers.DateTimeField(required=False)
    deadline = serializers.DateField(allow_null=True, required=False)
    duplicate_of = serializers.CharField(required=False)
    merged = serializers.BooleanField(required=False)
    detail = serializers.CharField(required=False)


# The dates a worker may need to act on, in the order they happen; each stays on the page
# once it is known, whatever stage the case has reached.
WORKER_DATES = [
    ("received", "收到投诉"),
    ("accepted", "受理（立案）"),
    ("tribunal_composed", "组成仲裁庭"),
    ("hearing", "开庭日期"),
    ("postponed_from", "原定开庭日期（已延期）"),
    ("pay_by", "用人单位限期支付日"),
    ("agreement_signed", "签订调解协议"),
    ("awarded", "作出裁决"),
    ("ended", "办结"),
]
ENDED_LABELS = {
    CaseState.CLOSED: "办结",
    CaseState.REJECTED: "不予受理",
    CaseState.WITHDRAWN: "撤回",
}


class WorkerCaseView(serializers.ModelSerializer):
    case_number = serializers.CharField(source="number")
    state_label = serializers.CharField(source="get_state_display")
    kind_label = serializers.CharField(source="get_kind_display")
    township = serializers.CharField(source="township.name")
    employer = serializers.CharField(source="employer.name")
    days_left = serializers.SerializerMethodField()
    clock_stage_label = serializers.SerializerMethodField()
    dates = serializers.SerializerMethodField()
    amounts = serializers.SerializerMethodField()
    claims = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "case_number",
            "kind",
            "kind_label",
            "state",
            "state_label",
            "township",
            "employer",
            "received_at",
            "accepted_on",
            "deadline",
            "days_left",
            "clock_stage",
            "clock_stage_label",
            "calendar_fallback",
            "hearing_date",
            "pay_by",
            "dates",
            "amounts",
            "claims",
            "timeline",
        ]

    def get_days_left(self, case) -> int | None:
        return case.days_left() if case.is_open else None

    def get_clock_stage_label(self, case) -> str:
        return STAGE_LABELS.get(case.clock_stage, "") if case.is_open else ""

    def get_dates(self, case) -> list[dict]:
        """Every date known so far (key, label, ISO date): none is dropped as the case
        moves on, so the hearing and pay-by dates stay after an award or a payment."""
        outcome = case.outcome or {}
        found = {
            "received": timezone.localtime(case.received_at).date(),
            "accepted": case.accepted_on,
            "tribunal_composed": case.tribunal_composed_on,
            "hearing": case.hearing_date,
            "postponed_from": outcome.get("postponed_from"),
            "pay_by": case.pay_by,
            "agreement_signed": outcome.get("agreement_signed_on"),
            "awarded": outcome.get("awarded_on"),
            "ended": self._ended_on(case),
        }
        labels = dict(WORKER_DATES) | {"ended": ENDED_LABELS.get(case.state, "办结")}
        return [
            {"key": key, "label": labels[key], "date": str(found[key])}
            for key, _label in WORKER_DATES
            if found[key]
        ]

    @staticmethod
    def _ended_on(case):
        if case.is_open:
            return None
        last = [
            e for e in case.events.all() if e.to_state == case.state and e.from_state != e.to_state
        ]
        return timezone.localtime(last[-1].created_at).date() if last else None

    def get_amounts(self, case) -> dict:
        """The case's totals in yuan (strings; null when not decided): claimed, ordered by
        the inspector, agreed in mediation, awarded, recovered so far."""
        outcome = case.outcome or {}
        claims = list(case.claims.all())
        awarded = self._awarded_by_claim(case)
        return {
            "claimed": str(sum((c.amount_claimed for c in claims), Decimal("0"))),
            "ordered": outcome.get("ordered_amount"),
            "agreed": outcome.get("agreed_amount"),
            "awarded": str(sum(awarded.values(), Decimal("0"))) if awarded else None,
            "recovered": str(sum((c.amount_recovered for c in claims), Decimal("0"))),
            "instalments": [
                {"due_date": i["due_date"], "amount": i["amount"], "paid": bool(i.get("paid"))}
                for i in outcome.get("instalments", [])
            ],
        }

    def get_claims(self, case) -> list[dict]:
        """Per worker: what was claimed, awarded and recovered (the name masked: everyone
        with the code sees this page)."""
        awarded = self._awarded_by_claim(case)
        return [
            {
                "name": validators.mask_name(claim.person.name),
                "claimed": str(claim.amount_claimed),
                "awarded": str(awarded[claim.pk]) if claim.pk in awarded else None,
                "recovered": str(claim.amount_recovered),
                "outstanding": str(claim.outstanding),
            }
            for claim in case.claims.all()
        ]

    @staticmethod
    def _awarded_by_claim(case) -> dict[int, Decimal]:
        totals: dict[int, Decimal] = {}
        for item in (case.outcome or {}).get("award_items", []):
            claim = int(item["claim"])
            totals[claim] = totals.get(claim, Decimal("0")) + Decimal(str(item["amount"]))
        return totals

    def get_timeline(self, case) -> list[dict]:
        return [
            {
                "time": event.created_at,
                "text": WORKER_TIMELINE_TEXT.get(event.transition, event.transition),
                "state": event.to_state,
            }
            for event in case.events.all()
        ]


class CaseListItem(serializers.ModelSerializer):
    case_number = serializers.CharField(source="number")
    state_label = serializers.CharField(source="get_state_display")
    township = serializers.CharField(source="township.code")
    township_name = serializers.CharField(source="township.name")
    employer = serializers.CharField(source="employer.name")
    claimants = serializers.IntegerField(source="claimant_count")
    amount_claimed = serializers.DecimalField(
        source="claimed_total", max_digits=14, decimal_places=2
    )
    days_left = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "case_number",
            "kind",
            "state",
            "state_label",
            "township",
            "township_name",
            "employer",
            "claimants",
            "amount_claimed",
            "is_collective",
            "channel",
            "received_at",
            "clock_stage",
            "deadline",
            "days_left",
            "overdue",
            "calendar_fallback",
            "risk_score",
            "risk_level",
            "version",
        ]

    def get_days_left(self, case) -> int | None:
        return case.days_left() if case.is_open else None

    def get_overdue(self, case) -> bool:
        days = self.get_days_left(case)
        return days is not None and days < 0


class ClaimOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")
    id_number = serializers.CharField(source="person.id_number_masked")
    phone = serializers.CharField(source="person.phone_masked")
    amount_claimed = serializers.DecimalField(max_digits=12, decimal_places=2)
    months_owed = serializers.IntegerField(allow_null=True)
    amount_recovered = serializers.DecimalField(max_digits=12, decimal_places=2)
    is_representative = serializers.BooleanField()


class EmployerOutput(serializers.ModelSerializer):
    township = serializers.CharField(source="township.code", allow_null=True, default=None)

    class Meta:
        model = Employer
        fields = [
            "id",
            "name",
            "uscc",
            "address",
            "township",
            "sector",
            "size_class",
            "state_owned_or_government_project",
            "closed_under_policy",
            "blacklisted_until",
        ]


class EventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "created_at",
            "actor",
            "transition",
            "from_state",
            "to_state",
            "note",
            "data",
        ]


class EvidenceOutput(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class CaseDetail(CaseListItem):
    employer = EmployerOutput()
    claims = ClaimOutput(many=True)
    events = EventOutput(many=True)
    evidence = EvidenceOutput(many=True)
    amount_recovered = serializers.DecimalField(
        source="recovered_total", max_digits=14, decimal_places=2
    )
    inspectors = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    arbitrators = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)
    mediator = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta(CaseListItem.Meta):
        fields = [
            *CaseListItem.Meta.fields,
            "description",
            "project_name",
            "sector",
            "amount_recovered",
            "accepted_on",
            "pay_by",
            "hearing_date",
            "employer_heard_on",
            "tribunal_composed_on",
            "rejection_reason",
            "extended_stages",
            "clock_pauses",
            "outcome",
            "inspectors",
            "mediator",
            "arbitrators",
            "claims",
            "evidence",
            "events",
            "risk_factors",
        ]


def describe_fields(serializer_class) -> list[dict]:
    """The inputs a transition needs, for a client to build its form."""
    described = []
    for name, field in serializer_class().fields.items():
        item = {
            "name": name,
            "type": _field_type(field),
            "required": field.required,
            "label": str(field.label or name),
        }
        if field.help_text:
            item["help_text"] = str(field.help_text)
        if isinstance(field, serializers.ChoiceField):
            item["choices"] = [{"value": k, "label": str(v)} for k, v in field.choices.items()]
        if isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.Serializer
        ):
            item["items"] = describe_fields(type(field.child))
        described.append(item)
    return described


def _field_type(field) -> str:
    for kind, names in {
        "date": (serializers.DateField,),
        "decimal": (serializers.DecimalField,),
        "integer": (serializers.IntegerField,),
        "boolean": (serializers.BooleanField,),
        "choice": (serializers.ChoiceField,),
        "list": (serializers.ListField,),
    }.items():
        if isinstance(field, names):
            return kind
    return "text"


STATE_LABELS = dict(CaseState.choices)
