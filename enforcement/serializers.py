"""The API's inputs and outputs for the blacklist and the publications."""

from rest_framework import serializers

from enforcement.models import (
    BlacklistEntry,
    BlacklistEvent,
    NoticeHow,
    Publication,
    PublicationItem,
    ResponsiblePerson,
)


class ProposeInput(serializers.Serializer):
    case_number = serializers.CharField(max_length=20, label="案件编号")
    reasons = serializers.CharField(max_length=2000, label="提请理由")


class PersonInput(serializers.Serializer):
    name = serializers.CharField(max_length=50, label="姓名")
    role = serializers.ChoiceField(choices=ResponsiblePerson.Role.choices, label="身份")
    id_number = serializers.CharField(max_length=32, label="身份证号")


class DecideInput(serializers.Serializer):
    approve = serializers.BooleanField(label="批准列入")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    responsible_persons = PersonInput(many=True, required=False, label="责任人")


class NotifyInput(serializers.Serializer):
    how = serializers.ChoiceField(choices=NoticeHow.choices, label="告知方式")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True)


class RemovalApplyInput(serializers.Serializer):
    application = serializers.CharField(max_length=2000, label="申请内容")
    applied_on = serializers.DateField(required=False, label="申请日期")


class RemovalDecideInput(serializers.Serializer):
    approve = serializers.BooleanField(label="同意提前移出")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class DraftInput(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, label="年度")
    quarter = serializers.IntegerField(min_value=1, max_value=4, label="季度")


class PersonOutput(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")
    id_number_masked = serializers.CharField()

    class Meta:
        model = ResponsiblePerson
        fields = ["name", "role", "role_label", "id_number_masked"]


class BlacklistEventOutput(serializers.ModelSerializer):
    action_label = serializers.CharField(source="get_action_display")

    class Meta:
        model = BlacklistEvent
        fields = ["action", "action_label", "actor_label", "from_state", "to_state", "note"]
        fields += ["created_at"]


class EntryOutput(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name")
    uscc = serializers.CharField(source="employer.uscc")
    case_number = serializers.CharField(source="case.number")
    state_label = serializers.CharField(source="get_state_display")

    class Meta:
        model = BlacklistEntry
        fields = [
            "id",
            "employer",
            "uscc",
            "case_number",
            "state",
            "state_label",
            "proposed_at",
            "listed_from",
            "listed_until",
            "ended_on",
        ]


class EntryDetailOutput(EntryOutput):
    responsible_persons = PersonOutput(many=True)
    events = BlacklistEventOutput(many=True)

    class Meta(EntryOutput.Meta):
        fields = EntryOutput.Meta.fields + [
            "reasons",
            "criteria_met",
            "decided_at",
            "decision_note",
            "notified_at",
            "notified_how",
            "removal_applied_on",
            "removal_application",
            "removal_decision",
            "removal_note",
            "responsible_persons",
            "events",
        ]


class ItemOutput(serializers.ModelSerializer):
    class Meta:
        model = PublicationItem
        fields = [
            "position",
            "case_number",
            "employer_name",
            "uscc",
            "employer_address",
            "responsible_person",
            "violation",
            "outcome",
            "criteria",
        ]


class PublicationOutput(serializers.ModelSerializer):
    state_label = serializers.CharField(source="get_state_display")
    items = ItemOutput(many=True)

    class Meta:
        model = Publication
        fields = ["id", "year", "quarter", "state", "state_label", "drafted_at"]
        fields += ["approved_at", "items"]
