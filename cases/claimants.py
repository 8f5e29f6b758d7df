"""The claimants of a complaint as the filing receives them (ClaimantInput), and how
they become Person rows and claims on a case.

Split out of cases.filing so that both a new case (cases.filing.complaint_file) and
a duplicate joining an open one (cases.duplicates.claimants_join) use one path for
finding or creating the workers and adding their claims.
"""

from dataclasses import dataclass
from decimal import Decimal

from cases.models import Case, Claim
from core import pii
from core.models import Person


@dataclass
class ClaimantInput:
    name: str
    id_number: str
    phone: str
    amount_claimed: Decimal
    months_owed: int | None = None
    is_representative: bool = False


def _people_for(
    claimants: list[ClaimantInput], *, trusted: bool = True
) -> tuple[list[Person], dict[str, str]]:
    """The claimants' Person rows, in the claimants' order, and the pending phones.

    Found or created in one statement (an upsert on the blind index). A trusted filing
    (staff) also stores each worker's latest phone, the number they can be reached at
    now. An untrusted one never changes a stored person: a phone that differs from the
    stored one is returned as pending ({blind index: phone}) for the claim to keep
    until staff have checked it.

    The rows are written in one fixed order (by blind index), so two filings that name
    the same workers in different orders lock them in the same order and cannot
    deadlock. A claimant without a phone (only staff tools leave it out; every form and
    the API require one) keeps the stored phone; those few are found or created after
    the upsert, outside that order.
    """
    indexes = [pii.blind_index(c.id_number) for c in claimants]
    by_index = {}
    for index, claimant in zip(indexes, claimants, strict=True):
        by_index.setdefault(index, claimant)  # a worker named twice is one person
    ordered = sorted(by_index.items())
    people = Person.objects.bulk_create(
        [Person(name=c.name, id_number=c.id_number, phone=c.phone) for _, c in ordered if c.phone],
        update_conflicts=True,
        unique_fields=["id_number_index"],
        # Untrusted: a no-op update, so the row is still locked and returned.
        update_fields=["phone", "phone_index"] if trusted else ["id_number_index"],
    )
    found = {person.id_number_index: person for person in people}
    pending = {}
    if not trusted and found:
        stored = _people_by_id([p.pk for p in people])
        for person in people:
            found[person.id_number_index] = stored[person.pk]
            given = by_index[person.id_number_index].phone
            if stored[person.pk].phone != given:
                pending[person.id_number_index] = given
    for index, claimant in ordered:
        if index not in found:  # no phone given
            found[index], _ = Person.objects.get_or_create(
                id_number_index=index,
                defaults={"name": claimant.name, "id_number": claimant.id_number},
            )
    return [found[index] for index in indexes], pending


def _people_by_id(ids: list[int]) -> dict[int, Person]:
    """The stored rows of these people, {id: Person}: in_bulk's answer, written out
    because every anonymous filing reads them and the ORM's query building cost more
    CPU than the read (docs/performance.md)."""
    placeholders = ", ".join(["%s"] * len(ids))
    sql = f"SELECT * FROM {Person._meta.db_table} WHERE id IN ({placeholders})"
    return {person.pk: person for person in Person.objects.raw(sql, ids)}


def _claims_add(
    case: Case,
    claimants: list[ClaimantInput],
    people: list[Person],
    pending_phones: dict[str, str] | None = None,
) -> None:
    pending_phones = pending_phones or {}
    Claim.objects.bulk_create(
        [
            Claim(
                case=case,
                person=person,
                amount_claimed=c.amount_claimed,
                months_owed=c.months_owed,
                is_representative=c.is_representative,
                pending_phone=pending_phones.get(person.id_number_index, ""),
            )
            for c, person in zip(claimants, people, strict=True)
        ]
    )
