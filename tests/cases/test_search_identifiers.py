"""A text that is a whole identifier (a worker's ID number or mobile number, a whole
case number) is matched as that identifier only (cases.search): it finds the cases it
names, and it is not looked for inside the names of workers, employers and projects,
whose trigram lookups cost more than the rest of the search at a million cases."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import search
from cases.models import Case
from tests.factories import VALID_IDS, claimant, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(people):
    first = file_case(employer="甲建筑公司", claimants=[claimant(0), claimant(1)])
    second = file_case(employer="乙公司", claimants=[claimant(2)])
    # A project whose name holds a phone number and an ID number: contact details and
    # a record in a name, not what an officer typing them looks for.
    Case.objects.filter(pk=second.pk).update(
        project_name=f"城南项目（联系13800130001，{VALID_IDS[0]}，{first.number}）"
    )
    return first, second


def found(text):
    return set(Case.objects.filter(search.search_condition(text)).values_list("pk", flat=True))


def test_a_whole_id_number_finds_its_workers_cases_only(cases):
    first, _second = cases

    assert found(VALID_IDS[0]) == {first.pk}
    assert found(VALID_IDS[0].lower()) == {first.pk}  # x for X


def test_a_whole_phone_finds_its_workers_cases_only(cases):
    first, _second = cases

    assert found("13800130001") == {first.pk}
    assert found("138-0013-0001") == {first.pk}


def test_a_whole_case_number_finds_that_case_only(cases):
    first, second = cases

    assert found(first.number) == {first.pk}
    assert found(first.number.lower()) == {first.pk}
    assert found(second.number) == {second.pk}


def test_parts_of_identifiers_are_still_looked_for_in_names(cases):
    first, second = cases

    assert found("1380013000") == {second.pk}  # not a whole phone: part of the project's name
    assert found(first.number[:-1]) == {first.pk, second.pk}  # a number's beginning, and the name
    assert found("城南项目") == {second.pk}


@pytest.mark.parametrize("text", [VALID_IDS[3], "13900000000", "XF-2026-000001"])
def test_an_identifier_is_one_lookup(cases, text):
    with CaptureQueriesContext(connection) as captured:
        search.matching_case_ids(text)

    assert len(captured) == 1
    assert "name" not in captured[0]["sql"].lower()
