"""An Idempotency-Key belongs to its caller (the signed-in user, else the client's
address) and lapses after LABORCASE_IDEMPOTENCY_HOURS: nobody can claim another's key
first, read another's answer with it, or block it forever."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases import idempotency
from cases.models import Case, IdempotencyRecord
from cases.tasks import idempotency_purge
from core import roles
from tests import factories
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint

pytestmark = pytest.mark.django_db

KEY = {"Idempotency-Key": "7f9c2d1e-shared-0001"}
WORKER, STRANGER = "203.0.113.10", "198.51.100.66"


def _file(client, body):
    return client.post(COMPLAINTS_URL, body, format="json", headers=KEY)


def test_it_keeps_a_key_claimed_from_another_address_away_from_this_caller():
    squatter = _file(APIClient(REMOTE_ADDR=STRANGER), complaint(claimants=[claimant(1)]))
    assert squatter.status_code == 201

    mine = _file(APIClient(REMOTE_ADDR=WORKER), complaint(claimants=[claimant(2)]))

    assert mine.status_code == 201  # filed, not a 409 for "another complaint"
    assert mine.json()["case_number"] != squatter.json()["case_number"]
    assert mine.json()["query_code"] != squatter.json()["query_code"]
    assert Case.objects.count() == 2


def test_it_never_replays_another_callers_answer():
    body = complaint(claimants=[claimant(3)])
    first = _file(APIClient(REMOTE_ADDR=WORKER), body)
    assert first.status_code == 201

    other = _file(APIClient(REMOTE_ADDR=STRANGER), body)

    # The stranger's request is its own: linked as a duplicate, without the worker's code.
    assert "query_code" not in other.json()
    assert first.json()["query_code"] not in other.content.decode()


def test_it_scopes_a_signed_in_callers_key_to_the_user():
    inspector = factories.staff("idem_insp", roles.INSPECTOR, townships=(), county_level=True)
    staff = APIClient(REMOTE_ADDR=WORKER)
    staff.force_authenticate(inspector)
    anonymous = APIClient(REMOTE_ADDR=WORKER)  # the same office address

    assert _file(staff, complaint(claimants=[claimant(4)])).status_code == 201
    assert _file(anonymous, complaint(claimants=[claimant(5)])).status_code == 201
    assert set(IdempotencyRecord.objects.values_list("scope", flat=True)) == {
        f"user:{inspector.pk}",
        f"ip:{WORKER}",
    }


def test_it_replays_to_the_same_caller_within_the_day():
    client = APIClient(REMOTE_ADDR=WORKER)
    body = complaint(claimants=[claimant(6)])
    first = _file(client, body)

    retry = _file(client, body)

    assert retry.status_code == 201 and retry.json() == first.json()
    assert Case.objects.count() == 1


def test_a_key_lapses_after_a_day(settings):
    client = APIClient(REMOTE_ADDR=WORKER)
    assert _file(client, complaint(claimants=[claimant(7)])).status_code == 201
    hours = settings.LABORCASE_IDEMPOTENCY_HOURS
    IdempotencyRecord.objects.update(
        created_at=timezone.now() - dt.timedelta(hours=hours, seconds=1)
    )

    again = _file(client, complaint(claimants=[claimant(8)]))

    assert again.status_code == 201  # a new request, not a 409 for a different body
    assert IdempotencyRecord.objects.count() == 1
    assert Case.objects.count() == 2


def test_the_hourly_purge_deletes_lapsed_keys_only(settings):
    for n, address in enumerate([WORKER, STRANGER], start=9):
        _file(APIClient(REMOTE_ADDR=address), complaint(claimants=[claimant(n)]))
    lapsed = idempotency.cutoff() - dt.timedelta(minutes=1)
    IdempotencyRecord.objects.filter(scope=f"ip:{WORKER}").update(created_at=lapsed)

    assert idempotency_purge() == 1

    assert list(IdempotencyRecord.objects.values_list("scope", flat=True)) == [f"ip:{STRANGER}"]
