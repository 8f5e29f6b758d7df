import datetime as dt

import pytest
from django.utils import timezone

from employment import referrals, services
from employment.models import ServiceItem
from notifications import audience, ledger_alerts, push
from notifications.models import Alert
from tests.employment import support

pytestmark = pytest.mark.django_db


@pytest.fixture
def overdue():
    county = support.county()
    east, west = support.village("东村"), support.village("西村")
    long_ago = timezone.localdate() - dt.timedelta(days=45)
    late = support.entry(county, 0, east, entered_on=long_ago)
    fresh = support.entry(county, 1, east)
    other = support.entry(county, 2, west, entered_on=long_ago)
    steward = support.user("steward-east", "employment_steward", villages=[east])
    return {"county": county, "late": late, "fresh": fresh, "other": other, "steward": steward}


def test_it_raises_one_alert_per_overdue_person(overdue):
    raised = ledger_alerts.service_overdue_scan()
    alerts = Alert.objects.filter(pk__in=raised)
    assert {a.ledger_entry_id for a in alerts} == {overdue["late"].pk, overdue["other"].pk}
    assert all(a.reason == Alert.Reason.SERVICE_OVERDUE and a.case_id is None for a in alerts)
    assert ledger_alerts.service_overdue_scan() == []  # still open: not raised twice


def test_it_addresses_the_steward_and_the_township(overdue):
    ledger_alerts.service_overdue_scan()
    mine = audience.alerts_visible_to(overdue["steward"])
    assert [a.ledger_entry_id for a in mine] == [overdue["late"].pk]
    alert = mine.get()
    groups = audience.alert_groups(alert)
    assert audience.township_group(overdue["late"].township_id) in groups
    assert audience.user_group(overdue["steward"].pk) in groups
    payload = push.alert_payload(alert)
    assert payload["case_number"] is None
    assert payload["ledger_entry"] == overdue["late"].pk


def test_it_resolves_the_alert_when_the_person_is_caught_up(
    overdue, django_capture_on_commit_callbacks
):
    ledger_alerts.service_overdue_scan()
    late, county = overdue["late"], overdue["county"]
    posting = support.posting(support.plant(county).employer)
    with django_capture_on_commit_callbacks(execute=True):
        for item in ServiceItem.objects.filter(entry=late).exclude(kind="job_referral"):
            services.service_item_complete(actor=county, item_id=item.pk)
        for n in range(3):
            other = support.posting(posting.employer, title=f"岗位{n}")
            referrals.referral_record(actor=county, entry_id=late.pk, posting_id=other.pk)
    alert = Alert.objects.get(ledger_entry=late)
    assert alert.status == Alert.Status.RESOLVED


def test_it_scans_with_the_case_alerts():
    from notifications.scans import alerts_scan

    county = support.county()
    long_ago = timezone.localdate() - dt.timedelta(days=45)
    entry = support.entry(county, 0, support.village(), entered_on=long_ago)
    report = alerts_scan()
    assert Alert.objects.get(pk__in=report.alerts).ledger_entry_id == entry.pk
