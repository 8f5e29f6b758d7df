"""The alerts page (/alerts/): case links, filters, pagination, collective cases first,
acknowledging with a note (page and API), a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case
from notifications.models import Alert
from notifications.services import ACK_NOTE_TOO_LONG
from notifications.views import ALERTS_PER_PAGE
from tests.notifications.support import file


def alert_for(case, reason="risk_red", level="red", status="open"):
    return Alert.objects.create(
        case=case,
        township=case.township,
        reason=reason,
        level=level,
        status=status,
        message=f"{case.number} 风险提示",
        created_at=timezone.now(),
    )


@pytest.fixture
def cases(rules):
    here = file(employer="甲公司")
    crowd = file(employer="丙公司", start=20)
    Case.objects.filter(pk=crowd.pk).update(is_collective=True)
    there = file(employer="乙公司", township="zhaokang", start=10)
    return {"here": here, "crowd": Case.objects.get(pk=crowd.pk), "there": there}


def listed(client, query=""):
    response = client.get(f"/alerts/{query}")
    assert response.status_code == 200
    return [a.pk for a in response.context["alerts"]]


def test_it_links_case_numbers_to_the_case_page(client, people, cases):
    alert_for(cases["here"])
    client.force_login(people["inspector"])

    html = client.get("/alerts/").content.decode()

    assert f'href="/workbench/cases/{cases["here"].number}/"' in html


def test_it_shows_plain_numbers_to_roles_without_case_pages(client, people, cases):
    alert_for(cases["here"])
    client.force_login(people["screen"])

    html = client.get("/alerts/").content.decode()

    assert cases["here"].number in html
    assert "/workbench/cases/" not in html


def test_it_filters_by_level_reason_township_and_status(client, people, cases):
    red = alert_for(cases["here"])
    overdue = alert_for(cases["here"], reason="overdue", level="orange")
    done = alert_for(cases["crowd"], status="acknowledged")
    far = alert_for(cases["there"])
    client.force_login(people["supervisor"])

    assert listed(client, "?level=orange") == [overdue.pk]
    assert listed(client, "?reason=overdue") == [overdue.pk]
    assert set(listed(client, "?township=zhaokang")) == {far.pk}
    assert listed(client, "?status=acknowledged") == [done.pk]
    assert set(listed(client, "?status=open&level=red")) == {red.pk, far.pk}
    assert set(listed(client, "?level=purple")) == {red.pk, overdue.pk, done.pk, far.pk}


def test_it_keeps_to_the_users_townships_whatever_the_filter(client, people, cases):
    alert_for(cases["there"])
    mine = alert_for(cases["here"])
    client.force_login(people["inspector"])

    assert listed(client, "?township=zhaokang") == []
    assert listed(client) == [mine.pk]


def test_it_puts_open_alerts_first_and_collective_cases_first_among_them(client, people, cases):
    crowd_done = alert_for(cases["crowd"], reason="overdue", status="acknowledged")
    crowd = alert_for(cases["crowd"])
    newest = alert_for(cases["here"])
    client.force_login(people["inspector"])

    assert listed(client) == [crowd.pk, newest.pk, crowd_done.pk]
    html = client.get("/alerts/").content.decode()
    assert 'class="badge collective"' in html and "集体" in html


def test_it_puts_a_red_alert_of_one_worker_above_orange_collective_ones(client, people, cases):
    crowd = alert_for(cases["crowd"], reason="risk_orange", level="orange")
    threat = alert_for(cases["here"], reason="distress", level="red")
    crowd_red = alert_for(cases["crowd"])
    client.force_login(people["inspector"])

    assert listed(client) == [crowd_red.pk, threat.pk, crowd.pk]


def test_it_paginates_and_keeps_the_filters(client, people, cases):
    for _ in range(ALERTS_PER_PAGE + 5):
        alert_for(cases["here"], status="resolved")
    client.force_login(people["inspector"])

    first = client.get("/alerts/?status=resolved")
    second = client.get("/alerts/?status=resolved&page=2")

    assert len(first.context["alerts"]) == ALERTS_PER_PAGE
    assert len(second.context["alerts"]) == 5
    assert "status=resolved&amp;page=2" in first.content.decode()


def test_it_acknowledges_with_a_note_on_the_page_and_shows_it(client, people, cases):
    alert = alert_for(cases["here"])
    client.force_login(people["inspector"])

    response = client.post(
        f"/alerts/{alert.pk}/ack/",
        {"note": "已电话联系带头人，明早到工地", "next": "/alerts/?level=red"},
    )

    assert response.status_code == 302 and response["Location"] == "/alerts/?level=red"
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == people["inspector"]
    assert alert.acknowledgement_note == "已电话联系带头人，明早到工地"
    assert "已电话联系带头人，明早到工地" in client.get("/alerts/").content.decode()


def test_it_goes_back_only_to_this_site_after_acknowledging(client, people, cases):
    alert = alert_for(cases["here"])
    client.force_login(people["inspector"])

    response = client.post(f"/alerts/{alert.pk}/ack/", {"next": "https://evil.example/"})

    assert response["Location"] == "/alerts/"


def test_it_refuses_a_note_too_long_and_keeps_the_alert_open(client, people, cases):
    alert = alert_for(cases["here"])
    client.force_login(people["inspector"])

    response = client.post(f"/alerts/{alert.pk}/ack/", {"note": "长" * 501}, follow=True)

    assert ACK_NOTE_TOO_LONG in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_it_hides_other_townships_alerts_from_the_acknowledge_form(client, people, cases):
    alert = alert_for(cases["there"])
    client.force_login(people["inspector"])

    assert client.post(f"/alerts/{alert.pk}/ack/", {"note": "x"}).status_code == 404
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_it_acknowledges_with_a_note_through_the_api(people, cases):
    alert = alert_for(cases["crowd"])
    api = APIClient()
    api.force_authenticate(people["inspector"])

    body = api.post(f"/api/v1/alerts/{alert.pk}/ack/", {"note": "已到场"}, format="json").json()

    assert body["status"] == "acknowledged"
    assert body["acknowledgement_note"] == "已到场"
    assert body["collective"] is True
    assert body["acknowledged_by_name"]


def test_it_answers_400_for_a_bad_note_through_the_api(people, cases):
    alert = alert_for(cases["here"])
    api = APIClient()
    api.force_authenticate(people["inspector"])

    too_long = api.post(f"/api/v1/alerts/{alert.pk}/ack/", {"note": "长" * 501}, format="json")
    not_text = api.post(f"/api/v1/alerts/{alert.pk}/ack/", {"note": ["a"]}, format="json")

    assert too_long.status_code == 400 and too_long.json()["detail"] == ACK_NOTE_TOO_LONG
    assert not_text.status_code == 400
    assert Alert.objects.get(pk=alert.pk).status == "open"


def test_it_runs_the_same_queries_for_5_or_50_alerts(client, people, cases):
    def page_queries(count):
        for _ in range(count):
            alert_for(cases["crowd"], status="acknowledged")
        Alert.objects.update(acknowledged_by=people["inspector"], acknowledgement_note="备注")
        client.get("/alerts/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/alerts/").status_code == 200
        return len(queries)

    client.force_login(people["inspector"])

    assert page_queries(5) == page_queries(45)
