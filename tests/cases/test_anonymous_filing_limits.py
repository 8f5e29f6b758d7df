"""What an anonymous filing may not choose: its channel, and how many claimants it names.

An anonymous filing is always `online`: a `channel` with another value is a 400 (the API
documents the field for staff entry). Claimants per anonymous filing are capped by the
rule-table row anonymous_claimants_max; a larger collective case is entered by staff.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from cases.complaint_inputs import CHANNEL_STAFF_ONLY, TOO_MANY_CLAIMANTS
from cases.models import Case
from core import roles
from rules.models import LegalParameter
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint
from tests.factories import staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def staff_client():
    client = APIClient()
    client.force_authenticate(staff("limits_inspector", roles.INSPECTOR, townships=("xincheng",)))
    return client


def many(n):
    return [claimant(i, representative=i <= 3) for i in range(1, n + 1)]


def limit():
    return int(LegalParameter.objects.get(code="anonymous_claimants_max").value)


def test_it_refuses_another_channel_from_an_anonymous_filer():
    response = APIClient().post(COMPLAINTS_URL, complaint(channel="hotline_12345"), format="json")

    assert response.status_code == 400
    assert CHANNEL_STAFF_ONLY in response.content.decode()
    assert not Case.objects.exists()


def test_it_accepts_online_said_explicitly():
    response = APIClient().post(COMPLAINTS_URL, complaint(channel="online"), format="json")

    assert response.status_code == 201
    assert Case.objects.get().channel == "online"


def test_it_lets_staff_record_the_channel(staff_client):
    response = staff_client.post(COMPLAINTS_URL, complaint(channel="walk_in"), format="json")

    assert response.status_code == 201
    assert Case.objects.get().channel == "walk_in"


def test_it_holds_the_claimants_maximum_as_a_rule_table_row():
    row = LegalParameter.objects.get(code="anonymous_claimants_max")
    assert row.value > 10  # above the collective minimum: a collective case can file online
    assert row.citation


def test_it_refuses_more_claimants_than_the_maximum_from_an_anonymous_filer():
    response = APIClient().post(
        COMPLAINTS_URL, complaint(claimants=many(limit() + 1)), format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"]["claimants"] == [TOO_MANY_CLAIMANTS.format(limit=limit())]
    assert not Case.objects.exists()


def test_it_accepts_the_maximum_itself():
    response = APIClient().post(COMPLAINTS_URL, complaint(claimants=many(limit())), format="json")

    assert response.status_code == 201, response.content


def test_it_follows_a_change_of_the_rule_row():
    LegalParameter.objects.create(
        code="anonymous_claimants_max",
        label="网上投诉每次最多请求人数",
        value=12,
        unit="人",
        citation="测试",
        effective_from=dt.date(2025, 1, 1),
    )
    response = APIClient().post(COMPLAINTS_URL, complaint(claimants=many(13)), format="json")

    assert response.status_code == 400
    assert TOO_MANY_CLAIMANTS.format(limit=12) in response.content.decode()


def test_it_lets_staff_enter_a_larger_collective_case(staff_client):
    response = staff_client.post(
        COMPLAINTS_URL, complaint(claimants=many(limit() + 5)), format="json"
    )

    assert response.status_code == 201, response.content
    assert Case.objects.get().claims.count() == limit() + 5
