"""The minute's 1+3+1 overdue scan looks only at what changed since its last run (items
that fell due since then, people entered since then) and must end with the alerts the
full comparison would leave: one open alert for each overdue person, none for others."""

import datetime as dt
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from employment import services
from employment.models import ServiceItem
from notifications import ledger_alerts
from notifications.models import Alert
from tests.employment import support

pytestmark = pytest.mark.django_db


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def reconciled_at(moment: dt.datetime) -> None:
    """As if the last full reconcile ran at that moment (so the next run, within the
    hour, takes the minute's path)."""
    mark = cache.get(ledger_alerts.mark_key())
    cache.set(ledger_alerts.mark_key(), {**mark, "full_at": moment})


def open_alert_entries() -> set[int]:
    alerts = Alert.objects.filter(reason=ledger_alerts.REASON, status=Alert.Status.OPEN)
    return set(alerts.values_list("ledger_entry_id", flat=True))


def overdue_entries(day: dt.date) -> set[int]:
    items = ServiceItem.objects.filter(done_on__isnull=True, due_on__lt=day)
    return set(items.values_list("entry_id", flat=True))


def test_an_item_falling_due_raises_at_the_first_run_of_the_day():
    county = support.county()
    today = timezone.localdate()
    entry = support.entry(county, 0, support.village())
    due = ServiceItem.objects.filter(entry=entry).order_by("due_on").first().due_on
    assert ledger_alerts.service_overdue_scan(now=at(today)) == []
    # Its last day: still nothing.
    reconciled_at(at(due, 8, 30))
    assert ledger_alerts.service_overdue_scan(now=at(due)) == []
    day_after = due + dt.timedelta(days=1)
    reconciled_at(at(day_after, 8, 30))
    with mock.patch.object(ledger_alerts, "_compare_everyone") as compare_everyone:
        raised = ledger_alerts.service_overdue_scan(now=at(day_after, 9))
    compare_everyone.assert_not_called()
    assert [a.ledger_entry_id for a in Alert.objects.filter(pk__in=raised)] == [entry.pk]


def test_a_person_entered_back_dated_raises_at_the_next_minute():
    county = support.county()
    village = support.village()
    support.entry(county, 0, village)  # not due yet
    assert ledger_alerts.service_overdue_scan() == []
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    late = support.entry(county, 1, village, entered_on=long_ago)
    with mock.patch.object(ledger_alerts, "_compare_everyone") as compare_everyone:
        raised = ledger_alerts.service_overdue_scan()
    compare_everyone.assert_not_called()
    assert [a.ledger_entry_id for a in Alert.objects.filter(pk__in=raised)] == [late.pk]
    assert ledger_alerts.service_overdue_scan() == []  # not raised twice


def test_a_lost_mark_compares_everyone():
    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    late = support.entry(county, 0, support.village(), entered_on=long_ago)
    ledger_alerts.service_overdue_scan()
    Alert.objects.all().delete()  # say, restored from a copy taken before the alert
    cache.delete(ledger_alerts.mark_key())
    raised = ledger_alerts.service_overdue_scan()
    assert [a.ledger_entry_id for a in Alert.objects.filter(pk__in=raised)] == [late.pk]


def test_a_cache_that_is_down_compares_everyone():
    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    late = support.entry(county, 0, support.village(), entered_on=long_ago)
    with mock.patch.object(ledger_alerts.cache, "get", side_effect=ConnectionError):
        with mock.patch.object(ledger_alerts.cache, "set", side_effect=ConnectionError):
            raised = ledger_alerts.service_overdue_scan()
    assert [a.ledger_entry_id for a in Alert.objects.filter(pk__in=raised)] == [late.pk]


