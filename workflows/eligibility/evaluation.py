"""The evaluation of one application: the rules about the applicant and the period, then
the policy's calculator (workflows/eligibility/calculators.py)."""

import datetime as dt

from rules.models import ApplicantKind
from workflows.eligibility.calculators import CALCULATORS
from workflows.eligibility.facts import (
    CENT,
    KIND_LABELS,
    MONTHLY,
    SIZE_LABELS,
    Application,
    EmployerFacts,
    PolicyTerms,
    PriorClaims,
)
from workflows.eligibility.months import first_day, month_ranges, months_between, yuan
from workflows.eligibility.result import Evaluation, PersonResult, Rule


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
