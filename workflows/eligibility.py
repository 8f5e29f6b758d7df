"""Eligibility and amounts, rule by rule (pure functions: no database access).

`evaluate()` takes a policy version (its figures read from the policy table), the
application as entered, what other applications that are not rejected already hold for
the same people, and the employer's registry entry; it returns every rule with pass/fail
and a reason a clerk can read aloud, per beneficiary and for the application.

Months are "YYYY-MM" keys. A month counts for a monthly subsidy when the policy is in
force on its first day, so months after the policy's end (2028-01-10) are refused
because the policy has ended; a one-time subsidy needs its whole qualifying period
inside the policy's period.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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


# --- inputs ------------------------------------------------------------------------------


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


# --- outputs -----------------------------------------------------------------------------


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


# --- helpers -----------------------------------------------------------------------------


def month_key(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(key: str) -> dt.date:
    year, month = key.split("-")
    return dt.date(int(year), int(month), 1)


def months_between(start: dt.date, end: dt.date) -> list[str]:
    keys, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = [31, 29 if _leap(year) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return dt.date(year, month, min(day.day, last))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def month_ranges(keys) -> str:
    """'2025-01至2025-03、2025-06': consecutive months folded into ranges."""
    keys = sorted(set(keys))
    if not keys:
        return "无"
    parts, start, prev = [], keys[0], keys[0]
    for key in keys[1:]:
        if months_between(first_day(prev), first_day(key)) == [prev, key]:
            prev = key
            continue
        parts.append(start if start == prev else f"{start}至{prev}")
        start = prev = key
    parts.append(start if start == prev else f"{start}至{prev}")
    return "、".join(parts)


def yuan(amount: Decimal) -> str:
    amount = Decimal(amount).quantize(CENT)
    text = f"{amount:,.2f}"
    return text[:-3] if text.endswith(".00") else text


def _by_application(held: dict[str, str], months) -> str:
    numbers = sorted({held[m] for m in months})
    return "、".join(numbers)


# --- the evaluation ----------------------------------------------------------------------


def evaluate(
    policy: PolicyTerms,
    application: Application,
    *,
    prior: PriorClaims,
    employer: EmployerFacts | None,
    today: dt.date,
) -> Evaluation:
    result = Evaluation(policy=policy)
    size = _application_rules(result, policy, application, employer, today)
    for person in application.beneficiaries:
        result.people.append(PersonResult(person=person))
    if result.refusals:
        failed = "；".join(r.reason for r in result.refusals)
        for person_result in result.people:
            person_result.check("application", False, f"申请未通过审查：{failed}")
        result.rules.append(Rule("amount", False, "核定金额0元：申请不符合补贴条件。"))
        return result

    calculate = CALCULATORS[policy.code]
    calculate(result, policy, application, prior, size)
    result.amount = result.amount.quantize(CENT)
    eligible = sum(1 for p in result.people if p.eligible)
    if result.amount > 0:
        result.rules.append(
            Rule(
                "amount",
                True,
                f"核定金额{yuan(result.amount)}元（{len(result.people)}人中{eligible}人符合条件）。",
            )
        )
    else:
        result.rules.append(
            Rule("amount", False, "核定金额0元：没有符合条件的对象或可补贴的月份，不予补贴。")
        )
    return result


def _application_rules(result, policy, application, employer, today) -> str:
    """Rules about the applicant and the period; returns the size class the rules use."""
    rules = result.rules
    start, end = application.period_start, application.period_end

    # Policy period: a monthly subsidy keeps its months in force; a one-time one needs all.
    if policy.code in MONTHLY:
        in_force = [m for m in months_between(start, end) if policy.covers(first_day(m))]
        outside = [m for m in months_between(start, end) if m not in in_force]
        if not in_force:
            rules.append(Rule("policy_in_force", False, _out_of_policy(policy, start, end)))
        elif outside:
            rules.append(
                Rule(
                    "policy_in_force",
                    True,
                    f"政策有效期{policy.period_text}（{policy.citation}）；"
                    f"{month_ranges(outside)}不在政策有效期内，不予补贴，其余月份照常计算。",
                )
            )
        else:
            rules.append(
                Rule("policy_in_force", True, f"补贴期间在政策有效期{policy.period_text}内。")
            )
    elif policy.covers(start) and policy.covers(end):
        rules.append(Rule("policy_in_force", True, f"补贴期间在政策有效期{policy.period_text}内。"))
    else:
        rules.append(Rule("policy_in_force", False, _out_of_policy(policy, start, end)))

    kind = application.applicant_kind
    allowed = "、".join(KIND_LABELS[k] for k in policy.applicant_kinds)
    rules.append(
        Rule(
            "applicant_kind",
            kind in policy.applicant_kinds,
            f"{policy.name}的申请主体为{allowed}；本申请为{KIND_LABELS.get(kind, kind)}。",
        )
    )

    size = application.size_class
    size_note = ""
    if employer and employer.size_class:
        if size and size != employer.size_class:
            size_note = (
                f"（申报为{SIZE_LABELS.get(size, size)}，"
                f"以用人单位登记的{SIZE_LABELS[employer.size_class]}为准）"
            )
        size = employer.size_class
    if kind != ApplicantKind.INDIVIDUAL and policy.applicant_sizes:
        wanted = "、".join(SIZE_LABELS[s] for s in policy.applicant_sizes)
        rules.append(
            Rule(
                "applicant_size",
                size in policy.applicant_sizes,
                f"须为{wanted}企业；本单位为{SIZE_LABELS.get(size, '未填写规模')}{size_note}。",
            )
        )

    if kind != ApplicantKind.INDIVIDUAL:
        listed = employer and employer.blacklisted_until and employer.blacklisted_until >= today
        if listed:
            reason = (
                f"{employer.name}列入拖欠农民工工资失信联合惩戒名单（欠薪黑名单）至"
                f"{employer.blacklisted_until.isoformat()}，不得享受补贴（人社部令45号）。"
            )
        else:
            reason = "申请单位不在欠薪黑名单（拖欠农民工工资失信联合惩戒名单）内。"
        rules.append(Rule("not_blacklisted", not listed, reason))

    rules.append(
        Rule(
            "has_beneficiaries",
            bool(application.beneficiaries),
            f"申报对象{len(application.beneficiaries)}人。"
            if application.beneficiaries
            else "未填写补贴对象。",
        )
    )
    return size


def _out_of_policy(policy, start, end) -> str:
    if policy.effective_to and start > policy.effective_to:
        return (
            f"政策已于{policy.effective_to.isoformat()}终止（{policy.citation}），"
            f"补贴期间{start.isoformat()}至{end.isoformat()}在政策终止之后，不予补贴。"
        )
    if policy.effective_to and end > policy.effective_to:
        return (
            f"政策已于{policy.effective_to.isoformat()}终止（{policy.citation}），"
            f"补贴期间{start.isoformat()}至{end.isoformat()}超出政策有效期，不予补贴。"
        )
    return (
        f"政策自{policy.effective_from.isoformat()}起施行（{policy.citation}），"
        f"补贴期间{start.isoformat()}至{end.isoformat()}早于政策施行，不予补贴。"
    )


# --- shared per-person rules -------------------------------------------------------------


def _employment_months(res: PersonResult, policy, application) -> list[str]:
    """Months of the period the person was employed, inside the policy's period."""
    person, start = res.person, application.period_start
    if person.hire_date is None:
        res.check("employed_in_period", False, "未填写入职（创业）日期。")
        return []
    if person.hire_date > application.period_end:
        res.check(
            "employed_in_period",
            False,
            f"入职日期{person.hire_date.isoformat()}晚于补贴期间，期间内未就业。",
        )
        return []
    first = max(start, person.hire_date)
    months = [
        m for m in months_between(first, application.period_end) if policy.covers(first_day(m))
    ]
    if not months:
        res.check("employed_in_period", False, "补贴期间内没有处于政策有效期内的在岗月份。")
        return []
    res.note(
        "employed_in_period",
        f"期间内在岗{len(months)}个月（{month_ranges(months)}）。",
    )
    return months


