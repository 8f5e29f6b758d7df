"""The policy table is data: seeded from the plan, dated, cited, editable, and its end
date (2028-01-10) refuses later periods because the policy ended."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from rules.models import PolicyParameter, SubsidyPolicy
from tests.workflows.support import amount, payload, person, rule, submit

pytestmark = pytest.mark.django_db

CODES = {
    "post",
    "absorption",
    "social_insurance",
    "job_placement",
    "startup",
    "rent",
    "startup_loan",
}


def test_it_seeds_every_policy_of_the_plan_with_its_dates_and_citation():
    policies = SubsidyPolicy.objects.all()
    assert {p.code for p in policies} == CODES
    for policy in policies:
        assert (policy.effective_from, policy.effective_to) == (
            dt.date(2024, 2, 1),
            dt.date(2028, 1, 10),
        )
        assert "襄政发〔2024〕2号" in policy.citation


def test_it_seeds_the_plan_figures_as_confirmed_and_local_guesses_as_config():
    def param(code, key):
        return PolicyParameter.objects.get(policy__code=code, key=key)

    assert (param("post", "monthly_amount").value, param("post", "max_months").value) == (300, 36)
    assert param("absorption", "amount_below_threshold").value == 1000
    assert param("absorption", "amount_at_threshold").value == 1500
    assert param("job_placement", "max_per_person").value == 800
    assert param("startup_loan", "individual_max").value == 300000
    assert param("startup_loan", "enterprise_max").value == 3000000
    assert param("post", "monthly_amount").confirmed is True
    for code, key in [
        ("job_placement", "rate:in_county"),
        ("startup", "amount_per_person"),
        ("rent", "monthly_cap"),
        ("startup_loan", "enterprise_per_person"),
        ("post", "notice_working_days"),
    ]:
        assert param(code, key).confirmed is False, (code, key)
        assert "[CONFIG]" in param(code, key).note


def test_it_lists_the_policies_in_force_to_anyone():
    response = APIClient().get("/api/v1/subsidies/policies/?on=2025-06-01")
    assert response.status_code == 200
    body = response.json()
    assert {p["code"] for p in body} == CODES
    post = next(p for p in body if p["code"] == "post")
    assert post["effective_to"] == "2028-01-10"
    assert "notice_working_days" in post["unconfirmed"]
    assert APIClient().get("/api/v1/subsidies/policies/?on=2028-01-11").json() == []


def test_it_computes_from_the_table_so_an_administrator_can_change_a_figure(township_api):
    PolicyParameter.objects.filter(policy__code="post", key="monthly_amount").update(value=350)
    result = submit(township_api, payload())
    assert amount(result["computed_amount"]) == 350 * 12


def test_it_refuses_a_period_after_the_policy_ended(township_api):
    body = payload(
        start="2028-02-01", end="2028-07-31", beneficiaries=[person(1, hire_date="2028-01-01")]
    )
    result = submit(township_api, body)
    assert result["state"] == "rejected"
    check = rule(result, "policy_in_force")
    assert check["passed"] is False
    assert "政策已于2028-01-10终止" in check["reason"]
    assert "政策已于2028-01-10终止" in result["rejection_reason"]


def test_it_pays_the_months_before_the_end_and_refuses_the_months_after(township_api):
    body = payload(
        start="2027-10-01", end="2028-03-31", beneficiaries=[person(1, hire_date="2027-01-01")]
    )
    result = submit(township_api, body)
    # October 2027 to January 2028 (in force on 1 January); February and March refused
    assert result["beneficiaries"][0]["months"] == ["2027-10", "2027-11", "2027-12", "2028-01"]
    assert amount(result["computed_amount"]) == 1200
    assert "2028-02至2028-03不在政策有效期内" in rule(result, "policy_in_force")["reason"]


def test_it_refuses_a_one_time_subsidy_whose_qualifying_period_runs_past_the_end(township_api):
    rows = [person(1, hire_date="2027-07-01", hard_to_employ=False)]
    body = payload("absorption", start="2027-07-01", end="2028-01-31", beneficiaries=rows)
    result = submit(township_api, body)
    assert result["state"] == "rejected"
    assert rule(result, "policy_in_force")["passed"] is False


def test_it_reads_the_end_from_the_table_not_from_the_code(township_api):
    SubsidyPolicy.objects.filter(code="post").update(effective_to=dt.date(2030, 12, 31))
    body = payload(
        start="2028-02-01", end="2028-07-31", beneficiaries=[person(1, hire_date="2028-01-01")]
    )
    result = submit(township_api, body)
    assert result["state"] == "township_review"
    assert amount(result["computed_amount"]) == 6 * 300


def test_it_refuses_a_period_before_the_policy_took_effect(township_api):
    body = payload(
        start="2023-06-01", end="2023-12-31", beneficiaries=[person(1, hire_date="2023-01-01")]
    )
    result = submit(township_api, body)
    assert result["state"] == "rejected"
    assert "起施行" in rule(result, "policy_in_force")["reason"]


def test_it_uses_the_policy_version_in_force_for_the_period(township_api):
    old = SubsidyPolicy.objects.get(code="post")
    SubsidyPolicy.objects.filter(pk=old.pk).update(effective_to=dt.date(2025, 12, 31))
    new = SubsidyPolicy.objects.create(
        code="post",
        name=old.name,
        applicant_kinds=old.applicant_kinds,
        applicant_sizes=old.applicant_sizes,
        rule_text=old.rule_text,
        citation="新文件",
        effective_from=dt.date(2026, 1, 1),
        effective_to=dt.date(2028, 1, 10),
    )
    for parameter in old.parameters.all():
        value = 400 if parameter.key == "monthly_amount" else parameter.value
        PolicyParameter.objects.create(
            policy=new, key=parameter.key, label=parameter.label, value=value, unit=parameter.unit
        )
    result = submit(township_api, payload(start="2026-01-01", end="2026-06-30"))
    assert amount(result["computed_amount"]) == 6 * 400
