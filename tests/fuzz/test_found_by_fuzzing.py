"""The server errors the schema fuzzing found, each pinned as a plain request.

The fuzz run (test_api_fuzz.py) would find them again, but only as long as its
generated examples happen to include them; these cannot drift away.
"""

import pytest
from rest_framework.test import APIClient

from cases.api import BODY_NOT_OBJECT
from cases.complaint_inputs import RECEIVED_AT_BEFORE_RULES
from cases.models import Case
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint
from tests.factories import file_case, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_api():
    client = APIClient()
    client.force_authenticate(staff("fbf_sup", "supervisor", townships=(), county_level=True))
    return client


@pytest.mark.parametrize("body", [-1585, [[False], {}, {"": 1}], "accept", True])
def test_a_transition_with_a_json_body_that_is_not_an_object_is_a_400(supervisor_api, body):
    case = file_case()
    response = supervisor_api.post(
        f"/api/v1/cases/{case.number}/transitions/withdraw/", body, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == BODY_NOT_OBJECT
    case.refresh_from_db()
    assert (case.state, case.version) == ("submitted", 0)


@pytest.mark.parametrize("kind", ["wage_arrears", "labor_dispute"])
def test_a_complaint_received_before_every_rule_is_a_400_not_a_crash(supervisor_api, kind):
    # Staff may enter the original time of a complaint that reached another channel;
    # a year before every clock rule and legal parameter (a typo for 2026, say) used to
    # reach the service, which found no rule in force and answered 500.
    body = complaint(kind=kind, claimants=[claimant(1)], received_at="1792-12-28T23:05:59-08:14")
    response = supervisor_api.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["errors"]["received_at"] == [
        RECEIVED_AT_BEFORE_RULES.format(day="1792-12-29")
    ]
    assert not Case.objects.exists()


def test_a_complaint_received_on_a_day_the_rules_cover_is_still_filed(supervisor_api):
    body = complaint(
        claimants=[claimant(1)],
        received_at="2026-04-30T10:15:00+08:00",
        backdate_reason="热线工单转办补录",
    )
    response = supervisor_api.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["deadline"] == "2026-05-11"  # docs/domain.md's worked example
