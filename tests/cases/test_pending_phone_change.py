"""An anonymous filing never changes a stored worker's phone.

A filing naming a known worker's ID number with another phone keeps that phone on its
claim as a pending change, shown to staff on the case page and applied only by an
inspector, mediator or arbitrator of the township after checking it (with an event).
Until then every SMS goes to the phone on record.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent, Claim
from core import roles
from core.models import Person
from notifications.followup import CONFIRMATION
from notifications.models import SmsMessage
from tests.cases.complaint_support import (
    COMPLAINTS_URL,
    claimant,
    complaint,
    id_number,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db

STORED = claimant(1)["phone"]
NEW = "13999999999"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def known_worker():
    # The worker's first complaint, against another employer.
    response = APIClient().post(
        COMPLAINTS_URL, complaint(employer_name="襄汾县甲公司"), format="json"
    )
    assert response.status_code == 201
    return Person.objects.with_id_number(id_number(1)).get()


def file_with_new_phone(client=None):
    body = complaint(employer_name="襄汾县乙公司", claimants=[claimant(1, phone=NEW)])
    response = (client or APIClient()).post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.content
    return Case.objects.get(number=response.json()["case_number"])


def test_it_keeps_the_stored_phone_and_holds_the_new_one_on_the_claim(
    known_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = file_with_new_phone()

    known_worker.refresh_from_db()
    assert known_worker.phone == STORED
    claim = case.claims.get()
    assert claim.pending_phone == NEW
    assert case.events.get().data["phone_changes_pending"] == 1
    texts = SmsMessage.objects.filter(purpose=CONFIRMATION, case_number=case.number)
    assert [t.phone for t in texts] == [STORED]


def test_it_shows_staff_the_pending_phone_masked_on_the_case_page(known_worker):
    case = file_with_new_phone()
    inspector = staff("phone_page", roles.INSPECTOR, townships=("xincheng",))
    client = Client()
    client.force_login(inspector)

    page = client.get(f"/workbench/cases/{case.number}/").content.decode()

    claim = case.claims.get()
    assert f'data-phone-change="{claim.pk}"' in page
    assert claim.pending_phone_masked in page and NEW not in page


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_it_applies_or_drops_the_phone_only_when_staff_decide(known_worker, decision):
    case = file_with_new_phone()
    claim = case.claims.get()
    inspector = staff("phone_decider", roles.INSPECTOR, townships=("xincheng",))
    client = Client()
    client.force_login(inspector)

    response = client.post(
        f"/workbench/cases/{case.number}/claims/{claim.pk}/phone/", {"decision": decision}
    )

    assert response.status_code == 302
    known_worker.refresh_from_db()
    assert known_worker.phone == (NEW if decision == "accept" else STORED)
    assert Claim.objects.get(pk=claim.pk).pending_phone == ""
    event = CaseEvent.objects.filter(case=case).last()
    expected = "phone_change_applied" if decision == "accept" else "phone_change_declined"
    assert (event.transition, event.actor, event.data) == (
        expected,
        inspector,
        {"claim_id": claim.pk},
    )
    assert NEW not in str(event.data)


def test_it_refuses_the_decision_to_staff_outside_the_township(known_worker):
    case = file_with_new_phone()
    claim = case.claims.get()
    outsider = staff("phone_far", roles.INSPECTOR, townships=("zhaokang",))
    client = Client()
    client.force_login(outsider)

    response = client.post(
        f"/workbench/cases/{case.number}/claims/{claim.pk}/phone/", {"decision": "accept"}
    )

    assert response.status_code == 404
    known_worker.refresh_from_db()
    assert known_worker.phone == STORED


def test_it_lets_staff_entry_update_the_phone_directly(known_worker):
    inspector = staff("phone_staff", roles.INSPECTOR, townships=("xincheng",))
    client = APIClient()
    client.force_authenticate(inspector)

    case = file_with_new_phone(client)

    known_worker.refresh_from_db()
    assert known_worker.phone == NEW
    assert case.claims.get().pending_phone == ""
