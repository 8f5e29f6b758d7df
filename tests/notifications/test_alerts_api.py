"""GET /api/v1/alerts/?after_id=N and POST /api/v1/alerts/{id}/ack/."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from notifications.api import AFTER_ID_INVALID
from notifications.models import Alert
from notifications.services import ACK_FORBIDDEN, ALERT_NOT_FOUND
from tests.notifications.support import file


def alert_for(case, reason="risk_red", level="red"):
    return Alert.objects.create(
        case=case,
        township=case.township,
        reason=reason,
        level=level,
        score=80,
        factors=[{"code": "workers", "label": "涉及劳动者100人", "points": 35}],
        message=f"{case.number} 风险升至红色",
        created_at=timezone.now(),
    )


@pytest.fixture
def alerts(rules):
    here = file(township="xincheng", employer="甲公司")
    there = file(township="zhaokang", employer="乙公司", start=10)
    return [alert_for(here), alert_for(there), alert_for(here, "overdue")]


def client_for(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def ids(response):
    return [a["id"] for a in response.json()["results"]]


def test_it_lists_alerts_after_an_id_in_the_users_townships(alerts, people):
    response = client_for(people["inspector"]).get(f"/api/v1/alerts/?after_id={alerts[0].pk}")

    assert response.status_code == 200
    assert ids(response) == [alerts[2].pk]
    assert response.json()["last_id"] == alerts[2].pk


def test_it_lists_every_township_for_county_staff_and_the_screen(alerts, people):
    for user in (people["supervisor"], people["screen"]):
        response = client_for(user).get("/api/v1/alerts/?after_id=0")

        assert ids(response) == [a.pk for a in alerts]


def test_it_describes_each_alert(alerts, people):
    item = client_for(people["supervisor"]).get("/api/v1/alerts/?after_id=0").json()["results"][0]

    assert item["type"] == "alert" and item["level"] == "red"
    assert item["case_number"] == alerts[0].case.number and item["score"] == 80
    assert item["factors"][0]["code"] == "workers" and item["township"] == "xincheng"
    assert item["message"] and item["created_at"]


def test_it_rejects_a_bad_after_id(alerts, people):
    response = client_for(people["inspector"]).get("/api/v1/alerts/?after_id=abc")

    assert response.status_code == 400
    assert response.json() == {
        "detail": AFTER_ID_INVALID,
        "errors": {"after_id": [AFTER_ID_INVALID]},
    }


def test_it_refuses_anonymous_users(alerts):
    response = client_for().get("/api/v1/alerts/")

    assert response.status_code == 401 and response.json()["detail"] == "请先登录。"


def test_it_acknowledges_an_alert(alerts, people):
    response = client_for(people["inspector"]).post(f"/api/v1/alerts/{alerts[0].pk}/ack/")

    assert response.status_code == 200
    assert response.json()["status"] == "acknowledged"
    assert response.json()["acknowledged_by"] == people["inspector"].username
    alerts[0].refresh_from_db()
    assert alerts[0].acknowledged_at is not None


def test_it_acknowledges_once(alerts, people):
    client_for(people["inspector"]).post(f"/api/v1/alerts/{alerts[0].pk}/ack/")
    first = Alert.objects.get(pk=alerts[0].pk).acknowledged_at

    response = client_for(people["supervisor"]).post(f"/api/v1/alerts/{alerts[0].pk}/ack/")

    assert response.status_code == 200
    assert response.json()["acknowledged_by"] == people["inspector"].username
    assert Alert.objects.get(pk=alerts[0].pk).acknowledged_at == first


def test_it_hides_another_townships_alert(alerts, people):
    response = client_for(people["inspector"]).post(f"/api/v1/alerts/{alerts[1].pk}/ack/")

    assert response.status_code == 404 and response.json()["detail"] == ALERT_NOT_FOUND
    assert Alert.objects.get(pk=alerts[1].pk).status == "open"


def test_the_screen_may_not_acknowledge(alerts, people):
    response = client_for(people["screen"]).post(f"/api/v1/alerts/{alerts[0].pk}/ack/")

    assert response.status_code == 403 and response.json()["detail"] == ACK_FORBIDDEN
