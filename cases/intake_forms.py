"""The workbench's intake forms: a complaint staff received by any channel (walk-in,
letter, hotline, the national platform) and an inspection opened on the inspector's own
initiative (patrol, written review, special campaign).

Like the worker's form (cases.forms.ComplaintForm), they have no rules of their own for
what the services check: the complaint goes through cases.complaint_inputs.ComplaintInput and
the staff path of the filing service, exactly as the API's staff path does; the
inspection through cases.filing.inspection_open. Both obey cases.staff_entry (own
township, received time, reason for back-dating). What is typed is kept on error.
"""

from types import SimpleNamespace

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy

from cases import errors, filing, selectors
from cases.complaint_inputs import EmployerInput
from cases.forms import EMPLOYER_FIELDS, TOP_FIELDS, ComplaintForm
from cases.models import OWN_INITIATIVE_CHANNELS, STAFF_COMPLAINT_CHANNELS, Channel
from config import form_errors
from core import roles
from core.models import Employer, Township

CHANNEL_REQUIRED = gettext_lazy("请选择收到投诉的渠道。")
RECEIVED_AT_UNREADABLE = gettext_lazy("无法识别的时间，请按“年-月-日 时:分”填写。")
DESCRIPTION_REQUIRED = gettext_lazy("请写明发现的违法线索。")


def user_townships(user) -> list[Township]:
    """The townships a user may file into (cases.staff_entry's first rule)."""
    if roles.is_county_level(user):
        return list(Township.objects.all())
    return list(Township.objects.filter(id__in=roles.township_ids(user)))


def _received_at_value(text: str):
    """(the ISO text for the service, error) from a datetime-local input; '' is now."""
    text = (text or "").strip()
    if not text:
        return None, None
    parsed = parse_datetime(text.replace(" ", "T"))
    if parsed is None:
        return None, str(RECEIVED_AT_UNREADABLE)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed, None


def now_local_input() -> str:
    """The value a datetime-local input shows for 'now' (the form's default)."""
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class StaffComplaintForm(ComplaintForm):
    """A complaint as staff enter it: the worker's fields plus channel, the original
    received time and, for a late entry, the reason; townships limited to the user's."""

    TOP = [*ComplaintForm.TOP, "channel", "received_at", "backdate_reason"]
    ERROR_FIELDS = [*TOP_FIELDS, "channel", "received_at", "backdate_reason"]

    def __init__(self, data=None, *, request):
        super().__init__(data, request=request)
        if not self.bound:
            self.values["received_at"] = now_local_input()

    def serializer_context(self) -> dict:
        return {"request": self.request}  # a staff entry: cases.staff_entry applies

    def payload(self) -> dict:
        data = super().payload()
        data["channel"] = self.values["channel"]
        if self.values["received_at"]:
            received, _error = _received_at_value(self.values["received_at"])
            data["received_at"] = received.isoformat() if received else self.values["received_at"]
        data["backdate_reason"] = self.values["backdate_reason"]
        return data

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        if self.values["channel"] not in STAFF_COMPLAINT_CHANNELS:
            self.errors["channel"] = [str(CHANNEL_REQUIRED)]
        _received, problem = _received_at_value(self.values["received_at"])
        if problem:
            self.errors["received_at"] = [problem]
        valid = super().is_valid()
        return valid and not self.errors

    def townships(self):
        return [(t.code, t.name) for t in user_townships(self.request.user)]

    @staticmethod
    def channels():
        return [(c.value, c.label) for c in STAFF_COMPLAINT_CHANNELS]


class InspectionForm:
    """An inspection opened on the inspector's own initiative: employer, how it was
    found, when, what was found, and the inspectors (at least two) who investigate."""

    FIELDS = [
        "channel",
        "received_at",
        "backdate_reason",
        "township",
        "employer_name",
        "employer_uscc",
        "employer_address",
        "sector",
        "project_name",
        "description",
        "note",
    ]

    def __init__(self, data=None, *, request):
        self.bound = data is not None
        self.request = request
        data = data or {}
        self.values = {name: str(data.get(name, "")).strip() for name in self.FIELDS}
        self.inspectors = (
            [v.strip() for v in data.getlist("inspectors") if v.strip()]
            if hasattr(data, "getlist")
            else list(data.get("inspectors", []))
        )
        if not self.bound:
            self.values["received_at"] = now_local_input()
            self.inspectors = [request.user.get_username()]
        self.errors: dict[str, list[str]] = {}
        self.non_field_errors: list[str] = []
        self.case = None

    def _error(self, name, messages):
        self.errors.setdefault(name, []).extend(messages)

    def save(self) -> bool:
        """Open the inspection; False (with errors on the fields) when it cannot be."""
        v = self.values
        townships = {t.code: t for t in user_townships(self.request.user)}
        all_townships = {t.code: t for t in Township.objects.all()}
        township = townships.get(v["township"]) or all_townships.get(v["township"])
        employer = EmployerInput(
            data={
                "name": v["employer_name"],
                "uscc": v["employer_uscc"],
                "address": v["employer_address"],
                "township": v["township"],
            }
        )
        if not employer.is_valid():
            employer_errors = {"employer": employer.errors}
            form_errors.spread(employer_errors, self.errors, nested={"employer": EMPLOYER_FIELDS})
        if not v["description"]:
            self._error("description", [str(DESCRIPTION_REQUIRED)])
        received_at, problem = _received_at_value(v["received_at"])
        if problem:
            self._error("received_at", [problem])
        if self.errors:
            return False
        try:
            self.case = filing.inspection_open(
                actor=self.request.user,
                township=township,
                employer_name=employer.validated_data["name"],
                employer_uscc=employer.validated_data.get("uscc", ""),
                employer_address=employer.validated_data.get("address", ""),
                sector=v["sector"] if v["sector"] in Employer.Sector.values else "",
                project_name=v["project_name"],
                channel=v["channel"],
                description=v["description"],
                inspectors=self.inspectors,
                received_at=received_at,
                backdate_reason=v["backdate_reason"],
                note=v["note"],
            )
        except errors.InvalidInput as error:
            rest = form_errors.spread(
                error.errors or {}, self.errors, fields=[*self.FIELDS, "inspectors"]
            )
            self.non_field_errors.extend(form_errors.messages(rest))
            if not error.errors:
                self.non_field_errors.append(error.message)
            return False
        except errors.DomainError as error:
            self.non_field_errors.append(error.message)
            return False
        return True

    @property
    def has_errors(self) -> bool:
        return bool(self.errors or self.non_field_errors)

    @property
    def error_count(self) -> int:
        return sum(len(v) for v in self.errors.values()) + len(self.non_field_errors)

    def townships(self):
        return [(t.code, t.name) for t in user_townships(self.request.user)]

    @staticmethod
    def channels():
        return [(c.value, Channel(c).label) for c in OWN_INITIATIVE_CHANNELS]

    @staticmethod
    def sectors():
        return Employer.Sector.choices

    def inspector_choices(self) -> list[tuple[str, str]]:
        """Inspectors who work one of the user's townships (the service checks that
        they work the chosen one)."""
        choices: dict[str, str] = {}
        for township in user_townships(self.request.user):
            place = SimpleNamespace(township_id=township.id)
            for username, label in selectors.staff_choices(place, [roles.INSPECTOR])[
                roles.INSPECTOR
            ]:
                choices.setdefault(username, label)
        return sorted(choices.items())