def _without_overlap(res: PersonResult, policy, months, prior: PriorClaims) -> list[str]:
    """Drop the months another application already claims for this person."""
    held = prior.months.get(res.person.id_number, {})
    overlap = [m for m in months if m in held]
    if not overlap:
        res.note("no_overlap", f"其他申请中没有{policy.name}的重叠月份。")
        return months
    remaining = [m for m in months if m not in held]
    res.rules.append(
        Rule(
            "no_overlap",
            bool(remaining),
            f"{month_ranges(overlap)}已在申请{_by_application(held, overlap)}中申报{policy.name}"
            f"（不论用人单位），重叠月份不再补贴"
            + (f"，其余{len(remaining)}个月照常计算。" if remaining else "。"),
        )
    )
    if not remaining:
        res.counted = False
    return remaining


def _refuse_if_overlap(res: PersonResult, policy, months, prior: PriorClaims) -> bool:
    """One-time subsidies: any overlap means the person was already claimed for."""
    held = prior.months.get(res.person.id_number, {})
    overlap = [m for m in months if m in held]
    if overlap:
        return res.check(
            "no_overlap",
            False,
            f"{month_ranges(overlap)}已在申请{_by_application(held, overlap)}中申报{policy.name}"
            "（不论用人单位），不重复补贴。",
        )
    res.note("no_overlap", f"其他申请中没有此人同期的{policy.name}。")
    return True


