"""JSON that Python's decoder accepts but the API cannot use is a 400 that says what is
wrong, never a 500: nesting deeper than the recursion limit, numbers beyond a float's
range (`1e400` is infinity), and the non-standard NaN / Infinity."""

import pytest
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent
from config.parsers import NUMBER_OUT_OF_RANGE, TOO_DEEP
from core.api_errors import MALFORMED_BODY
from tests.factories import file_case, staff

pytestmark = pytest.mark.django_db


def _post(client, url, raw):
    return client.post(url, data=raw, content_type="application/json")


@pytest.fixture
def inspector_client():
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(staff("insp_json", "inspector"))
    return client


@pytest.mark.parametrize("depth", [2_000, 100_000])
def test_it_refuses_deeply_nested_json_with_400(depth):
    client = APIClient(raise_request_exception=False)
    response = _post(client, "/api/v1/complaints/", "[" * depth + "]" * depth)

    assert response.status_code == 400
    assert response.json()["detail"] == TOO_DEEP
    assert not Case.objects.exists()


def test_it_refuses_a_version_beyond_a_floats_range_with_400(inspector_client):
    case = file_case()
    events = CaseEvent.objects.filter(case=case).count()

    response = _post(
        inspector_client,
        f"/api/v1/cases/{case.number}/transitions/accept/",
        '{"version": 1e400, "note": "x"}',
    )

    assert response.status_code == 400
    assert response.json()["detail"] == NUMBER_OUT_OF_RANGE.format(value="1e400")
    case.refresh_from_db()
    assert case.state == "submitted" and CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "-1e999"])
def test_it_refuses_numbers_that_are_not_finite(inspector_client, number):
    case = file_case()
    response = _post(
        inspector_client,
        f"/api/v1/cases/{case.number}/transitions/accept/",
        f'{{"version": {number}}}',
    )

    assert response.status_code == 400
    assert "超出范围" in response.json()["detail"]


def test_it_still_reads_ordinary_numbers(inspector_client):
    case = file_case()
    response = _post(
        inspector_client,
        f"/api/v1/cases/{case.number}/transitions/accept/",
        f'{{"version": {case.version + 1}.0, "note": "受理"}}',
    )

    assert response.status_code == 409  # read as a number: the stale-version answer


def test_it_keeps_the_generic_answer_for_plain_invalid_json():
    response = _post(APIClient(), "/api/v1/complaints/", "{not json")

    assert response.status_code == 400
    assert response.json()["detail"] == MALFORMED_BODY
