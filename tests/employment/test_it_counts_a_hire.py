import datetime as dt

import pytest
from django.test import Client

from employment import referrals, selectors, services
from employment.models import Referral, ServiceItem, Status
from notifications.models import SmsMessage
from tests.employment import support

pytestmark = pytest.mark.django_db


def test_it_moves_the_rate_when_a_referral_becomes_a_hire(django_capture_on_commit_callbacks):
    county = support.county()
    village = support.village()
    plant = support.plant(county)
    entries = [support.entry(county, i, village, plant=plant) for i in range(4)]
    posting = support.posting(
        support.plant(county, name="别的厂", uscc="91141023MA0L2X6E46").employer
    )
    assert selectors.screen_summary()["reemployment"] == {
        "laid_off": 4,
        "reemployed": 0,
        "rate": 0.0,
    }
    with django_capture_on_commit_callbacks(execute=True):
        referral = referrals.referral_record(
            actor=county, entry_id=entries[0].pk, posting_id=posting.pk, send_sms=True
        )
    assert SmsMessage.objects.get(purpose="employment_referral").phone == "13900130000"
    referral.refresh_from_db()
    assert referral.sms_sent
    item = ServiceItem.objects.get(entry=entries[0], kind="job_referral", seq=1)
    assert item.referral_id == referral.pk and item.done_on == dt.date.today()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_outcome_set(actor=county, referral_id=referral.pk, outcome="hired")
    entries[0].refresh_from_db()
    assert entries[0].status == Status.EMPLOYED
    assert entries[0].employer_id == posting.employer_id
    figures = selectors.screen_summary()
    assert figures["reemployment"] == {"laid_off": 4, "reemployed": 1, "rate": 25.0}
    assert figures["urban_new"] == 1
    by_plant = {p["name"]: p for p in figures["by_plant"]}
    assert by_plant[plant.name]["reemployed"] == 1


def test_it_pushes_the_screen_figures_when_the_ledger_changes(
    monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import wire

    pushed = []
    monkeypatch.setattr(wire, "send", lambda sends, what: pushed.extend(sends) or True)
    county = support.county()
    entry = support.entry(county, 0, support.village(), plant=support.plant(county))
    with django_capture_on_commit_callbacks(execute=True):
        services.ledger_status_change(
            actor=county,
            entry_id=entry.pk,
            status=Status.EMPLOYED,
            mode="flexible",
            employed_on=dt.date.today(),
        )
    summaries = [m for _, m in pushed if m["type"] == "summary.message"]
    assert summaries[-1]["summary"]["employment"]["reemployment"]["reemployed"] == 1


def test_it_refuses_a_second_outcome():
    county = support.county()
    entry = support.entry(county, 0, support.village())
    posting = support.posting(support.plant(county).employer)
    referral = referrals.referral_record(actor=county, entry_id=entry.pk, posting_id=posting.pk)
    referrals.referral_outcome_set(actor=county, referral_id=referral.pk, outcome="declined")
    from employment import errors

    with pytest.raises(errors.Conflict):
        referrals.referral_outcome_set(actor=county, referral_id=referral.pk, outcome="hired")
    assert Referral.objects.get().outcome == "declined"


def test_it_records_a_hire_through_the_api():
    county = support.county()
    entry = support.entry(county, 0, support.village())
    posting = support.posting(support.plant(county).employer)
    c = Client()
    c.force_login(county)
    made = c.post(
        "/api/v1/employment/referrals/",
        {"entry": entry.pk, "posting": posting.pk},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    done = c.post(
        f"/api/v1/employment/referrals/{made.json()['id']}/outcome/",
        {"outcome": "hired"},
        content_type="application/json",
    )
    assert done.status_code == 200
    detail = c.get(f"/api/v1/employment/ledger/{entry.pk}/").json()
    assert detail["status"] == "employed"
    assert [e["kind"] for e in detail["events"]] == ["entered", "referral", "outcome", "status"]
    twice = c.post(
        f"/api/v1/employment/referrals/{made.json()['id']}/outcome/",
        {"outcome": "hired"},
        content_type="application/json",
    )
    assert twice.status_code == 409
    assert set(twice.json()) == {"detail", "errors"}
