"""The supervisor decides a proposal: approves it naming the responsible persons, or
rejects it with a reason; the proposer never decides (four eyes)."""

import datetime as dt

import pytest

from enforcement import errors, services
from enforcement.models import BlacklistEvent, EntryState, ResponsiblePerson
from tests.enforcement.support import AFTER, RESPONSIBLE, also_in, proposed

pytestmark = pytest.mark.django_db


def decide(people, entry, who="supervisor", **kwargs):
    kwargs.setdefault("approve", True)
    kwargs.setdefault("responsible_persons", [RESPONSIBLE])
    return services.blacklist_decide(entry_id=entry.pk, actor=people[who], today=AFTER, **kwargs)


def test_it_lists_for_three_years_and_the_employer_reads_it(people):
    entry = decide(people, proposed(people), note="同意")
    assert entry.state == EntryState.LISTED
    assert entry.listed_from == AFTER
    assert entry.listed_until == dt.date(2029, 3, 31)  # three years, the last day included
    entry.employer.refresh_from_db()
    assert entry.employer.blacklisted_until == entry.listed_until
    assert entry.employer.is_blacklisted(AFTER)
    person = ResponsiblePerson.objects.get(entry=entry)
    assert (person.name, person.get_role_display()) == ("李建国", "法定代表人")
    assert person.id_number == RESPONSIBLE["id_number"]  # kept encrypted (core.pii)
    assert [e.action for e in BlacklistEvent.objects.filter(entry=entry)] == ["propose", "list"]


def test_the_id_number_of_a_responsible_person_is_encrypted_at_rest(people):
    from django.db import connection

    decide(people, proposed(people))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM enforcement_responsibleperson")
        stored = cursor.fetchone()[0]
    assert RESPONSIBLE["id_number"] not in stored


def test_approval_needs_at_least_one_responsible_person(people):
    entry = proposed(people)
    with pytest.raises(errors.InvalidInput, match=errors.PERSONS_REQUIRED):
        decide(people, entry, responsible_persons=[])
    with pytest.raises(errors.InvalidInput) as bad:
        decide(people, entry, responsible_persons=[{"name": "", "role": "boss", "id_number": "1"}])
    problems = bad.value.errors["responsible_persons"]["0"]
    assert errors.PERSON_NAME_REQUIRED in problems and errors.PERSON_ROLE_INVALID in problems
    entry.refresh_from_db()
    assert entry.state == EntryState.PROPOSED


def test_a_rejection_needs_a_reason_and_lists_nobody(people):
    entry = proposed(people)
    with pytest.raises(errors.InvalidInput, match=errors.REJECT_REASON_REQUIRED):
        decide(people, entry, approve=False)
    entry = decide(people, entry, approve=False, note="证据不足")
    assert entry.state == EntryState.REJECTED
    entry.employer.refresh_from_db()
    assert entry.employer.blacklisted_until is None


def test_the_proposer_cannot_decide_even_as_a_supervisor(people):
    also_in(people["inspector"], "supervisor")
    entry = proposed(people)
    with pytest.raises(errors.Forbidden, match=errors.FOUR_EYES):
        decide(people, entry, who="inspector")


def test_only_a_supervisor_decides_and_only_once(people):
    entry = proposed(people)
    with pytest.raises(errors.Forbidden, match=errors.DECIDE_ROLE):
        decide(people, entry, who="inspector_b")
    decide(people, entry)
    with pytest.raises(errors.Conflict):
        decide(people, entry, who="supervisor_b")
