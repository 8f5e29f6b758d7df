"""What the rules give back: every rule with pass/fail and a reason a clerk can read
aloud, per beneficiary and for the application, and the amount."""

from dataclasses import dataclass, field
from decimal import Decimal

from workflows.eligibility.facts import ZERO, Person, PolicyTerms

# What each rule is called where a person reads it (the code stays in the stored result
# and the API).
RULE_LABELS = {
    "application": "申请",
    "policy_in_force": "政策有效期",
    "not_blacklisted": "欠薪黑名单",
    "applicant_kind": "申请主体类型",
    "applicant_size": "企业规模",
    "has_beneficiaries": "补贴对象",
    "amount": "核定金额",
    "absorption_tier": "吸纳人数档次",
    "employed_in_period": "期间内在岗",
    "target_group": "补贴对象类别",
    "destination_rate": "就业去向比例",
    "insurance_months": "社保缴纳月数",
    "insurance_paid": "单位实缴社保费",
    "loan_limit": "贷款额度",
    "business_started": "创业时间",
    "hard_to_employ": "就业困难人员",
    "hired_in_period": "期间内招用",
    "stable_employment": "稳定就业",
    "max_months": "最长享受期限",
    "no_overlap": "不重复享受",
    "once_per_person": "每人限享一次",
    "placed": "成功介绍就业",
    "contract_term": "劳动合同期限",
}


def rule_label(code: str) -> str:
    return RULE_LABELS.get(code, code)


@dataclass(frozen=True)
class Rule:
    rule: str
    passed: bool
    reason: str

    def as_dict(self):
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason}


@dataclass
class PersonResult:
    person: Person
    rules: list[Rule] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    amount: Decimal = ZERO
    counted: bool = True  # False once any rule failed

    def check(self, rule: str, passed: bool, reason: str) -> bool:
        self.rules.append(Rule(rule, passed, reason))
        if not passed:
            self.counted = False
        return passed

    def note(self, rule: str, reason: str) -> None:
        self.rules.append(Rule(rule, True, reason))

    @property
    def eligible(self) -> bool:
        return self.counted

    @property
    def reasons(self) -> list[str]:
        failed = [r.reason for r in self.rules if not r.passed]
        return failed or [r.reason for r in self.rules]


@dataclass
class Evaluation:
    policy: PolicyTerms
    rules: list[Rule] = field(default_factory=list)
    people: list[PersonResult] = field(default_factory=list)
    amount: Decimal = ZERO

    @property
    def allowed(self) -> bool:
        return all(r.passed for r in self.rules) and self.amount > 0

    @property
    def refusals(self) -> list[Rule]:
        return [r for r in self.rules if not r.passed]
