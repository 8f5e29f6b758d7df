"""Resident ID numbers (GB 11643): any area code that ever existed, a real birth date,
the check digit. A number keeps the area code it was first issued under, so Xiangfen's
141023 (assigned in 2000) is carried by people born long before 2000."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient
from stdnum.cn import ric

from cases.models import Case
from core import validators
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint


def numbered(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum skips the last character


def refusal(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        validators.clean_id_number(value)
    return caught.value.messages[0]


def test_it_accepts_the_number_the_field_trial_refused():
    assert validators.clean_id_number("141023198503151015") == "141023198503151015"


@pytest.mark.parametrize("year", range(1970, 2000, 3))
def test_it_accepts_the_new_area_code_with_a_birth_before_it_existed(year):
    number = numbered(f"141023{year}0615101")
    assert validators.clean_id_number(number) == number


def test_it_accepts_the_old_area_code_of_the_county():
    number = numbered("14262319800101001")
    assert validators.clean_id_number(number) == number


def test_it_accepts_a_lower_case_x_check_digit():
    assert validators.clean_id_number("11010519491231002x") == "11010519491231002X"


def test_it_refuses_an_area_code_that_never_existed():
    assert refusal(numbered("14999919800101001")) == validators.ID_NUMBER_AREA_CODE
    assert refusal(numbered("99999919800101001")) == validators.ID_NUMBER_AREA_CODE


def test_it_refuses_a_birth_date_in_the_future():
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    number = numbered(f"141023{tomorrow:%Y%m%d}001")
    assert refusal(number) == validators.ID_NUMBER_BIRTH_DATE


def test_it_refuses_a_birth_date_that_does_not_exist():
    assert refusal(numbered("14102319850229001")) == validators.ID_NUMBER_BIRTH_DATE


def test_it_refuses_a_wrong_check_digit():
    assert refusal("141023198503151016") == validators.ID_NUMBER_CHECK_DIGIT


@pytest.mark.parametrize("bad", ["14102319850315101", "1410231985031510155", "14102319850315101Y"])
def test_it_refuses_a_malformed_number(bad):
    assert refusal(bad) == validators.ID_NUMBER_INVALID


@pytest.mark.django_db
def test_it_files_a_complaint_for_a_worker_with_the_new_area_code():
    body = complaint(claimants=[claimant(1, id_number="141023198503151015")])
    response = APIClient().post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.filter(number=response.json()["case_number"]).exists()