@pytest.mark.parametrize("signals", ["told", "lost"])
def test_day_by_day_the_minute_runs_leave_what_the_full_comparison_would(
    django_capture_on_commit_callbacks, signals
):
    """Ninety days of a ledger: people entered (some back-dated), items done through the
    services, the scan every day at 9:00 on the minute's path; every evening the open
    alerts are exactly the overdue people. With the ledger's signals lost, the minute's
    run alone still alerts everyone overdue (it reads the new items), and the hour's full
    reconcile then resolves the ones caught up."""
    told = signals == "told"
    county = support.county()
    villages = [support.village("东村"), support.village("西村", township="zhaokang")]
    start = timezone.localdate() - dt.timedelta(days=90)
    entered = []
    for day_number in range(90):
        day = start + dt.timedelta(days=day_number)
        with mock.patch.object(timezone, "localdate", return_value=day):
            if day_number % 9 == 0 and len(entered) < 9:
                index = len(entered)
                back = 40 if index % 3 == 0 else 0  # every third one entered back-dated
                with django_capture_on_commit_callbacks(execute=told):
                    entered.append(
                        support.entry(
                            county,
                            index,
                            villages[index % 2],
                            entered_on=day - dt.timedelta(days=back),
                        )
                    )
            if day_number % 7 == 3 and entered:
                person = entered[day_number % len(entered)]
                item = ServiceItem.objects.filter(
                    entry=person, done_on__isnull=True, kind="guidance"
                ).first()
                if item:
                    with django_capture_on_commit_callbacks(execute=told):
                        services.service_item_complete(actor=county, item_id=item.pk)
        if day_number == 0:
            ledger_alerts.service_overdue_scan(now=at(day), full=True)
        else:
            reconciled_at(at(day, 8, 30))  # within the hour: the minute's path
            with mock.patch.object(ledger_alerts, "_compare_everyone") as compare_everyone:
                with mock.patch.object(timezone, "localdate", return_value=day):
                    with django_capture_on_commit_callbacks(execute=True):
                        ledger_alerts.service_overdue_scan(now=at(day))
            compare_everyone.assert_not_called()
        if told:
            assert open_alert_entries() == overdue_entries(day), day
        else:
            assert overdue_entries(day) <= open_alert_entries(), day
    assert open_alert_entries()  # the ledger did have overdue people at the end
    an_hour_later = at(day, 8, 30) + ledger_alerts.FULL_RECONCILE_EVERY
    with mock.patch.object(timezone, "localdate", return_value=day):
        ledger_alerts.service_overdue_scan(now=an_hour_later)
    assert open_alert_entries() == overdue_entries(day)


def test_a_person_entered_already_overdue_is_alerted_at_once(django_capture_on_commit_callbacks):
    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    with django_capture_on_commit_callbacks(execute=True):
        late = support.entry(county, 0, support.village(), entered_on=long_ago)
    alert = Alert.objects.get(ledger_entry=late, status=Alert.Status.OPEN)
    assert alert.reason == ledger_alerts.REASON
    assert ledger_alerts.service_overdue_scan() == []  # the scan finds nothing more to do


def test_a_scan_racing_a_ledger_change_keeps_nothing_and_compares_again():
    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    ledger_alerts.service_overdue_scan()  # the mark
    late = support.entry(county, 0, support.village(), entered_on=long_ago)
    mark = cache.get(ledger_alerts.mark_key())
    # The ledger change's check raises the alert between the scan's comparison and its
    # insert: the scan's insert then breaks the one-open-alert rule.
    real_compare = ledger_alerts._compare_entries

    with mock.patch.object(ledger_alerts, "_compare_entries") as compare:

        def compare_then_raced(entry_ids, today):
            found = real_compare(entry_ids, today)
            compare.side_effect = real_compare  # the ledger change's own check, once
            ledger_alerts.service_overdue_check(entry_ids=[late.pk])
            return found

        compare.side_effect = compare_then_raced
        assert ledger_alerts.service_overdue_scan() == []
    assert cache.get(ledger_alerts.mark_key()) == mark  # not moved: the same changes again
    assert Alert.objects.filter(ledger_entry=late, status=Alert.Status.OPEN).count() == 1
    assert ledger_alerts.service_overdue_scan() == []  # compared again: nothing to raise


@pytest.mark.parametrize(
    "mark",
    [
        {"day": "yesterday"},  # malformed
        {"day": None, "newest_item": 0, "full_at": None},
        "ahead of the items",  # a mark of a database restored from an older copy
    ],
)
def test_a_mark_it_cannot_trust_compares_everyone(mark):
    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    ledger_alerts.service_overdue_scan()
    late = support.entry(county, 0, support.village(), entered_on=long_ago)
    if mark == "ahead of the items":
        good = cache.get(ledger_alerts.mark_key())
        mark = {**good, "newest_item": good["newest_item"] + 1000}
    cache.set(ledger_alerts.mark_key(), mark)
    raised = ledger_alerts.service_overdue_scan()
    assert [a.ledger_entry_id for a in Alert.objects.filter(pk__in=raised)] == [late.pk]


def test_another_integrity_error_is_not_taken_for_a_race():
    from django.db import IntegrityError

    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=60)
    support.entry(county, 0, support.village(), entered_on=long_ago)
    broken = IntegrityError("insert or update violates foreign key constraint")
    with mock.patch.object(ledger_alerts, "_raise", side_effect=broken):
        with pytest.raises(IntegrityError):
            ledger_alerts.service_overdue_scan()
