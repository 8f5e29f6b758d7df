import datetime as dt

import pytest

from employment import errors, services
from employment.models import LedgerEvent, Mode, ServiceItem, Status
from tests.employment import support

pytestmark = pytest.mark.django_db


def test_it_keeps_every_status_change_as_an_event():
    county = support.county()
    village = support.village()
    entry = support.entry(county, 0, village, entered_on=dt.date.today() - dt.timedelta(days=5))
    services.ledger_status_change(
        actor=county,
        entry_id=entry.pk,
        status=Status.EMPLOYED,
        mode=Mode.FLEXIBLE,
        employed_on=dt.date.today() - dt.timedelta(days=1),
    )
    services.ledger_status_change(actor=county, entry_id=entry.pk, status=Status.UNEMPLOYED)
    kinds = list(entry.events.values_list("kind", "status"))
    assert kinds == [
        (LedgerEvent.Kind.ENTERED, Status.UNEMPLOYED),
        (LedgerEvent.Kind.STATUS, Status.EMPLOYED),
        (LedgerEvent.Kind.STATUS, Status.UNEMPLOYED),
    ]
    assert entry.services.count() == 5
    assert set(entry.services.values_list("due_on", flat=True)) == {
        entry.entered_on + dt.timedelta(days=30)
    }


def test_it_refuses_employed_without_how():
    county = support.county()
    entry = support.entry(county, 0, support.village())
    with pytest.raises(errors.InvalidInput) as caught:
        services.ledger_status_change(actor=county, entry_id=entry.pk, status=Status.EMPLOYED)
    assert caught.value.errors["mode"] == [errors.EMPLOYED_NEEDS_MODE]
    assert caught.value.errors["employed_on"] == [errors.EMPLOYED_NEEDS_DATE]


def test_it_finds_the_same_person_as_the_cases():
    from tests.factories import file_case

    case = file_case()
    person = case.claims.get().person
    county = support.county()
    entry = support.entry(county, 0, support.village())
    assert entry.person_id == person.pk


def test_it_refuses_a_second_entry_for_one_person():
    county = support.county()
    support.entry(county, 0, support.village())
    with pytest.raises(errors.Conflict):
        support.entry(county, 0, support.village("西村"))


def test_it_owes_nothing_to_who_wants_neither_work_nor_training():
    county = support.county()
    entry = support.entry(county, 0, support.village(), wants_work=False)
    assert not ServiceItem.objects.filter(entry=entry).exists()
