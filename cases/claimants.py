"""The claimants of a complaint as the filing receives them (ClaimantInput), and how
they become Person rows and claims on a case.

Split out of cases.filing so that both a new case (cases.filing.complaint_file) and
a duplicate joining an open one (cases.duplicates.claimants_join) use one path for
finding or creating the workers and adding their claims.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

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
    """The claimants' people, in the claimants' order (each with its id and blind index,
    what their claims need), and the pending phones.

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
    stored = _people_upsert(
        [Person(name=c.name, id_number=c.id_number, phone=c.phone) for _, c in ordered if c.phone],
        trusted=trusted,
    )
    found = {index: Person(pk=pk, id_number_index=index) for index, (pk, _) in stored.items()}
    pending = {}
    if not trusted:
        for index, (_pk, phone_index) in stored.items():
            given = by_index[index].phone
            if phone_index != pii.blind_index(given):
                pending[index] = given
    for index, claimant in ordered:
        if index not in found:  # no phone given
            found[index], _ = Person.objects.get_or_create(
                id_number_index=index,
                defaults={"name": claimant.name, "id_number": claimant.id_number},
            )
    return [found[index] for index in indexes], pending


UPSERT_BATCH = 1000


def _people_upsert(people: list[Person], *, trusted: bool) -> dict[str, tuple[int, str]]:
    """Insert these people or find them by their ID number's blind index, in one
    statement that also answers, for each, {blind index: (id, stored phone's blind
    index)}. A trusted filing stores the given phone; an untrusted one changes nothing
    (a no-op update, so that the row is still locked and returned).

    Written out rather than bulk_create(update_conflicts=True) followed by a read of the
    stored rows: the read was one more query per anonymous filing, and both together
    were about a tenth of a filing's CPU (docs/performance.md). The values go through
    each field's pre_save and get_db_prep_save, as bulk_create's do (the blind indexes
    computed, ID number and phone encrypted)."""
    fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    update = ["phone", "phone_index"] if trusted else ["id_number_index"]
    stored = {}
    # In batches, within SQLite's limit on a statement's parameters (a staff-entered
    # collective case may name thousands of workers); in the same blind-index order.
    for start in range(0, len(people), UPSERT_BATCH):
        batch = people[start : start + UPSERT_BATCH]
        params = []
        for person in batch:
            params += [f.get_db_prep_save(f.pre_save(person, True), connection) for f in fields]
        sql = (
            f"INSERT INTO {quote(Person._meta.db_table)}"
            f" ({', '.join(quote(f.column) for f in fields)})"
            f" VALUES {', '.join([row] * len(batch))}"
            f" ON CONFLICT ({quote('id_number_index')}) DO UPDATE SET "
            + ", ".join(f"{quote(column)} = EXCLUDED.{quote(column)}" for column in update)
            + f" RETURNING {quote('id')}, {quote('id_number_index')}, {quote('phone_index')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            stored.update({index: (pk, phone) for pk, index, phone in cursor.fetchall()})
    return stored


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
