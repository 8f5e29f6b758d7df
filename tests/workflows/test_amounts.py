"""Every amount and limit of the plan's subsidies (襄政发〔2024〕2号 三(三)), with boundaries."""

import datetime as dt

import pytest

from tests.workflows.support import (
    amount,
    employer,
    id_number,
    payload,
    person,
    person_rule,
    rule,
    submit,
)
from workflows.eligibility import add_months

pytestmark = pytest.mark.django_db


# --- post subsidy: 300 yuan per person per month, small/micro, hard-to-employ, contract >= 1 year


def test_it_pays_the_post_subsidy_300_a_month_per_hard_to_employ_person(township_api):
    body = payload(beneficiaries=[person(1), person(2, hire_date="2025-07-15")])
    result = submit(township_api, body)
    first, second = result["beneficiaries"]
    assert (first["amount"], len(first["months"])) == ("3600.00", 12)
    # hired in July: July to December, the hire month counted
    assert (second["amount"], len(second["months"])) == ("1800.00", 6)
    assert amount(result["computed_amount"]) == 5400
    assert result["state"] == "township_review"


@pytest.mark.parametrize(("months", "eligible"), [(11, False), (12, True), (36, True)])
def test_it_needs_a_contract_of_at_least_one_year_for_the_post_subsidy(
    township_api, months, eligible
):
    result = submit(township_api, payload(beneficiaries=[person(1, contract_months=months)]))
    beneficiary = result["beneficiaries"][0]
    assert beneficiary["eligible"] is eligible
    assert person_rule(beneficiary, "contract_term")["passed"] is eligible


def test_it_refuses_the_post_subsidy_for_a_person_not_hard_to_employ(township_api):
    result = submit(township_api, payload(beneficiaries=[person(1, hard_to_employ=False)]))
    assert result["state"] == "rejected"
    assert person_rule(result["beneficiaries"][0], "hard_to_employ")["passed"] is False
    assert "不是登记的就业困难人员" in result["beneficiaries"][0]["reasons"][0]


@pytest.mark.parametrize(
    ("size", "allowed"), [("micro", True), ("small", True), ("medium", False), ("large", False)]
)
def test_it_grants_the_post_subsidy_only_to_small_and_micro_enterprises(
    township_api, size, allowed
):
    result = submit(township_api, payload(size=size))
    assert rule(result, "applicant_size")["passed"] is allowed
    assert (result["state"] == "rejected") is not allowed


def test_it_uses_the_registered_size_class_over_the_declared_one(township_api):
    employer(1, size="medium")
    result = submit(township_api, payload(size="small", uscc_index=1))
    check = rule(result, "applicant_size")
    assert check["passed"] is False
    assert "以用人单位登记的中型为准" in check["reason"]


@pytest.mark.parametrize(("held", "paid_now"), [(25, 11), (30, 6), (35, 1), (36, 0)])
def test_it_caps_the_post_subsidy_at_36_months_per_person_across_applications(
    township_api, held, paid_now
):
    start = dt.date(2024, 2, 1)
    end = add_months(start, held) - dt.timedelta(days=1)
    hired = {"hire_date": "2024-02-01", "contract_months": 48}
    earlier = payload(
        start=start.isoformat(),
        end=end.isoformat(),
        beneficiaries=[person(1, **hired)],
        uscc_index=2,
    )
    assert len(submit(township_api, earlier)["beneficiaries"][0]["months"]) == held
    # another employer claims February to December 2027 (11 months) for the same person
    later = payload(start="2027-02-01", end="2027-12-31", beneficiaries=[person(1, **hired)])
    result = submit(township_api, later)
    beneficiary = result["beneficiaries"][0]
    assert len(beneficiary["months"]) == paid_now
    assert amount(beneficiary["amount"]) == 300 * paid_now
    assert person_rule(beneficiary, "max_months")["passed"] is (paid_now > 0)
    assert (result["state"] == "rejected") is (paid_now == 0)


# --- absorption: 1,000 each under 100 absorbed, 1,500 each at 100 or more, stable >= 6 months


def _absorbed(count, hire="2025-03-01"):
    return [
        person(i, hire_date=hire, hard_to_employ=False, contract_months=0) for i in range(count)
    ]


