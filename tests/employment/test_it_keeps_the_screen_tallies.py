"""The screen's employment figures come from per-township tallies kept by the services
(employment.screen_tally); they must equal the figures recomputed from the rows
(selectors.screen_summary_rows), today and on later days without any write between."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from employment import referrals, screen_tally, selectors, services
from employment.models import Category, ScreenTally, ServiceItem, Status
from tests.employment import support

pytestmark = pytest.mark.django_db


def _same(today: dt.date) -> dict:
    from_tallies = selectors._screen_summary(today)
    assert from_tallies == selectors.screen_summary_rows(today)
    return from_tallies


def _ledger(county, today):
    east = support.village()
    north = support.village("北村", township="zhaokang")
    coke = support.plant(county)
    iron = support.plant(
        county, name="襄汾县示例铁厂", uscc="91141023MA0L2X6E46", township="zhaokang"
    )
    long_ago = today - dt.timedelta(days=400)  # last year's entries: items long overdue
    entries = [
        support.entry(county, 0, east, plant=coke, entered_on=long_ago),
        support.entry(county, 1, east, plant=coke),
        support.entry(county, 2, north, plant=iron, entered_on=today - dt.timedelta(days=20)),
        support.entry(county, 3, north, category=Category.RURAL_TRANSFER, entered_on=long_ago),
        support.entry(county, 4, east, category=Category.GRADUATE),
        support.entry(county, 5, north, category=Category.URBAN_UNEMPLOYED, entered_on=long_ago),
    ]
    employed = {"status": Status.EMPLOYED, "mode": "flexible"}
    # Back-dated: employed last year (counts in last year, not this one), then again today.
    services.ledger_status_change(
        actor=county,
        entry_id=entries[0].pk,
        employed_on=long_ago + dt.timedelta(days=5),
        **employed,
    )
    services.ledger_status_change(actor=county, entry_id=entries[0].pk, status=Status.UNEMPLOYED)
    services.ledger_status_change(
        actor=county, entry_id=entries[0].pk, employed_on=today, **employed
    )
    # Back-dated into this year (or the last days of the last, early in January).
    services.ledger_status_change(
        actor=county,
        entry_id=entries[3].pk,
        employed_on=today - dt.timedelta(days=10),
        **employed,
    )
    services.ledger_status_change(
        actor=county, entry_id=entries[5].pk, employed_on=today - dt.timedelta(days=2), **employed
    )
    services.ledger_status_change(actor=county, entry_id=entries[5].pk, status=Status.LEFT)
    for entry in entries[:3]:
        item = ServiceItem.objects.get(entry=entry, kind="guidance")
        services.service_item_complete(actor=county, item_id=item.pk)
    training = ServiceItem.objects.get(entry=entries[0], kind="training")
    services.service_item_complete(actor=county, item_id=training.pk)
    posting = support.posting(iron.employer)
    referral = referrals.referral_record(
        actor=county, entry_id=entries[2].pk, posting_id=posting.pk
    )
    referrals.referral_outcome_set(actor=county, referral_id=referral.pk, outcome="hired")
    # Moved to a village of another township: its figures move with it.
    services.ledger_entry_edit(actor=county, entry_id=entries[4].pk, village=north)
    return entries


def test_the_tallied_figures_equal_the_rows_today_and_later(monkeypatch):
    county = support.county()
    today = timezone.localdate()
    support.target(today.year)
    _ledger(county, today)
    figures = _same(today)
    # Not empty: what the test compares.
    assert figures["reemployment"] == {"laid_off": 3, "reemployed": 2, "rate": 66.7}
    assert figures["rural_transfer"] == 1
    assert figures["services"]["items_overdue"] > 0
    assert figures["services"]["people_overdue"] >= 3
    assert ScreenTally.objects.count() < 100
    # Days later, nothing written in between: more items fall due, the year may turn.
    for later in (30, 45, 120, 400):
        day = today + dt.timedelta(days=later)
        monkeypatch.setattr(timezone, "localdate", lambda *args, day=day: day)
        _same(day)
    monkeypatch.undo()
    # The items of the entries entered today fall due in 30 days (the default rule).
    assert _same(today)["services"]["items_overdue"] == figures["services"]["items_overdue"]


def test_a_rebuild_gives_the_same_tallies_and_the_command_checks_them():
    county = support.county()
    today = timezone.localdate()
    _ledger(county, today)
    before = screen_tally.sums(today)
    screen_tally.rebuild()
    after = screen_tally.sums(today)
    for was, now in zip(before, after, strict=True):
        assert {k: v for k, v in now.items() if v} == {k: v for k, v in was.items() if v}
    call_command("employment_tally_rebuild", "--check")
    # A tally drifted (a write past the services): --check says so, a rebuild mends it.
    ScreenTally.objects.filter(figure="items").update(n=0)
    with pytest.raises(Exception, match="不一致"):
        call_command("employment_tally_rebuild", "--check")
    call_command("employment_tally_rebuild")
    _same(today)
