"""The claimants' workers are found or created in one statement per batch
(cases.claimants._people_upsert): each gets its own person, an existing one keeps its
stored phone on an anonymous filing (the given one pending), and a staff filing stores it."""

from decimal import Decimal
from unittest import mock

import pytest

from cases import claimants
from cases.claimants import ClaimantInput
from core.models import Person
from tests.factories import VALID_IDS

pytestmark = pytest.mark.django_db


def claimant(n: int, phone: str) -> ClaimantInput:
    return ClaimantInput(
        name=f"工人{n}", id_number=VALID_IDS[n], phone=phone, amount_claimed=Decimal("100")
    )


def test_workers_in_several_batches_each_get_their_person():
    Person.objects.create(name="工人1", id_number=VALID_IDS[1], phone="13900000001")
    given = [claimant(n, f"1380000000{n}") for n in range(5)]
    with mock.patch.object(claimants, "UPSERT_BATCH", 2):
        people, pending = claimants._people_for(given, trusted=False)
    assert len({p.pk for p in people}) == 5
    assert Person.objects.count() == 5
    for person, worker in zip(people, given, strict=True):
        assert Person.objects.get(pk=person.pk).id_number == worker.id_number
    # The one already stored keeps its phone; the given one waits on the claim.
    assert Person.objects.with_id_number(VALID_IDS[1]).get().phone == "13900000001"
    assert list(pending.values()) == ["13800000001"]


def test_a_staff_filing_stores_the_given_phone():
    Person.objects.create(name="工人1", id_number=VALID_IDS[1], phone="13900000001")
    people, pending = claimants._people_for([claimant(1, "13800000001")], trusted=True)
    assert pending == {}
    stored = Person.objects.get(pk=people[0].pk)
    assert (stored.phone, stored.phone_index) == (
        "13800000001",
        Person.objects.with_phone("13800000001").get().phone_index,
    )
