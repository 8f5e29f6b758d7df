"""The daily scan moves entries whose three years have passed to "expired" and clears
the employer's read model."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from enforcement import services, tasks
from enforcement.models import BlacklistEvent, EntryState
from tests.enforcement.support import listed

pytestmark = pytest.mark.django_db


def test_the_scan_expires_an_entry_after_its_last_day(people):
    entry = listed(people)
    assert services.blacklist_expire_due(today=entry.listed_until) == 0
    assert services.blacklist_expire_due(today=entry.listed_until + dt.timedelta(days=1)) == 1
    entry.refresh_from_db()
    assert entry.state == EntryState.EXPIRED
    assert entry.ended_on == entry.listed_until + dt.timedelta(days=1)
    entry.employer.refresh_from_db()
    assert entry.employer.blacklisted_until is None
    event = BlacklistEvent.objects.get(entry=entry, action="expire")
    assert (event.actor, event.actor_label, event.to_state) == (None, "系统", "expired")


def test_the_command_does_the_same(people):
    entry = listed(people)
    out = io.StringIO()
    day = entry.listed_until + dt.timedelta(days=1)
    call_command("blacklist_expire", today=day.isoformat(), stdout=out)
    assert "期满移出 1 条" in out.getvalue()
    entry.refresh_from_db()
    assert entry.state == EntryState.EXPIRED


def test_the_beat_task_runs_the_scan_for_today(people, monkeypatch):
    entry = listed(people)
    monkeypatch.setattr(services, "_today", lambda: entry.listed_until + dt.timedelta(days=2))
    assert tasks.blacklist_expire.delay().get() == 1


def test_another_listing_of_the_employer_keeps_it_on_the_list(people):
    from tests.enforcement.support import AFTER, ordered_case
    from tests.factories import claimant

    first = listed(people)
    other_worker = [claimant(1, amount="9000.00", months=4)]
    second_case = ordered_case(people, employer=first.employer.name, claimants=other_worker)
    assert second_case.employer_id == first.employer_id
    second = listed(people, case=second_case, today=AFTER + dt.timedelta(days=100))
    services.blacklist_expire_due(today=first.listed_until + dt.timedelta(days=1))
    first.employer.refresh_from_db()
    assert first.employer.blacklisted_until == second.listed_until
