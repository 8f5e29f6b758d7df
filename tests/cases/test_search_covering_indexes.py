"""The search by a worker's name reads the workers of the name and their cases from two
covering indexes (migration cases/0026), and that migration applies and reverts on
PostgreSQL (built CONCURRENTLY) and SQLite alike."""

import pytest
from django.db import connection

from cases import search
from core.models import Person
from tests.factories import claimant, file_case
from tests.migration_support import indexes, migrate, plan

BEFORE = ("cases", "0025_event_payment_day_index")
AFTER = ("cases", "0026_search_covering_indexes")


@pytest.mark.django_db
def test_a_names_lookup_reads_the_indexes_alone(people):
    if connection.vendor != "postgresql":
        pytest.skip("index-only scans are PostgreSQL's")
    case = file_case(claimants=[claimant(0)])
    Person.objects.filter(claims__case=case).update(name="王伟")
    (lookup,) = search._lookups("王伟", claimants=True)
    read = plan(*lookup.query.sql_with_params())

    assert "Index Only Scan using person_name_id_idx on cases_person" in read, read
    assert "Index Only Scan using claim_person_case_idx on cases_claim" in read, read
    assert list(lookup) == [case.pk]


@pytest.mark.django_db(transaction=True)
def test_the_covering_indexes_migration_applies_both_ways(migrated_back_to_the_latest):
    claim_by_person = "claim_person_case_idx"

    migrate(BEFORE)
    before = indexes("cases_claim")
    fk_indexes = [name for name, columns in before.items() if columns == ["person_id"]]
    assert claim_by_person not in before and len(fk_indexes) == 1
    if connection.vendor == "postgresql":
        assert "person_name_idx" in indexes("cases_person")

    migrate(AFTER)
    after = indexes("cases_claim")
    assert fk_indexes[0] not in after
    if connection.vendor == "postgresql":
        assert after[claim_by_person] == ["person_id", "case_id"]
        people = indexes("cases_person")
        assert people["person_name_id_idx"] == ["name", "id"]
        assert "person_name_idx" not in people
    else:  # SQLite has no INCLUDE: the worker's id alone
        assert after[claim_by_person] == ["person_id"]

    migrate(BEFORE)
    assert indexes("cases_claim") == before

    migrate(AFTER)
    assert indexes("cases_claim") == after
