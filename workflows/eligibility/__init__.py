"""Eligibility and amounts, rule by rule (pure functions: no database access).

`evaluate()` takes a policy version (its figures read from the policy table), the
application as entered, what other applications that are not rejected already hold for
the same people, and the employer's registry entry; it returns every rule with pass/fail
and a reason a clerk can read aloud, per beneficiary and for the application.

Months are "YYYY-MM" keys. A month counts for a monthly subsidy when the policy is in
force on its first day, so months after the policy's end (2028-01-10) are refused
because the policy has ended; a one-time subsidy needs its whole qualifying period
inside the policy's period.

The layers: facts.py (what the rules read), result.py (what they give back), months.py
(months and amounts as text), per_person.py (rules the calculators share),
calculators.py (one per policy), evaluation.py (`evaluate`, the entry point).
"""

from workflows.eligibility.calculators import CALCULATORS
from workflows.eligibility.evaluation import evaluate
from workflows.eligibility.facts import (
    CENT,
    ENTREPRENEUR,
    KIND_LABELS,
    MONTHLY,
    SIZE_LABELS,
    SMALL_OR_MICRO,
    ZERO,
    Application,
    EmployerFacts,
    Person,
    PolicyTerms,
    PriorClaims,
)
from workflows.eligibility.months import (
    add_months,
    first_day,
    month_key,
    month_ranges,
    months_between,
    yuan,
)
from workflows.eligibility.result import (
    RULE_LABELS,
    Evaluation,
    PersonResult,
    Rule,
    rule_label,
)

__all__ = [
    "CALCULATORS",
    "CENT",
    "ENTREPRENEUR",
    "KIND_LABELS",
    "MONTHLY",
    "RULE_LABELS",
    "SIZE_LABELS",
    "SMALL_OR_MICRO",
    "ZERO",
    "Application",
    "EmployerFacts",
    "Evaluation",
    "Person",
    "PersonResult",
    "PolicyTerms",
    "PriorClaims",
    "Rule",
    "add_months",
    "evaluate",
    "first_day",
    "month_key",
    "month_ranges",
    "months_between",
    "rule_label",
    "yuan",
]
