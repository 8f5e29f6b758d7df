"""The workbench's intake forms: a complaint received by any channel, with its original
received time, and an inspection opened on the inspector's own initiative. Both obey
the staff-entry rules (cases.staff_entry) and file through the services every other
path uses."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import audit, staff_entry
from cases.models import Case, CaseEvent, CaseState, Origin
from tests.cases.complaint_support import id_number

COMPLAINT_URL = "/workbench/complaints/new/"
INSPECTION_URL = "/workbench/inspections/new/"
REASON = "来信周五寄到，周一登记"


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def complaint_post(**overrides):
    data = {
        "channel": "hotline_12345",
        "received_at": local_input(timezone.now() - dt.timedelta(days=2)),
        "kind": "wage_arrears",
        "construction": "yes",
        "project_name": "汾河湾小区二期",
        "employer_name": "襄汾县来访测试建筑有限公司",
        "township": "xincheng",
        "description": "12345工单：工地拖欠两个月工资。",
        "rows": "1",
        "c-0-name": "来访工人",
        "c-0-id_number": id_number(7),
        "c-0-phone": "13800000007",
        "c-0-amount_claimed": "6000",
        "c-0-months_owed": "2",
        "submit": "1",
    }
    data.update(overrides)
    return data


def inspection_post(**overrides):
    data = {
        "channel": "patrol",
        "received_at": local_input(timezone.now() - dt.timedelta(hours=3)),
        "township": "xincheng",
        "employer_name": "襄汾县巡查发现建材有限公司",
        "sector": "manufacturing",
        "description": "巡查发现未按月足额支付工资，工资表显示拖欠三个月。",
        "inspectors": ["insp_a", "insp_b"],
    }
    data.update(overrides)
    return data


# --- a complaint received by another channel -----------------------------------------------


def test_it_offers_only_the_users_own_townships(client, people):
    client.force_login(people["inspector"])

    response = client.get(COMPLAINT_URL)

    assert response.status_code == 200
    assert [code for code, _name in response.context["form"].townships()] == ["xincheng"]
    assert "赵康镇" not in response.content.decode()


def test_it_files_a_hotline_complaint_with_its_original_received_time(client, people):
    client.force_login(people["inspector"])
    post = complaint_post()

    response = client.post(COMPLAINT_URL, post)

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workbench/cases/{case.number}/"
    assert case.channel == "hotline_12345"
    assert local_input(case.received_at) == post["received_at"]
    assert case.clock_started_on == timezone.localtime(case.received_at).date()
    event = CaseEvent.objects.get(case=case, transition="file")
    assert event.actor == people["inspector"]
    assert event.data["backdated_days"] == 2


def test_it_refuses_another_township_on_the_form(client, people):
    client.force_login(people["inspector"])

    response = client.post(COMPLAINT_URL, complaint_post(township="zhaokang"))

    assert response.status_code == 400
    assert response.context["form"].errors["township"] == [staff_entry.OUT_OF_JURISDICTION]
    assert not Case.objects.exists()


def test_it_asks_the_form_for_a_reason_when_back_dated(client, people):
    client.force_login(people["inspector"])
    old = local_input(timezone.now() - dt.timedelta(days=40))

    refused = client.post(COMPLAINT_URL, complaint_post(channel="letter", received_at=old))
    filed = client.post(
        COMPLAINT_URL, complaint_post(channel="letter", received_at=old, backdate_reason=REASON)
    )

    assert refused.status_code == 400
    assert "backdate_reason" in refused.context["form"].errors
    assert filed.status_code == 302
    assert CaseEvent.objects.get(transition="file").note == REASON


def test_it_refuses_a_future_received_time_on_the_form(client, people):
    client.force_login(people["inspector"])
    future = local_input(timezone.now() + dt.timedelta(days=1))

    response = client.post(COMPLAINT_URL, complaint_post(received_at=future))

    assert response.status_code == 400
    assert response.context["form"].errors["received_at"] == [staff_entry.RECEIVED_AT_FUTURE]
    assert not Case.objects.exists()


def test_it_asks_which_channel(client, people):
    client.force_login(people["inspector"])

    response = client.post(COMPLAINT_URL, complaint_post(channel="online"))

    assert response.status_code == 400
    assert "channel" in response.context["form"].errors
    assert not Case.objects.exists()


# --- an inspection on the inspector's own initiative -------------------------------------------


def test_it_opens_an_inspection_with_no_complainant_on_the_inspection_track(client, people):
    client.force_login(people["inspector"])

    response = client.post(INSPECTION_URL, inspection_post())

    case = Case.objects.get()
    assert response.status_code == 302
    assert (case.kind, case.origin, case.channel) == (
        "wage_arrears",
        Origin.OWN_INITIATIVE,
        "patrol",
    )
    assert case.state == CaseState.INVESTIGATING
    assert not case.claims.exists()
    assert case.accepted_on == timezone.localdate()
    assert case.clock_stage == "investigation"
    assert set(case.inspectors.values_list("username", flat=True)) == {"insp_a", "insp_b"}
    transitions = list(case.events.values_list("transition", "from_state", "to_state"))
    assert transitions == [
        ("open_inspection", "", CaseState.SUBMITTED),
        ("accept", CaseState.SUBMITTED, CaseState.INVESTIGATING),
    ]
    assert audit.chain_verify() == []


def test_it_shows_the_opened_inspection(client, people):
    client.force_login(people["inspector"])
    client.post(INSPECTION_URL, inspection_post())

    response = client.get(f"/workbench/cases/{Case.objects.get().number}/")

    assert response.status_code == 200
    assert "主动立案检查" in response.content.decode()
    assert response.context["documents"] == []  # no complainant to send a notice to


def test_it_needs_two_inspectors_and_leaves_nothing_behind(client, people):
    client.force_login(people["inspector"])

    response = client.post(INSPECTION_URL, inspection_post(inspectors=["insp_a"]))

    assert response.status_code == 400
    assert response.context["form"].errors["inspectors"]
    assert not Case.objects.exists()
    assert not CaseEvent.objects.exists()


def test_it_opens_no_inspection_in_another_township(client, people):
    client.force_login(people["inspector"])

    response = client.post(INSPECTION_URL, inspection_post(township="zhaokang"))

    assert response.status_code == 400
    assert response.context["form"].errors["township"] == [staff_entry.OUT_OF_JURISDICTION]
    assert not Case.objects.exists()


def test_it_asks_a_reason_for_an_inspection_found_long_ago(client, people):
    client.force_login(people["inspector"])
    old = local_input(timezone.now() - dt.timedelta(days=20))

    response = client.post(INSPECTION_URL, inspection_post(received_at=old))

    assert response.status_code == 400
    assert "backdate_reason" in response.context["form"].errors
    assert not Case.objects.exists()


def test_it_refuses_a_complaint_channel_for_an_inspection(client, people):
    client.force_login(people["inspector"])

    response = client.post(INSPECTION_URL, inspection_post(channel="hotline_12345"))

    assert response.status_code == 400
    assert "channel" in response.context["form"].errors


def test_a_mediator_may_not_open_an_inspection(client, people):
    client.force_login(people["mediator"])

    assert client.get(INSPECTION_URL).status_code == 403
    assert client.post(INSPECTION_URL, inspection_post()).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize(("who", "inspection"), [("inspector", True), ("mediator", False)])
def test_the_queue_links_the_forms_the_role_may_use(client, people, who, inspection):
    client.force_login(people[who])

    page = client.get("/workbench/").content.decode()

    assert COMPLAINT_URL in page
    assert (INSPECTION_URL in page) is inspection
