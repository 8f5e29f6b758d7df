"""The blacklist list page costs the same number of queries for 1 entry as for 3."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.enforcement.support import browser, ordered_case, proposed
from tests.factories import claimant

pytestmark = pytest.mark.django_db


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/enforcement/blacklist/").status_code == 200
    return len(captured)


def test_the_list_does_not_query_per_entry(people):
    client = browser(people["supervisor"])
    proposed(people)
    one = queries(client)
    for n in (1, 2):
        case = ordered_case(people, employer=f"襄汾县第{n}建筑公司", claimants=[claimant(n)])
        proposed(people, case)
    assert queries(client) == one