@pytest.mark.parametrize(("count", "each"), [(1, 1000), (99, 1000), (100, 1500), (120, 1500)])
def test_it_pays_the_absorption_subsidy_by_how_many_were_absorbed(township_api, count, each):
    result = submit(township_api, payload("absorption", beneficiaries=_absorbed(count)))
    assert amount(result["computed_amount"]) == count * each
    assert {b["amount"] for b in result["beneficiaries"]} == {f"{each}.00"}
    assert f"每人{each:,}元" in rule(result, "absorption_tier")["reason"]


def test_it_counts_only_qualifying_workers_for_the_absorption_tier(township_api):
    # 100 listed, but one has been employed less than six months: 99 qualify -> 1,000 each
    rows = _absorbed(99) + [person(99, hire_date="2025-07-02", hard_to_employ=False)]
    result = submit(township_api, payload("absorption", beneficiaries=rows))
    assert amount(result["computed_amount"]) == 99 * 1000


@pytest.mark.parametrize(
    ("hire", "stable"),
    [("2025-07-01", True), ("2025-07-02", False), ("2025-01-01", True)],
)
def test_it_needs_six_months_of_stable_employment_for_the_absorption_subsidy(
    township_api, hire, stable
):
    # the period ends 2025-12-31: hired 07-01 has six full months, hired 07-02 does not
    result = submit(township_api, payload("absorption", beneficiaries=[person(1, hire_date=hire)]))
    beneficiary = result["beneficiaries"][0]
    assert person_rule(beneficiary, "stable_employment")["passed"] is stable
    assert amount(beneficiary["amount"]) == (1000 if stable else 0)


def test_it_pays_absorption_only_for_workers_newly_hired_in_the_year(township_api):
    result = submit(
        township_api, payload("absorption", beneficiaries=[person(1, hire_date="2024-11-01")])
    )
    assert person_rule(result["beneficiaries"][0], "hired_in_period")["passed"] is False
    assert result["state"] == "rejected"


# --- social insurance: contributions actually paid, for hard-to-employ people or graduates


def test_it_pays_the_contributions_actually_paid_for_a_hard_to_employ_person(township_api):
    row = person(1, insurance_months=12, insurance_paid="10234.56")
    result = submit(township_api, payload("social_insurance", size="large", beneficiaries=[row]))
    assert result["beneficiaries"][0]["amount"] == "10234.56"
    assert amount(result["computed_amount"]) == amount("10234.56")


@pytest.mark.parametrize(
    ("graduated", "size", "eligible"),
    [
        (2025, "small", True),  # graduation year
        (2023, "micro", True),  # within 2 years
        (2022, "small", False),  # 3 years before the hire
        (2025, "medium", False),  # graduates count only for small and micro firms
    ],
)
def test_it_pays_social_insurance_for_recent_graduates_hired_by_small_firms(
    township_api, graduated, size, eligible
):
    row = person(1, hard_to_employ=False, graduation_year=graduated, insurance_paid="6000.00")
    result = submit(township_api, payload("social_insurance", size=size, beneficiaries=[row]))
    beneficiary = result["beneficiaries"][0]
    assert person_rule(beneficiary, "target_group")["passed"] is eligible
    assert amount(beneficiary["amount"]) == (6000 if eligible else 0)


def test_it_needs_contributions_paid_and_a_one_year_contract_for_social_insurance(township_api):
    rows = [
        person(1, insurance_months=0, insurance_paid="0"),
        person(2, contract_months=6),
    ]
    result = submit(township_api, payload("social_insurance", beneficiaries=rows))
    unpaid, short = result["beneficiaries"]
    assert person_rule(unpaid, "insurance_paid")["passed"] is False
    assert person_rule(short, "contract_term")["passed"] is False
    assert result["state"] == "rejected"


def test_it_pays_social_insurance_only_for_months_inside_the_period(township_api):
    # 12 months paid (12,000), but hired in July: 6 months of the period -> 6,000
    row = person(1, hire_date="2025-07-01", insurance_months=12, insurance_paid="12000")
    result = submit(township_api, payload("social_insurance", beneficiaries=[row]))
    assert result["beneficiaries"][0]["amount"] == "6000.00"


# --- job placement: destination rate table [CONFIG], at most 800 per person


def _placed(index, destination):
    return person(index, hire_date="2025-05-10", destination=destination, contract_months=0)