def _within_cap(res: PersonResult, policy, months, prior: PriorClaims) -> list[str]:
    """The per-person month cap, counting months held in every application not rejected."""
    cap = policy.count("max_months")
    held = len(prior.months.get(res.person.id_number, {}))
    left = max(cap - held, 0)
    if len(months) <= left:
        res.note(
            "max_months",
            f"每人最多{cap}个月；其他申请已计{held}个月，本次{len(months)}个月未超出。",
        )
        return months
    kept = months[:left]
    res.rules.append(
        Rule(
            "max_months",
            bool(kept),
            f"每人最多{cap}个月；其他申请已计{held}个月，本次只能再计{left}个月，"
            f"{month_ranges(months[left:])}超出上限不予补贴。",
        )
    )
    if not kept:
        res.counted = False
    return kept


def _contract(res: PersonResult, policy) -> bool:
    need = policy.count("min_contract_months")
    got = res.person.contract_months
    in_years = f"（{need // 12}年）" if need and need % 12 == 0 else ""
    return res.check(
        "contract_term",
        got >= need,
        f"劳动合同期限{got}个月，{'满足' if got >= need else '不满足'}{need}个月{in_years}以上的要求。",
    )


# --- one calculator per policy -----------------------------------------------------------


def _post(result, policy, application, prior, size):
    monthly = policy.value("monthly_amount")
    for res in result.people:
        person = res.person
        res.check(
            "hard_to_employ",
            person.hard_to_employ,
            "已登记为就业困难人员。" if person.hard_to_employ else "不是登记的就业困难人员。",
        )
        _contract(res, policy)
        months = _employment_months(res, policy, application)
        if not res.counted:
            continue
        months = _within_cap(res, policy, _without_overlap(res, policy, months, prior), prior)
        if not res.counted:
            continue
        res.months = months
        res.amount = monthly * len(months)
        res.note("amount", f"{yuan(monthly)}元/月 × {len(months)}个月 = {yuan(res.amount)}元。")
        result.amount += res.amount


def _absorption(result, policy, application, prior, size):
    need = policy.count("min_stable_months")
    for res in result.people:
        person = res.person
        hire = person.hire_date
        in_period = bool(hire and application.period_start <= hire <= application.period_end)
        res.check(
            "hired_in_period",
            in_period,
            f"入职日期{hire.isoformat()}在申报年度期间内，属新吸纳。"
            if in_period
            else f"入职日期{hire.isoformat() if hire else '未填写'}不在申报期间"
            f"{application.period_start.isoformat()}至{application.period_end.isoformat()}内，"
            "不属年度内新吸纳。",
        )
        if not in_period:
            continue
        stable_on = add_months(hire, need)
        stable = stable_on <= application.period_end + dt.timedelta(days=1)
        res.check(
            "stable_employment",
            stable,
            f"自{hire.isoformat()}起至{application.period_end.isoformat()}"
            + (
                f"已稳定就业满{need}个月。"
                if stable
                else f"未满{need}个月（须在岗至{(stable_on - dt.timedelta(days=1)).isoformat()}）。"
            ),
        )
        if not stable:
            continue
        months = [
            m for m in months_between(hire, application.period_end) if policy.covers(first_day(m))
        ]
        if _refuse_if_overlap(res, policy, months, prior):
            res.months = months
    eligible = [r for r in result.people if r.eligible]
    threshold = policy.count("threshold_count")
    if len(eligible) >= threshold:
        each = policy.value("amount_at_threshold")
        tier = f"新吸纳符合条件{len(eligible)}人，达到{threshold}人（含）以上，每人{yuan(each)}元。"
    else:
        each = policy.value("amount_below_threshold")
        tier = f"新吸纳符合条件{len(eligible)}人，不足{threshold}人，每人{yuan(each)}元。"
    result.rules.append(Rule("absorption_tier", True, tier))
    for res in eligible:
        res.amount = each
        res.note("amount", f"一次性吸纳就业补贴{yuan(each)}元（{tier}）")
        result.amount += each


