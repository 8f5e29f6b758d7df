"""A case number (and a subsidy application number) is locked for a while after a handful
of wrong query codes, whatever address they come from; a locked number answers exactly as
a wrong code does, even to the right code."""

import re

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import file_case

pytestmark = pytest.mark.django_db

WRONG = "WRONG234"


@pytest.fixture(autouse=True)
def three_tries(settings):
    settings.LABORCASE_LOOKUP_LOCK_FAILURES = 3
    settings.LABORCASE_LOOKUP_LOCK_SECONDS = 600


def from_address(n: int) -> Client:
    """A browser at its own address: the per-IP limit never applies."""
    return Client(REMOTE_ADDR=f"10.0.{n // 250}.{n % 250 + 1}")


def page_lookup(client, number, code):
    return client.post("/status/", {"case_number": number, "query_code": code})


def api_lookup(number, code, n=0):
    return APIClient(REMOTE_ADDR=f"10.9.0.{n + 1}").get(
        f"/api/v1/complaints/{number}/", {"query_code": code}
    )


def _page(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_it_locks_a_case_number_after_a_handful_of_wrong_codes_from_anywhere():
    case = file_case()
    wrong = [page_lookup(from_address(n), case.number, WRONG) for n in range(3)]
    assert all(r.status_code == 404 for r in wrong)

    locked = page_lookup(from_address(99), case.number, case.query_code)

    assert locked.status_code == 404
    assert _page(locked) == _page(wrong[0])  # exactly the answer to a wrong code
    assert api_lookup(case.number, case.query_code).status_code == 404
    assert api_lookup(case.number, WRONG).json() == api_lookup(case.number, case.query_code).json()


def test_the_lock_holds_one_number_only_and_ends_after_its_time():
    case, other = file_case(), file_case(employer="另一家公司")
    for n in range(3):
        api_lookup(case.number, WRONG, n)

    assert api_lookup(other.number, other.query_code).status_code == 200
    assert api_lookup(case.number, case.query_code).status_code == 404
    cache.clear()  # LABORCASE_LOOKUP_LOCK_SECONDS later
    assert api_lookup(case.number, case.query_code).status_code == 200


def test_a_right_code_starts_the_count_again():
    case = file_case()
    for _ in range(2):
        api_lookup(case.number, WRONG)
    assert api_lookup(case.number, case.query_code).status_code == 200
    for _ in range(2):
        api_lookup(case.number, WRONG)

    assert api_lookup(case.number, case.query_code).status_code == 200


def test_it_locks_worker_uploads_through_the_same_count():
    case = file_case()
    for n in range(3):
        api_lookup(case.number, WRONG, n)

    response = APIClient().post(
        f"/api/v1/complaints/{case.number}/evidence/", {"query_code": case.query_code}
    )

    assert response.status_code == 404
