"""The same person is never paid the same subsidy twice for the same months: checked
across employers and against applications still in review; rejected ones do not count."""

import pytest

from tests.workflows.support import amount, payload, person, person_rule, submit
from workflows.models import SubsidyApplication
from workflows.steps import SubsidyState

pytestmark = pytest.mark.django_db


def test_it_pays_only_the_months_another_employer_has_not_claimed(township_api):
    first = submit(township_api, payload(start="2025-01-01", end="2025-06-30", uscc_index=1))
    assert first["state"] == "township_review"  # still in review: its months count
    second = submit(township_api, payload(start="2025-04-01", end="2025-09-30", uscc_index=2))
    beneficiary = second["beneficiaries"][0]
    assert beneficiary["months"] == ["2025-07", "2025-08", "2025-09"]
    assert amount(beneficiary["amount"]) == 900
    overlap = person_rule(beneficiary, "no_overlap")
    assert first["number"] in overlap["reason"] and "2025-04至2025-06" in overlap["reason"]


def test_it_refuses_a_person_whose_months_are_all_claimed_already(township_api):
    first = submit(township_api, payload(uscc_index=1))
    second = submit(township_api, payload(uscc_index=2, township="xincheng"))
    assert second["state"] == "rejected"
    assert person_rule(second["beneficiaries"][0], "no_overlap")["passed"] is False
    assert (
        first["number"] in second["rejection_reason"]
        or "重叠" in second["beneficiaries"][0]["reasons"][0]
    )


def test_it_keeps_paying_the_other_people_of_an_application(township_api):
    submit(township_api, payload(beneficiaries=[person(1)], uscc_index=1))
    second = submit(township_api, payload(beneficiaries=[person(1), person(2)], uscc_index=2))
    taken, fresh = second["beneficiaries"]
    assert (taken["eligible"], fresh["eligible"]) == (False, True)
    assert amount(second["computed_amount"]) == 3600
    assert second["state"] == "township_review"


def test_it_does_not_count_months_of_a_rejected_application(township_api):
    first = submit(township_api, payload(uscc_index=1))
    SubsidyApplication.objects.filter(number=first["number"]).update(state=SubsidyState.REJECTED)
    second = submit(township_api, payload(uscc_index=2))
    assert amount(second["computed_amount"]) == 3600


def test_it_only_compares_the_same_subsidy(township_api):
    submit(township_api, payload("post", uscc_index=1))
    other = submit(township_api, payload("social_insurance", uscc_index=2))
    assert amount(other["computed_amount"]) == 9600


def test_it_refuses_a_second_absorption_claim_for_the_same_months(township_api):
    rows = [person(1, hire_date="2025-03-01", hard_to_employ=False)]
    first = submit(township_api, payload("absorption", beneficiaries=rows, uscc_index=1))
    second = submit(township_api, payload("absorption", beneficiaries=rows, uscc_index=2))
    assert second["state"] == "rejected"
    assert first["number"] in person_rule(second["beneficiaries"][0], "no_overlap")["reason"]


def test_it_refuses_the_same_placement_claimed_by_two_agencies(township_api):
    rows = [person(1, hire_date="2025-05-10", destination="in_county")]
    submit(township_api, payload("job_placement", kind="agency", beneficiaries=rows, uscc_index=1))
    second = submit(
        township_api, payload("job_placement", kind="agency", beneficiaries=rows, uscc_index=2)
    )
    assert second["state"] == "rejected"


def test_it_counts_months_claimed_in_another_township(people, township_api):
    from tests.workflows.support import client_for

    other = client_for(people["other_township"])
    first = submit(other, payload(township="zhaokang", uscc_index=3))
    second = submit(township_api, payload(uscc_index=4))
    assert second["state"] == "rejected"
    assert first["number"] in person_rule(second["beneficiaries"][0], "no_overlap")["reason"]