def _social_insurance(result, policy, application, prior, size):
    years = policy.count("graduate_years")
    for res in result.people:
        person = res.person
        if person.hard_to_employ:
            res.check("target_group", True, "就业困难人员（各类用人单位招用均可享受）。")
        elif person.graduation_year and person.hire_date:
            gap = person.hire_date.year - person.graduation_year
            small = size in SMALL_OR_MICRO
            if not small:
                res.check(
                    "target_group",
                    False,
                    "高校毕业生的社会保险补贴只适用于小微企业招用；本单位为"
                    f"{SIZE_LABELS.get(size, '未填写规模')}企业。",
                )
            else:
                res.check(
                    "target_group",
                    0 <= gap <= years,
                    f"{person.graduation_year}年毕业，{person.hire_date.year}年招用，"
                    + (
                        f"属毕业年度或毕业{years}年内的高校毕业生。"
                        if 0 <= gap <= years
                        else f"不属毕业年度或毕业{years}年内的高校毕业生。"
                    ),
                )
        else:
            res.check(
                "target_group",
                False,
                f"既不是就业困难人员，也不是毕业年度或毕业{years}年内的高校毕业生。",
            )
        _contract(res, policy)
        paid, paid_months = Decimal(person.insurance_paid), person.insurance_months
        res.check(
            "insurance_paid",
            paid > 0 and paid_months > 0,
            f"单位为其实际缴纳社会保险费{yuan(paid)}元（{paid_months}个月）。"
            if paid > 0 and paid_months > 0
            else "没有单位实际缴纳社会保险费的记录，不予补贴。",
        )
        months = _employment_months(res, policy, application)
        if not res.counted:
            continue
        covered = months[:paid_months]
        if paid_months > len(months):
            res.note(
                "insurance_months",
                f"申报缴费{paid_months}个月，补贴期间内只有{len(months)}个在岗月份，"
                f"按期间内{len(months)}个月计。",
            )
        payable = _without_overlap(res, policy, covered, prior)
        if not res.counted:
            continue
        res.months = payable
        res.amount = (paid * len(payable) / paid_months).quantize(CENT, ROUND_HALF_UP)
        if len(payable) == paid_months:
            res.note("amount", f"按单位实缴社会保险费补贴{yuan(res.amount)}元。")
        else:
            res.note(
                "amount",
                f"实缴{yuan(paid)}元 ÷ {paid_months}个月 × {len(payable)}个月 = {yuan(res.amount)}元。",
            )
        result.amount += res.amount


def _job_placement(result, policy, application, prior, size):
    cap = policy.value("max_per_person")
    rates = policy.rates
    for res in result.people:
        person = res.person
        rate = rates.get(person.destination)
        if rate is None:
            res.check(
                "destination_rate",
                False,
                "未填写就业去向或去向不在补贴标准表中（可选："
                + "、".join(policy.labels.get(f"rate:{k}", k) for k in rates)
                + "）。",
            )
        else:
            label = policy.labels.get(f"rate:{person.destination}", person.destination)
            res.check("destination_rate", True, f"就业去向：{label}，标准{yuan(rate)}元/人。")
        hire = person.hire_date
        placed = bool(hire and application.period_start <= hire <= application.period_end)
        res.check(
            "placed",
            placed,
            f"{hire.isoformat()}实现就业，在申报期间内。"
            if placed
            else "申报期间内没有实际就业的记录（入职日期不在期间内）。",
        )
        if not res.counted:
            continue
        months = [month_key(hire)]
        if not policy.covers(hire):
            res.check("employed_in_period", False, "就业日期不在政策有效期内。")
            continue
        if not _refuse_if_overlap(res, policy, months, prior):
            continue
        res.months = months
        res.amount = min(rate, cap)
        res.note(
            "amount",
            f"按去向标准{yuan(rate)}元"
            + (f"，超过每人最高{yuan(cap)}元，按{yuan(cap)}元" if rate > cap else "")
            + f"补贴{yuan(res.amount)}元。",
        )
        result.amount += res.amount


