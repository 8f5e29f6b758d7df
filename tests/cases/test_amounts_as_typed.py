"""Amounts are accepted as people type them ("5,000", "5000元", "5000.00", full-width
digits) on the portal form and in the API; anything else keeps the precise error."""

from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.test import APIClient

from cases import services
from cases.amounts import normalize_amount
from cases.models import Claim
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint
from tests.cases.test_portal import URL as PORTAL_URL
from tests.cases.test_portal import form

pytestmark = pytest.mark.django_db

TYPED = ["5,000", "5000元", "5000.00", "５０００", "￥5,000.00", "５，０００元", " 5000 元整 "]
GARBAGE = ["五千", "5千", "abc", "5,00", "5.000,00", "50-00", "元"]
INVALID = str(serializers.DecimalField.default_error_messages["invalid"])


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("typed", TYPED)
def test_the_portal_form_accepts_the_amount_as_typed(client, typed):
    response = client.post(PORTAL_URL, form(**{"c-0-amount_claimed": typed}))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Claim.objects.get().amount_claimed == Decimal("5000")


@pytest.mark.parametrize("typed", GARBAGE)
def test_the_portal_form_still_refuses_garbage_with_the_field_s_error(client, typed):
    response = client.post(PORTAL_URL, form(**{"c-0-amount_claimed": typed}))

    body = response.content.decode()
    assert response.status_code == 400
    assert INVALID in body and f'value="{typed}"' in body  # kept as typed
    assert not Claim.objects.exists()


@pytest.mark.parametrize("typed", TYPED)
def test_the_api_accepts_the_amount_as_typed(typed):
    body = complaint(claimants=[claimant(1, amount=typed)])

    response = APIClient().post(COMPLAINTS_URL, body, format="json")

    assert response.status_code == 201, response.json()
    assert Claim.objects.get().amount_claimed == Decimal("5000")


def test_the_api_still_names_the_field_of_a_garbage_amount():
    body = complaint(claimants=[claimant(1, amount="5千")])

    response = APIClient().post(COMPLAINTS_URL, body, format="json")

    assert response.status_code == 400
    assert INVALID in str(response.json()["errors"]["claimants"]) and "amount_claimed" in str(
        response.json()["errors"]
    )


def test_transition_amounts_are_normalised_too(people):
    from tests.cases.test_transitions import ACCEPT_WA, HEAR, ORDER, run
    from tests.factories import file_case

    case = file_case()
    for step in (ACCEPT_WA, HEAR, ORDER):
        case = run(step, case, people)
    claim = case.claims.get()

    case = services.case_transition(
        case_number=case.number,
        name="record_payment",
        actor=people["inspector"],
        data={"payments": [{"claim": claim.pk, "amount": "３，０００元"}]},
        today=case.pay_by,
    )

    assert case.claims.get().amount_recovered == Decimal("3000")


def test_normalize_amount_leaves_numbers_and_garbage_alone():
    assert normalize_amount(5000) == 5000
    assert normalize_amount("12,345,678.9") == "12345678.9"
    assert normalize_amount("5,00") == "5,00"
