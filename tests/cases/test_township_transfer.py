"""A supervisor moves a case filed under the wrong township to the right one: a
transition with a reason, an event naming both townships, and an alert for the new
township's staff through the alert outbox (the four house tests for every transition
are in test_transitions.py's scenario table)."""

import datetime as dt

import pytest

from cases import errors, services
from cases.models import CaseEvent, CaseState
from core.models import Township
from notifications import audience
from notifications.models import Alert
from tests.factories import file_case, staff

REASON = "用人单位注册地和工地都在赵康镇，误登记为新城镇"


@pytest.fixture
def supervisor(db):
    return staff("sup_xc", "supervisor")  # a township supervisor of 新城镇


def transfer(case, actor, **data):
    return services.case_transition(
        case_number=case.number,
        name="transfer_township",
        actor=actor,
        data={"township": "zhaokang", "note": REASON, **data},
    )


def test_it_moves_the_case_and_records_both_townships(supervisor):
    case = file_case(received_on=dt.date.today() - dt.timedelta(days=1))
    deadline = case.deadline

    case = transfer(case, supervisor)

    assert case.township.code == "zhaokang"
    assert (case.state, case.deadline) == (CaseState.SUBMITTED, deadline)
    event = CaseEvent.objects.filter(case=case).last()
    assert event.transition == "transfer_township"
    assert event.note == REASON
    assert (event.data["from_township"], event.data["township"]) == ("xincheng", "zhaokang")
    assert event.actor == supervisor


def test_it_needs_a_reason(supervisor):
    case = file_case()

    with pytest.raises(errors.InvalidInput) as raised:
        transfer(case, supervisor, note="")

    assert "note" in raised.value.errors
    case.refresh_from_db()
    assert case.township.code == "xincheng"


def test_it_refuses_the_township_the_case_is_in(supervisor):
    case = file_case()

    with pytest.raises(errors.InvalidInput, match=errors.SAME_TOWNSHIP):
        transfer(case, supervisor, township="xincheng")


def test_it_refuses_an_unknown_township(supervisor):
    case = file_case()

    with pytest.raises(errors.InvalidInput) as raised:
        transfer(case, supervisor, township="atlantis")

    assert "township" in raised.value.errors


def test_it_alerts_the_new_townships_staff(supervisor, django_capture_on_commit_callbacks):
    case = file_case()
    Alert.objects.create(
        case=case,
        township=case.township,
        reason=Alert.Reason.DEADLINE_SOON,
        level="yellow",
        message="期限临近",
        created_at=case.received_at,
    )

    with django_capture_on_commit_callbacks(execute=True):
        transfer(case, supervisor)

    zhaokang = Township.objects.get(code="zhaokang")
    alert = Alert.objects.get(case=case, reason=Alert.Reason.TRANSFERRED_IN)
    assert alert.township == zhaokang
    assert alert.status == Alert.Status.OPEN
    assert "新城镇移交赵康镇" in alert.message and REASON in alert.message
    assert audience.township_group(zhaokang.id) in audience.alert_groups(alert)
    # The alerts already open on the case follow it to the new township.
    moved = Alert.objects.get(case=case, reason=Alert.Reason.DEADLINE_SOON)
    assert moved.township == zhaokang


def test_the_case_page_offers_the_transfer_to_a_supervisor_only(client, supervisor, people):
    case = file_case()

    client.force_login(supervisor)
    offered = client.get(f"/workbench/cases/{case.number}/").content.decode()
    client.force_login(people["inspector"])
    not_offered = client.get(f"/workbench/cases/{case.number}/").content.decode()

    assert "移交其他乡镇办理" in offered
    assert 'value="zhaokang"' in offered
    assert "移交其他乡镇办理" not in not_offered


def test_the_case_page_runs_the_transfer(client, supervisor):
    case = file_case()
    client.force_login(supervisor)

    response = client.post(
        f"/workbench/cases/{case.number}/run/transfer_township/",
        {"township": "zhaokang", "note": REASON, "version": case.version},
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.township.code == "zhaokang"