def _startup(result, policy, application, prior, size):
    each = policy.value("amount_per_person")
    for res in result.people:
        person = res.person
        started = bool(person.hire_date and person.hire_date <= application.period_end)
        res.check(
            "business_started",
            started,
            f"{person.hire_date.isoformat()}开始创业。"
            if started
            else "未填写创业（登记）日期，或创业日期晚于申报期间。",
        )
        earlier = prior.once.get(person.id_number)
        res.check(
            "once_per_person",
            earlier is None,
            "此前未享受一次性创业补贴。"
            if earlier is None
            else f"已在申请{earlier}中申报一次性创业补贴，每人只能享受一次。",
        )
        if not res.counted:
            continue
        res.months = months_between(application.period_start, application.period_end)
        res.amount = each
        res.note("amount", f"一次性创业补贴{yuan(each)}元。")
        result.amount += each


def _rent(result, policy, application, prior, size):
    cap = policy.value("monthly_cap")
    for res in result.people:
        months = _employment_months(res, policy, application)
        if not res.counted:
            continue
        months = _within_cap(res, policy, _without_overlap(res, policy, months, prior), prior)
        if not res.counted:
            continue
        res.months = months
        limit = cap * len(months)
        # The rent is the premises', paid once per application however many founders it
        # names (the input allows one; this keeps the total at the rent if that changes).
        rent = max((application.requested_amount or ZERO) - result.amount, ZERO)
        res.amount = min(rent, limit)
        res.note(
            "amount",
            f"实际支付租金{yuan(rent)}元，上限{yuan(cap)}元/月 × {len(months)}个月 = {yuan(limit)}元，"
            f"补贴{yuan(res.amount)}元。",
        )
        result.amount += res.amount


def _startup_loan(result, policy, application, prior, size):
    requested = application.requested_amount or ZERO
    if application.applicant_kind == ApplicantKind.INDIVIDUAL:
        limit = policy.value("individual_max")
        for res in result.people:
            months = months_between(application.period_start, application.period_end)
            if _refuse_if_overlap(res, policy, months, prior):
                res.months = months
        if not any(r.eligible for r in result.people):
            return
        result.amount = min(requested, limit)
        result.rules.append(
            Rule(
                "loan_limit",
                True,
                f"个人创业担保贷款最高{yuan(limit)}元；申请{yuan(requested)}元，"
                f"核定{yuan(result.amount)}元。",
            )
        )
        return
    per_person = policy.value("enterprise_per_person")
    limit = policy.value("enterprise_max")
    for res in result.people:
        months = _employment_months(res, policy, application)
        if not res.counted:
            continue
        if _refuse_if_overlap(res, policy, months, prior):
            res.months = months
            res.note("counted_employee", "计入企业实际吸纳就业人数。")
    employed = sum(1 for r in result.people if r.eligible)
    by_people = per_person * employed
    ceiling = min(by_people, limit)
    result.amount = min(requested, ceiling)
    result.rules.append(
        Rule(
            "loan_limit",
            employed > 0,
            f"实际吸纳就业{employed}人 × {yuan(per_person)}元 = {yuan(by_people)}元，"
            f"小微企业最高{yuan(limit)}元，额度{yuan(ceiling)}元；申请{yuan(requested)}元，"
            f"核定{yuan(result.amount)}元。",
        )
    )


CALCULATORS = {
    PolicyCode.POST: _post,
    PolicyCode.ABSORPTION: _absorption,
    PolicyCode.SOCIAL_INSURANCE: _social_insurance,
    PolicyCode.JOB_PLACEMENT: _job_placement,
    PolicyCode.STARTUP: _startup,
    PolicyCode.RENT: _rent,
    PolicyCode.STARTUP_LOAN: _startup_loan,
}
