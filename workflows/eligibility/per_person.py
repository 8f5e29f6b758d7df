"""Rules every per-person calculator shares: months employed, overlap with what other
applications hold, the cap on months, the contract term."""

from workflows.eligibility.facts import PriorClaims
from workflows.eligibility.months import _by_application, first_day, month_ranges, months_between
from workflows.eligibility.result import PersonResult, Rule


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