def test_it_pays_job_placement_by_destination_up_to_800(township_api):
    rows = [_placed(1, "in_county"), _placed(2, "in_province"), _placed(3, "out_of_province")]
    result = submit(
        township_api, payload("job_placement", kind="agency", size="", beneficiaries=rows)
    )
    assert [b["amount"] for b in result["beneficiaries"]] == ["300.00", "500.00", "800.00"]
    assert amount(result["computed_amount"]) == 1600


def test_it_never_pays_more_than_800_per_placement_even_if_a_rate_is_higher(township_api):
    from rules.models import PolicyParameter

    PolicyParameter.objects.filter(key="rate:out_of_province").update(value=1000)
    rows = [_placed(1, "out_of_province")]
    result = submit(township_api, payload("job_placement", kind="agency", beneficiaries=rows))
    assert result["beneficiaries"][0]["amount"] == "800.00"


def test_it_refuses_a_placement_without_a_known_destination(township_api):
    rows = [_placed(1, "")]
    result = submit(township_api, payload("job_placement", kind="agency", beneficiaries=rows))
    assert person_rule(result["beneficiaries"][0], "destination_rate")["passed"] is False
    assert result["state"] == "rejected"


def test_it_lets_only_hr_agencies_apply_for_job_placement(township_api):
    result = submit(township_api, payload("job_placement", beneficiaries=[_placed(1, "in_county")]))
    assert rule(result, "applicant_kind")["passed"] is False
    assert result["state"] == "rejected"


# --- startup and rent subsidies [CONFIG amounts]


def test_it_pays_the_one_time_startup_subsidy_once_per_person(township_api):
    body = payload("startup", kind="individual", name="张创业", beneficiaries=[])
    first = submit(township_api, body)
    assert first["computed_amount"] == "5000.00"
    assert first["beneficiaries"][0]["id_number"].endswith(id_number(900)[-4:])
    again = submit(township_api, {**body, "period_start": "2026-01-01", "period_end": "2026-06-30"})
    assert again["state"] == "rejected"
    assert first["number"] in person_rule(again["beneficiaries"][0], "once_per_person")["reason"]


@pytest.mark.parametrize(("rent", "paid"), [("2400", "2400.00"), ("9000", "6000.00")])
def test_it_pays_rent_actually_paid_up_to_the_monthly_cap(township_api, rent, paid):
    # 12 months x 500 [CONFIG] = 6,000 cap
    body = payload("rent", kind="individual", name="李开店", beneficiaries=[], requested=rent)
    assert submit(township_api, body)["computed_amount"] == paid


# --- guaranteed startup loans: 300,000 individual, 3,000,000 enterprise scaled by jobs


@pytest.mark.parametrize(
    ("asked", "granted"), [(200000, 200000), (300000, 300000), (300001, 300000)]
)
def test_it_caps_an_individual_startup_loan_at_300000(township_api, asked, granted):
    body = payload("startup_loan", kind="individual", beneficiaries=[], requested=asked)
    assert amount(submit(township_api, body)["computed_amount"]) == granted


@pytest.mark.parametrize(
    ("employed", "asked", "granted"),
    [(3, 1000000, 300000), (10, 1000000, 1000000), (30, 3000000, 3000000), (40, 5000000, 3000000)],
)
def test_it_scales_an_enterprise_loan_with_the_people_employed(
    township_api, employed, asked, granted
):
    rows = [person(i, hard_to_employ=False) for i in range(employed)]
    result = submit(township_api, payload("startup_loan", beneficiaries=rows, requested=asked))
    assert amount(result["computed_amount"]) == granted
    assert f"实际吸纳就业{employed}人" in rule(result, "loan_limit")["reason"]


# --- the blacklist


def test_it_refuses_a_blacklisted_employer_and_names_the_rule(township_api):
    employer(7, blacklisted_until=dt.date(2099, 1, 1), name="临汾市聚鑫劳务派遣有限公司")
    result = submit(township_api, payload(uscc_index=7))
    assert result["state"] == "rejected"
    check = rule(result, "not_blacklisted")
    assert check["passed"] is False and "临汾市聚鑫劳务派遣有限公司" in check["reason"]
    assert "黑名单" in result["rejection_reason"]


def test_it_does_not_hold_an_expired_blacklisting_against_the_employer(township_api):
    employer(7, blacklisted_until=dt.date(2020, 1, 1))
    result = submit(township_api, payload(uscc_index=7))
    assert rule(result, "not_blacklisted")["passed"] is True
    assert result["state"] == "township_review"
