"""The screen's 1+3+1 figures from the rows come from one pass over the items
(employment.service_counts, the reference of the screen's tallies) and must be the figures
counted item by item; the overdue scan's full reconcile compares in the database and must
still see who caught up without the ledger's signal."""

import datetime as dt

import pytest
from django.utils import timezone

from employment import screen_tally, selectors
from employment.models import ServiceItem
from notifications import ledger_alerts
from notifications.models import Alert
from tests.employment import support

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger():
    county = support.county()
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=45)
    east = support.village("东村")
    south = support.village("南村", township="zhaokang")
    late = support.entry(county, 0, east, entered_on=long_ago)  # 5 overdue
    done = support.entry(county, 1, east, entered_on=long_ago)  # all done
    ServiceItem.objects.filter(entry=done).update(done_on=today)
    half = support.entry(county, 2, south, entered_on=long_ago)  # 2 done, 3 overdue
    first_two = ServiceItem.objects.filter(entry=half).order_by("id")[:2]
    ServiceItem.objects.filter(pk__in=[i.pk for i in first_two]).update(done_on=today)
    fresh = support.entry(county, 3, south)  # 5 open, not due yet
    return {"today": today, "late": late, "done": done, "half": half, "fresh": fresh}


def test_the_county_figures_are_the_ones_counted_item_by_item(ledger):
    figures = selectors.screen_summary_rows(ledger["today"])
    expected = selectors.services_summary(None, today=ledger["today"])
    assert figures["services"] == {
        key: (float(value) if key == "completion" else value) for key, value in expected.items()
    }
    assert figures["services"]["items_total"] == 20
    assert figures["services"]["items_done"] == 7
    assert figures["services"]["items_overdue"] == 8
    assert figures["services"]["people_overdue"] == 2
    assert figures["services"]["people_owed"] == 4
    assert figures["services"]["people_complete"] == 1
    # The items were done past the services (queryset updates): the tallies need a
    # rebuild, after which the screen's figures are these.
    screen_tally.rebuild()
    assert selectors._screen_summary(ledger["today"]) == figures


def test_each_township_has_its_own_items(ledger):
    rows = {r["code"]: r for r in selectors.screen_summary_rows(ledger["today"])["by_township"]}
    assert (rows["xincheng"]["services_total"], rows["xincheng"]["services_done"]) == (10, 5)
    assert rows["xincheng"]["services_overdue"] == 5
    assert (rows["zhaokang"]["services_total"], rows["zhaokang"]["services_done"]) == (10, 2)
    assert rows["zhaokang"]["services_overdue"] == 3
    assert rows["nanjia"]["services_total"] == 0


def test_the_reconcile_resolves_who_caught_up_without_the_signal(ledger):
    raised = ledger_alerts.service_overdue_scan()
    alerts = Alert.objects.filter(pk__in=raised)
    assert {a.ledger_entry_id for a in alerts} == {ledger["late"].pk, ledger["half"].pk}
    # Done behind the services' back (no ledger_changed signal): the minute's run reads
    # only what fell due or was created, so the full reconcile (nightly, or hourly) sees it.
    ServiceItem.objects.filter(entry=ledger["half"]).update(done_on=ledger["today"])
    assert ledger_alerts.service_overdue_scan() == []
    assert Alert.objects.get(ledger_entry=ledger["half"]).status == Alert.Status.OPEN
    assert ledger_alerts.service_overdue_scan(full=True) == []
    assert Alert.objects.get(ledger_entry=ledger["half"]).status == Alert.Status.RESOLVED
    assert Alert.objects.get(ledger_entry=ledger["late"]).status == Alert.Status.OPEN
    # An item overdue again (reopened) raises a new alert for that person only, at the
    # hourly reconcile at the latest.
    ServiceItem.objects.filter(entry=ledger["half"]).update(done_on=None)
    an_hour_later = timezone.now() + ledger_alerts.FULL_RECONCILE_EVERY
    again = Alert.objects.filter(pk__in=ledger_alerts.service_overdue_scan(now=an_hour_later))
    assert [a.ledger_entry_id for a in again] == [ledger["half"].pk]
