"""A beneficiary born before 2000 with Xiangfen's current area code (141023) is accepted."""

import pytest

from tests.workflows.support import payload, person, submit

pytestmark = pytest.mark.django_db


def test_it_takes_a_beneficiary_with_an_area_code_newer_than_the_birth(township_api):
    body = payload(beneficiaries=[person(1, id_number="141023198503151015")])
    result = submit(township_api, body)
    assert result["beneficiaries"][0]["id_number"].endswith("1015")
