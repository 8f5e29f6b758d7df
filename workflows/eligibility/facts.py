"""What the rules read: a policy version's terms, the application as entered, the
employer's registry entry and what other applications already hold."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from rules.models import ApplicantKind, PolicyCode, in_force

CENT = Decimal("0.01")
ZERO = Decimal("0")
SMALL_OR_MICRO = ("micro", "small")
SIZE_LABELS = {"micro": "微型", "small": "小型", "medium": "中型", "large": "大型"}
KIND_LABELS = dict(ApplicantKind.choices)

# Policies paid per month of a person (overlapping months are removed, the rest paid).
MONTHLY = {PolicyCode.POST, PolicyCode.SOCIAL_INSURANCE, PolicyCode.RENT}
# Policies whose single person is the entrepreneur.
ENTREPRENEUR = {PolicyCode.STARTUP, PolicyCode.RENT}


@dataclass(frozen=True)
class PolicyTerms:
    """A policy version as the rules read it."""

    code: str
    name: str
    applicant_kinds: tuple[str, ...]
    applicant_sizes: tuple[str, ...]
    citation: str
    effective_from: dt.date
    effective_to: dt.date | None
    values: dict[str, Decimal]
    labels: dict[str, str] = field(default_factory=dict)

    def value(self, key: str) -> Decimal:
        if key not in self.values:
            raise KeyError(f"政策“{self.name}”缺少参数 {key}，请管理员在后台补录。")
        return self.values[key]

    def count(self, key: str) -> int:
        return int(self.value(key))

    @property
    def rates(self) -> dict[str, Decimal]:
        return {k.split(":", 1)[1]: v for k, v in self.values.items() if k.startswith("rate:")}

    def covers(self, day: dt.date) -> bool:
        return bool(in_force([self], day))

    @property
    def period_text(self) -> str:
        end = self.effective_to.isoformat() if self.effective_to else "长期"
        return f"{self.effective_from.isoformat()}至{end}"


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    hire_date: dt.date | None = None
    contract_months: int = 0
    hard_to_employ: bool = False
    graduation_year: int | None = None
    insurance_months: int = 0
    insurance_paid: Decimal = ZERO
    destination: str = ""


@dataclass(frozen=True)
class Application:
    policy_code: str
    applicant_kind: str
    applicant_name: str
    size_class: str
    period_start: dt.date
    period_end: dt.date
    beneficiaries: tuple[Person, ...]
    requested_amount: Decimal | None = None


@dataclass(frozen=True)
class EmployerFacts:
    """The employer's entry in the county registry, when its USCC is registered."""

    name: str
    size_class: str
    blacklisted_until: dt.date | None


@dataclass
class PriorClaims:
    """What applications that are not rejected already hold, per ID number.

    months: id_number -> {month: application number}; once: id_number -> application
    number (one-time subsidies a person may receive only once).
    """

    months: dict[str, dict[str, str]] = field(default_factory=dict)
    once: dict[str, str] = field(default_factory=dict)
