"""The subsidy applicant's status look-up shares the complaint look-up's lock: an
application number is locked after a handful of wrong codes, answering as a wrong code."""

import pytest
from rest_framework.test import APIClient

from tests.cases.test_lookup_lock import WRONG, _page, from_address
from tests.workflows.support import payload, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def three_tries(settings):
    settings.LABORCASE_LOOKUP_LOCK_FAILURES = 3
    settings.LABORCASE_LOOKUP_LOCK_SECONDS = 600


def test_it_locks_the_subsidy_applicant_look_up_too(people, township_api):
    app = submit(township_api, payload())
    for n in range(3):
        wrong = from_address(n).post(
            "/subsidies/status/", {"number": app["number"], "query_code": WRONG}
        )
        assert wrong.status_code == 404

    page = from_address(50).post(
        "/subsidies/status/", {"number": app["number"], "query_code": app["query_code"]}
    )
    api = APIClient(REMOTE_ADDR="10.8.0.1").get(
        f"/api/v1/subsidies/status/{app['number']}/", {"query_code": app["query_code"]}
    )

    assert page.status_code == 404 and _page(page) == _page(wrong)
    assert api.status_code == 404
