"""Finding a worker's case in the queue: by name, full phone or ID number (blind
indexes), employer and case number; open cases by default; the filters; only the user's
townships."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from cases.models import Case
from cases.selectors import DATE_INVALID
from core.models import Person
from tests.factories import VALID_IDS, claimant, file_case

pytestmark = pytest.mark.django_db


def numbers(client, query=""):
    response = client.get(f"/workbench/{query}")
    assert response.status_code == 200
    return [row["case"].number for row in response.context["rows"]]


@pytest.fixture
def cases(people):
    return {
        "alpha": file_case(employer="甲建筑公司", claimants=[claimant(0), claimant(1)]),
        "beta": file_case(employer="乙餐饮公司", claimants=[claimant(2)]),
        # the same worker (ID number and phone) in another township
        "far": file_case(employer="丙公司", township="zhaokang", claimants=[claimant(2)]),
    }


def test_it_finds_a_case_by_the_workers_name(client, people, cases):
    client.force_login(people["inspector"])

    assert numbers(client, "?q=工人1") == [cases["alpha"].number]


def test_it_finds_a_case_by_the_full_phone_in_any_common_writing(client, people, cases):
    client.force_login(people["inspector"])

    for written in ("13800130002", "138-0013-0002", "+86 138 0013 0002"):
        assert numbers(client, f"?q={written.replace('+', '%2B')}") == [cases["beta"].number]


def test_it_finds_a_case_by_the_full_id_number(client, people, cases):
    client.force_login(people["inspector"])

    assert numbers(client, f"?q={VALID_IDS[0]}") == [cases["alpha"].number]
    assert numbers(client, f"?q={VALID_IDS[0].lower()[:-1]}{VALID_IDS[0][-1].lower()}") == [
        cases["alpha"].number
    ]


def test_it_finds_by_employer_and_case_number(client, people, cases):
    client.force_login(people["inspector"])

    assert numbers(client, "?q=乙餐饮") == [cases["beta"].number]
    assert numbers(client, f"?q={cases['alpha'].number}") == [cases["alpha"].number]


def test_it_searches_only_the_users_townships(client, people, cases):
    client.force_login(people["other_township"])

    assert numbers(client, "?q=13800130002") == [cases["far"].number]
    assert numbers(client, "?q=甲建筑") == []
    assert numbers(client, "?township=xincheng") == []


def test_it_finds_a_county_users_cases_everywhere(client, people, cases):
    client.force_login(people["supervisor"])

    assert set(numbers(client, f"?q={VALID_IDS[2]}")) == {
        cases["beta"].number,
        cases["far"].number,
    }


def test_it_shows_open_cases_unless_asked_for_all(client, people, cases):
    Case.objects.filter(pk=cases["beta"].pk).update(state="closed")
    client.force_login(people["inspector"])

    assert numbers(client) == [cases["alpha"].number]
    assert set(numbers(client, "?state=all")) == {cases["alpha"].number, cases["beta"].number}
    assert numbers(client, "?state=closed") == [cases["beta"].number]


def test_it_filters_by_date_received_channel_and_collective(client, people):
    today = timezone.localdate()
    old = file_case(employer="旧公司", received_on=today - dt.timedelta(days=30))
    new = file_case(employer="新公司", received_on=today - dt.timedelta(days=2))
    Case.objects.filter(pk=old.pk).update(channel="walk_in", is_collective=True)
    client.force_login(people["inspector"])

    since = (today - dt.timedelta(days=10)).isoformat()
    until = (today - dt.timedelta(days=30)).isoformat()
    assert numbers(client, f"?received_from={since}") == [new.number]
    assert numbers(client, f"?received_to={until}") == [old.number]
    assert numbers(client, f"?received_from={until}&received_to={until}") == [old.number]
    assert numbers(client, "?channel=walk_in") == [old.number]
    assert numbers(client, "?collective=1") == [old.number]


def test_it_says_which_date_it_could_not_read_and_still_answers(client, people, cases):
    client.force_login(people["inspector"])

    response = client.get("/workbench/?received_from=2026-13-45")

    assert response.status_code == 200
    assert DATE_INVALID in response.content.decode()
    assert len(response.context["rows"]) == 2


def test_it_fills_the_phone_index_of_existing_workers(people, cases):
    """The data migration 0009 gives every stored worker a phone index."""
    from importlib import import_module

    Person.objects.update(phone_index="")
    migration = import_module("cases.migrations.0017_person_phone_index")
    # The models as that migration sees them (Person has since moved to core).
    state = MigrationLoader(connection).project_state(("cases", "0017_person_phone_index"))

    migration.index_existing_phones(state.apps, None)

    assert Person.objects.with_phone("13800130002").count() == 1
    assert Person.objects.filter(phone_index="").count() == 0


def test_a_short_name_finds_the_worker_with_exactly_that_name(client, people):
    client.force_login(people["inspector"])
    short = file_case(employer="丁公司", claimants=[claimant(3)])
    Person.objects.filter(id_number_index=short.claims.get().person.id_number_index).update(
        name="王伟"
    )
    longer = file_case(employer="戊公司", claimants=[claimant(4)])
    Person.objects.filter(id_number_index=longer.claims.get().person.id_number_index).update(
        name="王伟华"
    )

    # Two characters have no trigram to look up: the whole name, as typed.
    assert numbers(client, "?q=王伟") == [short.number]
    # Three or more: any part of the name.
    assert numbers(client, "?q=王伟华") == [longer.number]
    assert numbers(client, "?q=伟华") == []


def test_a_case_number_is_found_from_its_beginning(client, people, cases):
    client.force_login(people["inspector"])
    number = cases["alpha"].number  # XF-2026-000001

    assert cases["alpha"].number in numbers(client, f"?q={number[:8]}&state=all")
    assert numbers(client, f"?q={number.lower()}") == [number]
    # Not from the middle: every number shares runs of zeros (cases.search).
    assert numbers(client, f"?q={number[-5:]}") == []


def test_the_search_uses_the_indexes_on_postgresql(people, cases):
    if connection.vendor != "postgresql":
        pytest.skip("the trigram indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN ('case_number_prefix_idx',"
            " 'case_project_trgm_idx', 'employer_name_trgm_idx', 'person_name_trgm_idx',"
            " 'person_name_id_idx', 'claim_person_case_idx')"
        )
        assert len(cursor.fetchall()) == 6
