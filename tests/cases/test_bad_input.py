"""Bad complaint input: 400 with the field's error under `errors`, and nothing stored."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cases import complaint_inputs
from cases.models import Case, CaseEvent, Claim, IdempotencyRecord
from core import serializers, validators
from core.models import Employer, Person, Township
from rules import parameters as rules
from tests.cases.complaint_support import (
    COMPLAINTS_URL,
    VALID_ID_NUMBER,
    VALID_USCC,
    claimant,
    complaint,
)

pytestmark = pytest.mark.django_db

STORED = (Case, Claim, Person, Employer, CaseEvent, IdempotencyRecord)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def nothing_stored():
    """Asserts, after the test, that no row of any filing table was written."""
    before = {model: model.objects.count() for model in STORED}
    yield
    assert {model: model.objects.count() for model in STORED} == before


def refused(response, *path):
    """The error messages at `path` inside `errors` of a 400 answer."""
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    node = body["errors"]
    for key in path:
        assert key in node, body
        node = node[key]
    assert node, body
    return node


def post(client, body, **headers):
    return client.post(COMPLAINTS_URL, body, format="json", headers=headers)


def with_claimant(**fields):
    return complaint(claimants=[claimant(1, **fields)])


# --- claimants -----------------------------------------------------------------------------


def test_it_refuses_an_id_number_with_a_wrong_check_digit(client, nothing_stored):
    assert validators.clean_id_number(VALID_ID_NUMBER) == VALID_ID_NUMBER
    response = post(client, with_claimant(id_number=VALID_ID_NUMBER[:-1] + "0"))
    assert refused(response, "claimants", "0", "id_number") == [validators.ID_NUMBER_CHECK_DIGIT]


@pytest.mark.parametrize(
    "bad",
    ["11010519491231002", "110105194913310028", "ABCDEFGHIJKLMNOPQR", ""],
    ids=["too-short", "bad-birth-date", "letters", "empty"],
)
def test_it_refuses_a_malformed_id_number(client, nothing_stored, bad):
    refused(post(client, with_claimant(id_number=bad)), "claimants", "0", "id_number")


@pytest.mark.parametrize("bad", ["12345", "23800138000", "138001380001", "电话"])
def test_it_refuses_a_bad_phone(client, nothing_stored, bad):
    response = post(client, with_claimant(phone=bad))
    assert refused(response, "claimants", "0", "phone") == [validators.PHONE_INVALID]


def test_it_points_at_the_claimant_with_the_error(client, nothing_stored):
    body = complaint(claimants=[claimant(1), claimant(2, phone="123")])
    response = post(client, body)
    assert refused(response, "claimants", "1", "phone") == [validators.PHONE_INVALID]
    assert "0" not in response.json()["errors"]["claimants"]


@pytest.mark.parametrize("amount", ["-1.00", "0", "0.00", "0.001"])
def test_it_refuses_an_amount_that_is_not_positive_money(client, nothing_stored, amount):
    refused(post(client, with_claimant(amount=amount)), "claimants", "0", "amount_claimed")


@pytest.mark.parametrize("amount", ["abc", "NaN", "Infinity", "1e400", None])
def test_it_refuses_an_amount_that_is_not_a_number(client, nothing_stored, amount):
    refused(post(client, with_claimant(amount=amount)), "claimants", "0", "amount_claimed")


def test_it_refuses_an_absurd_amount(client, nothing_stored):
    limit = rules.parameter("claim_amount_max")
    response = post(client, with_claimant(amount=str(limit + 1)))
    assert refused(response, "claimants", "0", "amount_claimed") == [
        complaint_inputs.AMOUNT_TOO_LARGE.format(limit=limit)
    ]


def test_it_accepts_an_amount_at_the_limit(client):
    limit = rules.parameter("claim_amount_max")
    assert post(client, with_claimant(amount=str(limit))).status_code == 201


@pytest.mark.parametrize("months", [-1, 241, "three"])
def test_it_refuses_impossible_months_owed(client, nothing_stored, months):
    refused(post(client, with_claimant(months_owed=months)), "claimants", "0", "months_owed")


def test_it_refuses_an_empty_claimant_list(client, nothing_stored):
    refused(post(client, complaint(claimants=[])), "claimants")


def test_it_tells_the_worker_at_least_one_claimant_is_needed(client, nothing_stored):
    response = post(client, complaint(claimants=[]))
    assert refused(response, "claimants") == [complaint_inputs.NO_CLAIMANTS]


def test_it_refuses_a_complaint_without_claimants(client, nothing_stored):
    body = complaint()
    del body["claimants"]
    refused(post(client, body), "claimants")


@pytest.mark.parametrize("claimants", [{"name": "x"}, "工人", ["工人"], None])
def test_it_refuses_claimants_that_are_not_a_list_of_objects(client, nothing_stored, claimants):
    body = complaint()
    body["claimants"] = claimants
    refused(post(client, body), "claimants")


def test_it_refuses_the_same_id_number_twice_in_one_complaint(client, nothing_stored):
    twice = [claimant(1, id_number=VALID_ID_NUMBER), claimant(2, id_number=VALID_ID_NUMBER)]
    response = post(client, complaint(claimants=twice))
    assert refused(response, "claimants") == [
        complaint_inputs.DUPLICATE_CLAIMANT.format(id=validators.mask_id_number(VALID_ID_NUMBER))
    ]


def test_it_sees_the_same_id_number_written_in_lower_case(client, nothing_stored):
    twice = [
        claimant(1, id_number=VALID_ID_NUMBER),
        claimant(2, id_number=VALID_ID_NUMBER.lower()),
    ]
    response = post(client, complaint(claimants=twice))
    assert refused(response, "claimants") == [
        complaint_inputs.DUPLICATE_CLAIMANT.format(id=validators.mask_id_number(VALID_ID_NUMBER))
    ]


# --- employer -------------------------------------------------------------------------------


def test_it_refuses_an_unknown_township_code(client, nothing_stored):
    response = post(client, complaint(township="atlantis"))
    choices = "、".join(Township.objects.values_list("code", flat=True))
    assert refused(response, "employer", "township") == [
        serializers.UNKNOWN_TOWNSHIP.format(code="atlantis", choices=choices)
    ]


@pytest.mark.parametrize("township", [None, "", ["xincheng"]])
def test_it_refuses_a_missing_or_malformed_township(client, nothing_stored, township):
    refused(post(client, complaint(township=township)), "employer", "township")


def test_it_refuses_a_uscc_with_a_wrong_check_digit(client, nothing_stored):
    assert validators.clean_uscc(VALID_USCC) == VALID_USCC
    response = post(client, complaint(uscc=VALID_USCC[:-1] + "M"))
    assert refused(response, "employer", "uscc") == [validators.USCC_INVALID]


@pytest.mark.parametrize("uscc", ["9111000060003734", "91110000600037341LL", "9111000060003734IL"])
def test_it_refuses_a_malformed_uscc(client, nothing_stored, uscc):
    response = post(client, complaint(uscc=uscc))
    assert refused(response, "employer", "uscc") == [validators.USCC_INVALID]


def test_it_refuses_an_employer_without_a_name(client, nothing_stored):
    refused(post(client, complaint(employer_name="   ")), "employer", "name")


@pytest.mark.parametrize("employer", ["襄汾县某公司", ["襄汾县某公司"], None])
def test_it_refuses_an_employer_that_is_not_an_object(client, nothing_stored, employer):
    body = complaint()
    body["employer"] = employer
    refused(post(client, body), "employer")


# --- the complaint itself ----------------------------------------------------------------------


def test_it_refuses_a_complaint_without_description(client, nothing_stored):
    body = complaint()
    del body["description"]
    refused(post(client, body), "description")


def test_it_refuses_a_blank_description(client, nothing_stored):
    refused(post(client, complaint(description=" \n ")), "description")


def test_it_refuses_an_overlong_description(client, nothing_stored):
    refused(post(client, complaint(description="欠" * 5001)), "description")


@pytest.mark.parametrize("kind", ["wages", "", None, ["wage_arrears"]])
def test_it_refuses_an_unknown_kind(client, nothing_stored, kind):
    refused(post(client, complaint(kind=kind)), "kind")


def test_it_refuses_an_unknown_channel_and_sector(client, nothing_stored):
    response = post(client, complaint(channel="pigeon", sector="piracy"))
    refused(response, "channel")
    refused(response, "sector")


def test_it_refuses_a_received_at_that_is_not_a_date(client, nothing_stored):
    refused(post(client, complaint(received_at="yesterday")), "received_at")


# --- the body is not a complaint at all ----------------------------------------------------------


def test_it_answers_malformed_json_with_400(client, nothing_stored):
    response = client.post(
        COMPLAINTS_URL, '{"kind": "wage_arrears",', content_type="application/json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert "errors" in body


@pytest.mark.parametrize("raw", ["[1, 2]", '"complaint"', "42", "null", "[]", "{}"])
def test_it_answers_a_non_object_or_empty_body_with_400(client, nothing_stored, raw):
    response = client.post(COMPLAINTS_URL, raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]


def test_it_answers_a_list_body_with_an_idempotency_key_with_400(client, nothing_stored):
    response = client.post(
        COMPLAINTS_URL, "[1, 2]", content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]


def test_it_answers_an_unsupported_content_type_with_415_not_500(client, nothing_stored):
    response = client.post(COMPLAINTS_URL, "kind=wage_arrears", content_type="text/plain")
    assert response.status_code == 415


def test_it_reports_every_bad_field_at_once(client, nothing_stored):
    body = complaint(kind="nope", township="atlantis", claimants=[claimant(1, phone="1")])
    del body["description"]
    response = post(client, body)
    errors = response.json()["errors"]
    assert response.status_code == 400
    assert {"kind", "employer", "claimants", "description"} <= set(errors)
