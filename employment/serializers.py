"""API input and output of the re-employment ledger."""

from rest_framework import serializers

from core.models import Employer, Township, Village
from core.serializers import TownshipField
from employment.models import (
    Category,
    ClosedPlant,
    JobPosting,
    LedgerEntry,
    LedgerEvent,
    Mode,
    Referral,
    ServiceItem,
    Status,
    Target,
)


class VillageOutput(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Village
        fields = ["id", "code", "name", "kind", "township"]


class LedgerEventOutput(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = LedgerEvent
        fields = ["id", "kind", "status", "mode", "occurred_on", "note", "data", "actor"]

    def get_actor(self, event) -> str | None:
        return event.actor.get_username() if event.actor else None


class ServiceItemOutput(serializers.ModelSerializer):
    entry = serializers.IntegerField(source="entry_id")
    referral = serializers.IntegerField(source="referral_id", allow_null=True)
    done_by = serializers.SerializerMethodField()
    person_name = serializers.CharField(source="entry.person.name", read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "entry",
            "person_name",
            "kind",
            "seq",
            "due_on",
            "done_on",
            "done_by",
            "referral",
            "note",
        ]

    def get_done_by(self, item) -> str | None:
        return item.done_by.get_username() if item.done_by else None


class ReferralOutput(serializers.ModelSerializer):
    entry = serializers.IntegerField(source="entry_id")
    posting = serializers.IntegerField(source="posting_id")
    employer = serializers.CharField(source="posting.employer.name")
    title = serializers.CharField(source="posting.title")

    class Meta:
        model = Referral
        fields = [
            "id",
            "entry",
            "posting",
            "employer",
            "title",
            "referred_on",
            "outcome",
            "outcome_on",
            "sms_sent",
            "note",
        ]


class EntryListItem(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    id_number = serializers.CharField(source="person.id_number_masked")
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    village = serializers.IntegerField(source="village_id")
    village_name = serializers.CharField(source="village.name")
    plant = serializers.IntegerField(source="plant_id", allow_null=True)
    services_open = serializers.IntegerField(read_only=True)
    services_overdue = serializers.IntegerField(read_only=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id",
            "name",
            "id_number",
            "category",
            "township",
            "village",
            "village_name",
            "plant",
            "status",
            "mode",
            "employer_name",
            "employed_on",
            "wants_work",
            "training_needs",
            "entered_on",
            "services_open",
            "services_overdue",
        ]


class EntryDetail(EntryListItem):
    phone = serializers.CharField(source="person.phone_masked")
    events = LedgerEventOutput(many=True, source="history")
    services = ServiceItemOutput(many=True, source="service_items")
    referrals = ReferralOutput(many=True, source="referral_list")

    class Meta(EntryListItem.Meta):
        fields = [
            f for f in EntryListItem.Meta.fields if f not in ("services_open", "services_overdue")
        ] + ["phone", "events", "services", "referrals"]


class EntryInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=18)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(choices=Category.choices)
    village = serializers.PrimaryKeyRelatedField(queryset=Village.objects.all())
    plant = serializers.PrimaryKeyRelatedField(
        queryset=ClosedPlant.objects.all(), required=False, allow_null=True, default=None
    )
    wants_work = serializers.BooleanField(default=True)
    training_needs = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    entered_on = serializers.DateField(required=False, allow_null=True, default=None)


class StatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    mode = serializers.ChoiceField(choices=Mode.choices, required=False, allow_blank=True)
    employer = serializers.SlugRelatedField(
        slug_field="uscc",
        queryset=Employer.objects.exclude(uscc=""),
        required=False,
        allow_null=True,
        help_text="就业单位的统一社会信用代码（系统中已有的单位）",
    )
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ServiceDoneInput(serializers.Serializer):
    done_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReferralInput(serializers.Serializer):
    entry = serializers.IntegerField()
    posting = serializers.IntegerField()
    referred_on = serializers.DateField(required=False, allow_null=True)
    send_sms = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class OutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in Referral.Outcome.choices if c[0] != Referral.Outcome.PENDING]
    )
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class PlantOutput(serializers.ModelSerializer):
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    roster = serializers.IntegerField(read_only=True)
    employed = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClosedPlant
        fields = [
            "id",
            "name",
            "uscc",
            "township",
            "closed_on",
            "sector",
            "laid_off",
            "severance_owed",
            "wages_owed",
            "roster",
            "employed",
        ]


class PlantInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=18)
    township = TownshipField()
    closed_on = serializers.DateField()
    sector = serializers.ChoiceField(choices=Employer.Sector.choices, default="steel_coke")
    laid_off = serializers.IntegerField(min_value=0, default=0)
    severance_owed = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, default=0
    )
    wages_owed = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, default=0)


class PostingSerializer(serializers.ModelSerializer):
    employer = serializers.SlugRelatedField(
        slug_field="uscc", queryset=Employer.objects.exclude(uscc="")
    )
    employer_name = serializers.CharField(source="employer.name", read_only=True)
    township = TownshipField(required=False, allow_null=True)

    class Meta:
        model = JobPosting
        fields = [
            "id",
            "employer",
            "employer_name",
            "title",
            "pay",
            "place",
            "township",
            "openings",
            "prefers_closed_plant",
            "is_open",
            "posted_on",
        ]


class ShareSerializer(serializers.Serializer):
    township = serializers.SlugRelatedField(slug_field="code", queryset=Township.objects.all())
    urban_new = serializers.IntegerField(min_value=0)
    rural_transfer = serializers.IntegerField(min_value=0)


class TargetSerializer(serializers.ModelSerializer):
    shares = ShareSerializer(many=True, required=False)

    class Meta:
        model = Target
        fields = ["year", "reemployment_rate", "urban_new", "rural_transfer", "note", "shares"]


class ProgressFigures(serializers.Serializer):
    laid_off = serializers.IntegerField()
    reemployed = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    urban_new = serializers.IntegerField()
    rural_transfer = serializers.IntegerField()


class DispatchRowOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    township = serializers.CharField(source="township.code")
    township_name = serializers.CharField(source="township.name")
    share_urban = serializers.IntegerField()
    share_rural = serializers.IntegerField()
    urban_new = serializers.IntegerField()
    rural_transfer = serializers.IntegerField()
    laid_off = serializers.IntegerField()
    reemployed = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    urban_completion = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    rural_completion = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    rate_completion = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    overdue_people = serializers.IntegerField()
    laggard = serializers.BooleanField()


class DispatchCorrectionOutput(serializers.Serializer):
    month = serializers.CharField(help_text="被更正的已报送月份 YYYY-MM")
    township = serializers.CharField(help_text="乡镇代码；空为全县合计")
    township_name = serializers.CharField()
    figure = serializers.CharField()
    label = serializers.CharField()
    reported = serializers.IntegerField()
    now = serializers.IntegerField()
    difference = serializers.IntegerField()


class DispatchOutput(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    end = serializers.DateField()
    time_progress = serializers.DecimalField(max_digits=6, decimal_places=1)
    county = ProgressFigures()
    rows = DispatchRowOutput(many=True)
    reported_at = serializers.DateTimeField(
        allow_null=True, help_text="报送时间：该月已随月报报送，数字为报送时的数字；未报送为空。"
    )
    corrections = DispatchCorrectionOutput(many=True)
