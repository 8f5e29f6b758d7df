"""One calculator per policy: which people qualify and for how much."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from rules.models import ApplicantKind, PolicyCode
from workflows.eligibility.facts import CENT, SIZE_LABELS, SMALL_OR_MICRO, ZERO
from workflows.eligibility.months import add_months, first_day, month_key, months_between, yuan
from workflows.eligibility.per_person import (
    _contract,
    _employment_months,
    _refuse_if_overlap,
    _within_cap,
    _without_overlap,
)
from workflows.eligibility.result import Rule


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
