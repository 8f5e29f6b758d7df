"""HTML forms of the portal and the workbench.

Neither form has validation rules of its own for what the API already checks: the
complaint form feeds what was typed into cases.complaint_inputs.ComplaintInput and maps its
errors back onto the fields; each transition form is generated from the transition's
input serializer (cases.lifecycle.SPECS) and its errors come back from
services.case_transition. What is typed is kept for the re-rendered page.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import lifecycle
from cases.complaint_inputs import ComplaintInput
from cases.models import CaseKind, CaseState
from cases.serializers import describe_fields
from config import form_errors
from core import roles
from core.models import Employer, Township
from rules import parameters as rules

# --- the worker's complaint ----------------------------------------------------------

CLAIMANT_FIELDS = ["name", "id_number", "phone", "amount_claimed", "months_owed"]
MAX_ROWS = 200
CONSTRUCTION_REQUIRED = gettext_lazy("请选择是否属于工程建设领域。")
PROJECT_REQUIRED = gettext_lazy("工程建设领域的投诉请填写项目名称。")
FILES_TO_RESELECT = gettext_lazy("为了安全，浏览器不会保留已选的文件，请重新选择证据文件。")

# Where each ComplaintInput error belongs on the page.
EMPLOYER_FIELDS = {
    "name": "employer_name",
    "uscc": "employer_uscc",
    "address": "employer_address",
    "township": "township",
    "*": "employer_name",
}
TOP_FIELDS = ["kind", "description", "sector", "project_name"]
_ROW_KEY = re.compile(r"^c-(\d+)-([a-z_]+)$")


@dataclass
class ClaimantRow:
    index: int
    values: dict
    errors: dict = field(default_factory=dict)

    @property
    def is_blank(self) -> bool:
        return not any(str(self.values.get(name, "")).strip() for name in CLAIMANT_FIELDS)

    @property
    def is_representative(self) -> bool:
        return bool(self.values.get("is_representative"))


class ComplaintForm:
    """What the worker typed, the payload for ComplaintInput, and errors per field."""

    TOP = [
        "kind",
        "construction",
        "project_name",
        "sector",
        "employer_name",
        "employer_uscc",
        "employer_address",
        "township",
        "description",
    ]

    # The ComplaintInput fields with a field of the same name on the page.
    ERROR_FIELDS = TOP_FIELDS

    def __init__(self, data=None, *, request=None):
        self.bound = data is not None
        self.request = request
        data = data or {}
        self.values = {name: str(data.get(name, "")).strip() for name in self.TOP}
        self.errors: dict[str, list[str]] = {}
        self.claimant_errors: list[str] = []
        self.non_field_errors: list[str] = []
        self.rows = self._rows(data)
        self.validated: dict | None = None

    def _rows(self, data) -> list[ClaimantRow]:
        found: dict[int, dict] = {}
        for key in data.keys() if hasattr(data, "keys") else []:
            match = _ROW_KEY.match(key)
            if match and int(match.group(1)) < MAX_ROWS:
                found.setdefault(int(match.group(1)), {})[match.group(2)] = str(
                    data.get(key, "")
                ).strip()
        try:
            wanted = int(data.get("rows", 1))
        except (TypeError, ValueError):
            wanted = 1
        if data.get("add_row"):
            wanted += 1
        if data.get("add_rows"):
            wanted += 5
        count = min(max(wanted, max(found, default=-1) + 1, 1), MAX_ROWS)
        return [ClaimantRow(i, found.get(i, {})) for i in range(count)]

    # Rows are compacted before validation (blank rows dropped); remember where each was.
    def _filled_rows(self) -> list[ClaimantRow]:
        return [row for row in self.rows if not row.is_blank]

    def payload(self) -> dict:
        v = self.values
        sector = "construction" if v["construction"] == "yes" else v["sector"]
        if v["construction"] == "no" and sector == "construction":
            sector = ""
        claimants = []
        for row in self._filled_rows():
            # A field left empty is missing ("required"), not an invalid value.
            item = {name: row.values[name] for name in CLAIMANT_FIELDS if row.values.get(name)}
            item["months_owed"] = item.get("months_owed") or None
            item["is_representative"] = row.is_representative
            claimants.append(item)
        return {
            "kind": v["kind"],
            "employer": {
                "name": v["employer_name"],
                "uscc": v["employer_uscc"],
                "address": v["employer_address"],
                "township": v["township"],
            },
            "claimants": claimants,
            "description": v["description"],
            "sector": sector,
            "project_name": v["project_name"] if v["construction"] == "yes" else "",
            "channel": "online",
        }

    def is_valid(self) -> bool:
        if not self.bound:
            return False
        # The two questions only this page asks (the national platform's wording).
        if self.values["construction"] not in ("yes", "no"):
            self.errors["construction"] = [str(CONSTRUCTION_REQUIRED)]
        elif self.values["construction"] == "yes" and not self.values["project_name"]:
            self.errors["project_name"] = [str(PROJECT_REQUIRED)]
        serializer = ComplaintInput(data=self.payload(), context=self.serializer_context())
        if serializer.is_valid() and not self.errors:
            self.validated = serializer.validated_data
            return True
        self._map_errors(getattr(serializer, "_errors", {}) or {})
        return False

    def serializer_context(self) -> dict:
        # The worker files for themselves, even in a browser where staff are signed in.
        return {"request": self.request, "worker_portal": True}

    def _map_errors(self, errors: dict) -> None:
        rest = form_errors.spread(
            errors, self.errors, fields=self.ERROR_FIELDS, nested={"employer": EMPLOYER_FIELDS}
        )
        if "claimants" in rest:
            self._map_claimant_errors(rest.pop("claimants"))
        self.non_field_errors.extend(form_errors.messages(rest))

    def _map_claimant_errors(self, detail) -> None:
        filled = self._filled_rows()
        if isinstance(detail, list) and detail and all(isinstance(d, dict) for d in detail):
            for row, row_errors in zip(filled, detail, strict=False):
                for sub, messages in row_errors.items():
                    row.errors[sub] = form_errors.messages(messages)
            return
        if isinstance(detail, dict) and all(str(k).isdigit() for k in detail):
            for index, row_errors in detail.items():
                if int(index) < len(filled) and isinstance(row_errors, dict):
                    for sub, messages in row_errors.items():
                        filled[int(index)].errors[sub] = form_errors.messages(messages)
            return
        self.claimant_errors.extend(form_errors.messages(detail))

    @property
    def has_errors(self) -> bool:
        return bool(
            self.errors
            or self.claimant_errors
            or self.non_field_errors
            or any(row.errors for row in self.rows)
        )

    @property
    def error_count(self) -> int:
        return (
            sum(len(v) for v in self.errors.values())
            + len(self.claimant_errors)
            + len(self.non_field_errors)
            + sum(len(m) for row in self.rows for m in row.errors.values())
        )

    # Choices for the template.
    @staticmethod
    def kinds():
        return CaseKind.choices

    @staticmethod
    def sectors():
        return [(k, v) for k, v in Employer.Sector.choices if k != "construction"]

    @staticmethod
    def townships():
        return list(Township.objects.values_list("code", "name"))

    @staticmethod
    def collective_rules() -> dict:
        return {
            "minimum": rules.int_parameter("collective_min_claimants"),
            "low": rules.int_parameter("representatives_min"),
            "high": rules.int_parameter("representatives_max"),
        }


# --- transition forms ------------------------------------------------------------------

# List inputs that name staff users, and the role each must have.
STAFF_FIELDS = {
    "inspectors": roles.INSPECTOR,
    "arbitrators": roles.ARBITRATOR,
    "mediator": roles.MEDIATOR,
}


@dataclass
class Field:
    name: str
    label: str
    widget: str  # text, textarea, select, multi, date, number, decimal, checkbox, rows
    required: bool = False
    help_text: str = ""
    choices: list = field(default_factory=list)
    value: object = ""
    errors: list = field(default_factory=list)
    min: str = ""
    items: list = field(default_factory=list)  # sub-fields of a row editor
    rows: list = field(default_factory=list)  # row editor: [{"values": {}, "errors": []}]


@dataclass
class TransitionForm:
    name: str
    label: str
    target: str
    target_label: str
    fields: list
    errors: list = field(default_factory=list)
    open: bool = False


def _widget(item: dict) -> str:
    kind = item["type"]
    if kind == "list":
        return "rows" if item.get("items") else "multi"
    if item["name"] in STAFF_FIELDS or kind == "choice":
        return "select"
    if item["name"] in ("note", "override_reason"):
        return "textarea"
    return {"date": "date", "decimal": "decimal", "integer": "number", "boolean": "checkbox"}.get(
        kind, "text"
    )


def needed_staff_roles(case, names) -> set[str]:
    needed = set()
    for name in names:
        for item in describe_fields(lifecycle.SPECS[name].inputs[case.kind]):
            if item["name"] in STAFF_FIELDS:
                needed.add(STAFF_FIELDS[item["name"]])
    return needed


def _claim_choices(case) -> list[tuple[str, str]]:
    return [
        (
            str(claim.id),
            f"{claim.person.name}（{claim.person.id_number_masked}，"
            + _("尚欠%(amount)s元") % {"amount": claim.outstanding}
            + "）",
        )
        for claim in case.claims.all()
    ]


def _min_date(case, name) -> str:
    today = timezone.localdate()
    if name == "hearing_date":
        return (
            today + dt.timedelta(days=rules.int_parameter("hearing_notice_min_days"))
        ).isoformat()
    if name in ("pay_by",):
        return (today + dt.timedelta(days=1)).isoformat()
    if name == "due_date":
        return today.isoformat()
    return ""


def _row_defaults(case, name) -> list[dict]:
    """Starting rows: one per claimant for payments and awarded items."""
    if name in ("payments", "items"):
        return [{"claim": str(claim.id)} for claim in case.claims.all()] or [{}]
    return [{}]


def transition_form(case, name, *, staff, data=None, errors=None, message="") -> TransitionForm:
    spec = lifecycle.SPECS[name]
    described = describe_fields(spec.inputs[case.kind])
    errors = errors or {}
    fields = []
    for item in described:
        widget = _widget(item)
        f = Field(
            name=item["name"],
            label=item["label"],
            widget=widget,
            required=item["required"],
            help_text=item.get("help_text", ""),
            choices=[(c["value"], c["label"]) for c in item.get("choices", [])],
            min=_min_date(case, item["name"]) if widget == "date" else "",
        )
        if item["name"] in STAFF_FIELDS:
            f.choices = staff.get(STAFF_FIELDS[item["name"]], [])
        if widget == "rows":
            f.items = []
            for sub in item["items"]:
                sub_widget = "select" if sub["name"] == "claim" else _widget(sub)
                f.items.append(
                    Field(
                        name=sub["name"],
                        label=sub["label"],
                        widget=sub_widget,
                        required=sub["required"],
                        choices=_claim_choices(case)
                        if sub["name"] == "claim"
                        else [(c["value"], c["label"]) for c in sub.get("choices", [])],
                        min=_min_date(case, sub["name"]) if sub_widget == "date" else "",
                    )
                )
        _fill(f, case, data, errors.get(item["name"]))
        fields.append(f)
    known = {item["name"] for item in described}
    unplaced = {key: detail for key, detail in errors.items() if key not in known}
    top_errors = [message] if message else []
    top_errors.extend(form_errors.messages(unplaced))
    target = lifecycle.likely_target(case, name)
    return TransitionForm(
        name=name,
        label=spec.label,
        target=target,
        target_label=CaseState(target).label,
        fields=fields,
        errors=top_errors,
        open=data is not None,
    )


def _fill(f: Field, case, data, detail) -> None:
    """Put the typed values (or the defaults) and the errors on one field."""
    if f.widget == "rows":
        if data is not None:
            rows = [r for r in _posted_rows(data, f) if _row_filled(r)]
        else:
            rows = _row_defaults(case, f.name)
        rows = rows or [{}]
        # One spare blank row, so that a page without JavaScript can add a line too.
        f.rows = [{"values": values, "errors": []} for values in [*rows, {}]]
        if isinstance(detail, dict):
            filled = [r for r in f.rows if _row_filled(r["values"])]
            for index, row_errors in detail.items():
                if str(index).isdigit() and int(index) < len(filled):
                    filled[int(index)]["errors"] = form_errors.messages(row_errors)
        elif detail:
            f.errors = form_errors.messages(detail)
        return
    if data is not None:
        if f.widget == "multi":
            f.value = data.getlist(f.name) if hasattr(data, "getlist") else data.get(f.name, [])
        elif f.widget == "checkbox":
            f.value = bool(data.get(f.name))
        else:
            f.value = data.get(f.name, "")
    elif f.widget == "multi":
        f.value = []
    if detail:
        f.errors = form_errors.messages(detail)


# Pickers (which claimant, which item) come preselected; a row counts only when
# something was typed into it.
_PICKERS = {"claim", "item"}


def _row_filled(values: dict) -> bool:
    return any(v for k, v in values.items() if k not in _PICKERS)


def _posted_rows(data, f: Field) -> list[dict]:
    pattern = re.compile(rf"^{re.escape(f.name)}-(\d+)-([a-z_]+)$")
    rows: dict[int, dict] = {}
    for key in data.keys():
        match = pattern.match(key)
        if match and int(match.group(1)) < MAX_ROWS:
            rows.setdefault(int(match.group(1)), {})[match.group(2)] = data.get(key, "").strip()
    return [rows[i] for i in sorted(rows)]


def transition_data(case, name, post) -> dict:
    """The POSTed form as the input the transition's serializer expects."""
    spec = lifecycle.SPECS[name]
    data: dict = {}
    for item in describe_fields(spec.inputs[case.kind]):
        key = item["name"]
        widget = _widget(item)
        if widget == "rows":
            f = Field(name=key, label="", widget="rows")
            data[key] = [
                {k: v for k, v in row.items() if v != ""}
                for row in _posted_rows(post, f)
                if _row_filled(row)
            ]
        elif widget == "multi":
            data[key] = [v.strip() for v in post.getlist(key) if v.strip()]
        elif widget == "checkbox":
            if post.get(key):
                data[key] = True
        else:
            value = post.get(key, "").strip()
            if value:
                data[key] = value
    return data
