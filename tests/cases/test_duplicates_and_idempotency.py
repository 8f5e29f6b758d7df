"""One matter, one case: duplicate complaints link to the open case, retries replay.

DOMAIN: the same worker (ID number) against the same employer (USCC or normalised name)
within 90 days links to the existing case. API: a duplicate of an open case -> 200; staff
who can see the case get its number and `duplicate_of`, an anonymous filer only that the
complaint was merged (tests/cases/test_duplicate_disclosure.py). An Idempotency-Key
makes a retry return the first result instead of a second case.
"""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services
from cases.api import DUPLICATE_DETAIL, MERGED_DETAIL
from cases.models import Case, CaseEvent, Claim, IdempotencyRecord
from core import roles
from core.models import Employer, Person
from tests.cases.complaint_support import (
    COMPLAINTS_URL,
    claimant,
    complaint,
    id_number,
    uscc_code,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db

USCC = uscc_code(1)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def inspector():
    return staff("dup_inspector", roles.INSPECTOR, townships=(), county_level=True)


@pytest.fixture
def inspector_client(inspector):
    client = APIClient()
    client.force_authenticate(inspector)
    return client


def file(client, body, *, status=201, **headers):
    response = client.post(COMPLAINTS_URL, body, format="json", headers=headers)
    assert response.status_code == status, response.content
    return response.json()


def days_ago(days):
    return (timezone.now() - dt.timedelta(days=days)).isoformat()


def claimant_ids(case_number):
    return set(
        Claim.objects.filter(case__number=case_number).values_list("person__id_number", flat=True)
    )


# --- the same worker against the same employer ---------------------------------------------


def test_it_links_the_same_worker_against_the_same_uscc_to_the_open_case(client, inspector_client):
    first = file(client, complaint(uscc=USCC, claimants=[claimant(1)]))
    second = file(inspector_client, complaint(uscc=USCC, claimants=[claimant(1)]), status=200)
    assert second["duplicate_of"] == first["case_number"]
    assert second["case_number"] == first["case_number"]
    assert "query_code" not in second
    assert second["detail"] == DUPLICATE_DETAIL
    assert second["state"] == "submitted"
    assert second["deadline"] == first["deadline"]
    assert second["received_at"] == first["received_at"]
    assert Case.objects.count() == 1
    assert Claim.objects.count() == 1
    transitions = CaseEvent.objects.values_list("transition", flat=True)
    assert list(transitions) == ["file", "duplicate_linked"]


def test_it_links_by_uscc_even_when_the_name_is_written_differently(client, inspector_client):
    first = file(inspector_client, complaint(uscc=USCC, employer_name="襄汾县宏达建筑工程有限公司"))
    second = file(inspector_client, complaint(uscc=USCC, employer_name="宏达建筑"), status=200)
    assert second["duplicate_of"] == first["case_number"]


def test_it_adds_new_co_workers_of_a_duplicate_to_the_existing_case(client, inspector_client):
    first = file(client, complaint(uscc=USCC, claimants=[claimant(1), claimant(2)]))
    later = [claimant(1), claimant(3, amount="4500.00"), claimant(4)]
    second = file(inspector_client, complaint(uscc=USCC, claimants=later), status=200)
    assert second["duplicate_of"] == first["case_number"]
    assert Case.objects.count() == 1
    assert claimant_ids(first["case_number"]) == {id_number(n) for n in (1, 2, 3, 4)}
    added = Claim.objects.get(person__in=Person.objects.with_id_number(id_number(3)))
    assert str(added.amount_claimed) == "4500.00"
    event = CaseEvent.objects.get(transition="duplicate_linked")
    assert event.data["claimants_added"] == 2


def test_it_links_when_any_claimant_of_the_new_complaint_is_on_the_open_case(
    client, inspector_client
):
    first = file(inspector_client, complaint(uscc=USCC, claimants=[claimant(1), claimant(2)]))
    second = file(
        inspector_client, complaint(uscc=USCC, claimants=[claimant(2), claimant(5)]), status=200
    )
    assert second["duplicate_of"] == first["case_number"]
    assert claimant_ids(first["case_number"]) == {id_number(n) for n in (1, 2, 5)}


@pytest.mark.parametrize(
    "first_name, second_name",
    [
        ("襄汾县 ＡＢＣ建筑公司", "襄汾县ABC建筑公司"),
        ("襄汾县ABC建筑公司", "襄汾县 abc 建筑公司"),
        ("襄汾县ABC建筑公司（普通合伙）", "襄汾县ABC建筑公司(普通合伙)"),
    ],
    ids=["full-width-and-space", "lower-case", "full-width-brackets"],
)
def test_it_links_by_normalised_name_when_there_is_no_uscc(
    client, first_name, second_name, inspector_client
):
    first = file(inspector_client, complaint(employer_name=first_name))
    second = file(inspector_client, complaint(employer_name=second_name), status=200)
    assert second["duplicate_of"] == first["case_number"]
    assert Employer.objects.count() == 1


def test_it_links_a_complaint_without_uscc_to_the_case_against_the_registered_employer(
    client, inspector_client
):
    first = file(inspector_client, complaint(employer_name="襄汾县ABC建筑公司", uscc=USCC))
    second = file(inspector_client, complaint(employer_name="襄汾县 ＡＢＣ建筑公司"), status=200)
    assert second["duplicate_of"] == first["case_number"]


def test_it_links_a_repeat_by_name_after_someone_else_gave_the_uscc(client, inspector_client):
    mine = file(client, complaint(employer_name="襄汾县ABC建筑公司", claimants=[claimant(1)]))
    # A co-worker files separately and knows the employer's USCC.
    file(client, complaint(employer_name="襄汾县ABC建筑公司", uscc=USCC, claimants=[claimant(2)]))
    again = file(
        inspector_client,
        complaint(employer_name="襄汾县ABC建筑公司", claimants=[claimant(1)]),
        status=200,
    )
    assert again["duplicate_of"] == mine["case_number"]


def test_it_links_a_repeat_that_adds_the_uscc_to_the_case_by_name(client, inspector_client):
    first = file(client, complaint(employer_name="襄汾县ABC建筑公司", claimants=[claimant(1)]))
    second = file(
        inspector_client,
        complaint(employer_name="襄汾县ABC建筑公司", uscc=USCC, claimants=[claimant(1)]),
        status=200,
    )
    assert second.get("duplicate_of") == first["case_number"]


def test_it_makes_a_case_collective_when_duplicates_bring_it_to_ten_claimants(
    client, inspector_client
):
    first = file(
        inspector_client, complaint(uscc=USCC, claimants=[claimant(n) for n in range(1, 7)])
    )
    file(
        inspector_client,
        complaint(uscc=USCC, claimants=[claimant(n) for n in range(6, 10)]),
        status=200,
    )
    assert Claim.objects.filter(case__number=first["case_number"]).count() == 9
    file(inspector_client, complaint(uscc=USCC, claimants=[claimant(1), claimant(10)]), status=200)
    case = Case.objects.get(number=first["case_number"])
    assert case.claims.count() == 10
    assert case.is_collective


# --- when it is a new case after all ----------------------------------------------------------


def test_it_links_a_complaint_within_the_ninety_day_window(inspector_client, client):
    first = file(
        inspector_client,
        complaint(uscc=USCC, received_at=days_ago(89), backdate_reason="热线工单转办补录"),
    )
    second = file(inspector_client, complaint(uscc=USCC), status=200)
    assert second["duplicate_of"] == first["case_number"]


def test_it_opens_a_new_case_after_ninety_days(inspector_client, client):
    first = file(
        inspector_client,
        complaint(uscc=USCC, received_at=days_ago(91), backdate_reason="热线工单转办补录"),
    )
    second = file(client, complaint(uscc=USCC))
    assert second["case_number"] != first["case_number"]
    assert second["query_code"]
    assert Case.objects.count() == 2


def test_it_opens_a_new_case_once_the_first_was_rejected(client, inspector):
    first = file(client, complaint(uscc=USCC))
    services.case_transition(
        case_number=first["case_number"],
        name="reject",
        actor=inspector,
        data={"reason_code": "other", "note": "材料不全"},
    )
    assert Case.objects.get(number=first["case_number"]).state == "rejected"
    second = file(client, complaint(uscc=USCC))
    assert second["case_number"] != first["case_number"]


@pytest.mark.parametrize("final_state", ["closed", "withdrawn"])
def test_it_opens_a_new_case_once_the_first_is_finished(client, final_state):
    first = file(client, complaint(uscc=USCC))
    # Reaching `closed` takes a whole investigation; the state itself is what matters here.
    Case.objects.filter(number=first["case_number"]).update(state=final_state)
    second = file(client, complaint(uscc=USCC))
    assert second["case_number"] != first["case_number"]
    assert Case.objects.count() == 2


def test_it_opens_a_new_case_against_a_different_employer(client):
    first = file(client, complaint(uscc=uscc_code(1), employer_name="襄汾县甲公司"))
    second = file(client, complaint(uscc=uscc_code(2), employer_name="襄汾县甲公司"))
    assert second["case_number"] != first["case_number"]
    third = file(client, complaint(employer_name="襄汾县乙公司"))
    assert third["case_number"] not in {first["case_number"], second["case_number"]}
    assert Case.objects.count() == 3


def test_it_opens_a_new_case_for_a_different_worker_of_the_same_employer(client):
    first = file(client, complaint(uscc=USCC, claimants=[claimant(1)]))
    second = file(client, complaint(uscc=USCC, claimants=[claimant(2)]))
    assert second["case_number"] != first["case_number"]


# --- Idempotency-Key ---------------------------------------------------------------------------


def test_it_replays_the_first_answer_to_a_retry_with_the_same_key(client):
    body = complaint(uscc=USCC)
    first = client.post(COMPLAINTS_URL, body, format="json", headers={"Idempotency-Key": "abc-1"})
    retry = client.post(COMPLAINTS_URL, body, format="json", headers={"Idempotency-Key": "abc-1"})
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.json()["query_code"] == first.json()["query_code"]
    assert Case.objects.count() == 1
    assert Claim.objects.count() == 1
    assert Person.objects.count() == 1
    assert CaseEvent.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_it_replays_regardless_of_key_order_in_the_body(client):
    body = complaint(uscc=USCC)
    reordered = dict(reversed(list(body.items())))
    first = file(client, body, **{"Idempotency-Key": "abc-2"})
    retry = file(client, reordered, **{"Idempotency-Key": "abc-2"})
    assert retry == first
    assert Case.objects.count() == 1


def test_it_refuses_the_same_key_with_a_different_body_with_409(client):
    file(client, complaint(uscc=USCC, claimants=[claimant(1)]), **{"Idempotency-Key": "abc-3"})
    other = complaint(uscc=uscc_code(2), claimants=[claimant(2)])
    response = client.post(
        COMPLAINTS_URL, other, format="json", headers={"Idempotency-Key": "abc-3"}
    )
    assert response.status_code == 409
    assert response.json()["detail"]
    assert Case.objects.count() == 1
    assert not Person.objects.with_id_number(id_number(2)).exists()


def test_it_treats_different_keys_with_the_same_body_as_a_duplicate(client):
    body = complaint(uscc=USCC)
    first = file(client, body, **{"Idempotency-Key": "abc-4"})
    second = file(client, body, status=200, **{"Idempotency-Key": "abc-5"})
    assert second == {"merged": True, "detail": MERGED_DETAIL}
    assert first["case_number"] not in str(second)
    assert Case.objects.count() == 1


def test_it_replays_a_duplicate_answer_as_well(client):
    body = complaint(uscc=USCC)
    file(client, body)
    linked = file(client, body, status=200, **{"Idempotency-Key": "abc-6"})
    again = file(client, body, status=200, **{"Idempotency-Key": "abc-6"})
    assert again == linked
    assert CaseEvent.objects.filter(transition="duplicate_submitted").count() == 1


def test_it_stores_no_key_for_a_refused_request(client):
    response = client.post(
        COMPLAINTS_URL,
        complaint(claimants=[]),
        format="json",
        headers={"Idempotency-Key": "abc-7"},
    )
    assert response.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    # The worker fixes the complaint and sends it again with the same key.
    file(client, complaint(), **{"Idempotency-Key": "abc-7"})
