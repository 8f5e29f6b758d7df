"""Staff entry obeys one set of rules on every path (cases.staff_entry): own township
only, a received time neither in the future nor before the limitation period, and a
reason for any back-dating beyond the tolerance, recorded in the first event.

The workbench intake forms are tested in test_workbench_intake.py."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from cases import errors, filing, staff_entry
from cases.models import Case, CaseEvent
from core.models import Township
from rules.models import LegalParameter
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint
from tests.cases.test_ledger import row, upload
from tests.factories import staff

REASON = "来信于上周寄达，登记延误"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()


@pytest.fixture
def inspector(db):
    return staff("entry_inspector", "inspector")  # 新城镇 only


@pytest.fixture
def api(inspector):
    client = APIClient()
    client.force_authenticate(inspector)
    return client


def ago(**delta) -> str:
    return (timezone.now() - dt.timedelta(**delta)).isoformat()


def post(api, **extra):
    return api.post(COMPLAINTS_URL, complaint(claimants=[claimant(1)], **extra), format="json")


# --- the API's staff path ----------------------------------------------------------------


def test_it_refuses_a_staff_filing_into_another_township(api):
    response = post(api, township="zhaokang", channel="hotline_12345")

    assert response.status_code == 400, response.json()
    assert response.json()["errors"]["employer"]["township"] == [staff_entry.OUT_OF_JURISDICTION]
    assert not Case.objects.exists()


def test_it_asks_a_reason_for_a_received_time_18_months_back(api):
    response = post(api, received_at=ago(days=540), channel="letter")

    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == ["backdate_reason"]
    assert not Case.objects.exists()


def test_it_records_the_reason_for_back_dating_in_the_first_event(api):
    response = post(api, received_at=ago(days=540), channel="letter", backdate_reason=REASON)

    assert response.status_code == 201, response.json()
    event = CaseEvent.objects.get(case__number=response.json()["case_number"], transition="file")
    assert event.note == REASON
    assert event.data["backdate_reason"] == REASON
    assert event.data["backdated_days"] == 540


def test_it_needs_no_reason_within_the_tolerance(api):
    response = post(api, received_at=ago(days=3), channel="hotline_12345")

    assert response.status_code == 201, response.json()


def test_it_takes_the_tolerance_from_the_rule_table(api):
    LegalParameter.objects.filter(code="backdate_tolerance_days").update(value=0)

    response = post(api, received_at=ago(days=1), channel="hotline_12345")

    assert response.status_code == 400
    assert "backdate_reason" in response.json()["errors"]


@pytest.mark.parametrize(
    ("kind", "days", "allowed"),
    [
        ("wage_arrears", 700, True),
        ("wage_arrears", 760, False),  # beyond the 2-year inspection limitation
        ("labor_dispute", 300, True),
        ("labor_dispute", 400, False),  # beyond the 1-year arbitration limitation
    ],
)
def test_it_refuses_a_received_time_before_the_limitation_period(api, kind, days, allowed):
    response = post(api, kind=kind, received_at=ago(days=days), backdate_reason=REASON)

    if allowed:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 400
        [message] = response.json()["errors"]["received_at"]
        assert message.startswith("收到时间早于")


def test_it_refuses_a_future_received_time(api):
    response = post(api, received_at=(timezone.now() + dt.timedelta(hours=2)).isoformat())

    assert response.status_code == 400
    assert response.json()["errors"]["received_at"] == [staff_entry.RECEIVED_AT_FUTURE]


# --- the spreadsheet import ------------------------------------------------------------------


def test_the_import_asks_a_reason_for_an_old_received_time(client, inspector):
    client.force_login(inspector)
    received = (timezone.localdate() - dt.timedelta(days=30)).isoformat()

    response = upload(client, [row("XQ1", 0, received_at=received, backdate_reason="")])

    report = response.context["report"]
    assert [(e.row, e.column) for e in report.errors] == [(2, "补录原因")]
    assert not Case.objects.exists()


def test_the_import_refuses_a_received_time_before_the_limitation(client, inspector):
    client.force_login(inspector)
    received = (timezone.localdate() - dt.timedelta(days=800)).isoformat()

    response = upload(client, [row("XQ1", 0, received_at=received)])

    [error] = response.context["report"].errors
    assert (error.row, error.column) == (2, "收到时间")
    assert error.message.startswith("收到时间早于")


def test_the_import_records_the_reason_in_the_first_event(client, inspector):
    client.force_login(inspector)
    received = (timezone.localdate() - dt.timedelta(days=30)).isoformat()

    response = upload(client, [row("XQ1", 0, received_at=received, backdate_reason=REASON)])

    [imported] = response.context["report"].imported
    event = CaseEvent.objects.get(case__number=imported.case_number, transition="file")
    assert event.note == REASON


# --- the service itself ----------------------------------------------------------------------


def test_the_filing_service_refuses_a_staff_entry_outside_the_township(inspector):
    data = {
        "kind": "wage_arrears",
        "employer": {"name": "襄汾县某公司", "township": Township.objects.get(code="zhaokang")},
        "claimants": [
            {**claimant(1), "amount_claimed": 8000, "months_owed": 3, "is_representative": False}
        ],
        "description": "欠薪",
    }

    with pytest.raises(errors.InvalidInput) as raised:
        filing.complaint_file_validated(data=data, actor=inspector)

    assert raised.value.errors == {"township": [staff_entry.OUT_OF_JURISDICTION]}
    assert not Case.objects.exists()


def test_months_before_keeps_the_day_or_the_months_last_day():
    assert staff_entry.months_before(dt.date(2026, 12, 2), 24) == dt.date(2024, 12, 2)
    assert staff_entry.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
