"""Alerts: raised when a case turns orange or red, stored first, pushed after commit."""

import datetime as dt

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import services as case_services
from cases.models import Case
from notifications import audience, push, wire
from notifications.models import Alert, RiskScore
from tests.factories import staff
from tests.notifications.support import file


@pytest.fixture
def county_channel(settings):
    # In-process layer: these tests read it from several event loops (async_to_sync),
    # which channels-redis does not allow; Redis has tests of its own.
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(audience.COUNTY_GROUP, channel)
    yield layer, channel
    async_to_sync(layer.flush)()


def received(layer, channel):
    messages = []
    while True:
        try:
            message = async_to_sync(_receive_now)(layer, channel)
        except TimeoutError:
            return messages
        messages.append(message)


def alerts_in(messages):
    return [m["alert"] for m in messages if m["type"] == "alert.message"]


async def _receive_now(layer, channel):
    import asyncio

    async with asyncio.timeout(0.2):
        return await layer.receive(channel)


def test_it_scores_a_filed_case_after_commit(rules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30, sector="construction")

    case.refresh_from_db()
    assert (case.risk_score, case.risk_level) == (35, "yellow")
    assert [f["code"] for f in case.risk_factors] == ["workers", "project"]
    history = RiskScore.objects.get(case=case)
    assert (history.score, history.rules_version, history.trigger) == (35, rules.version, "file")


def test_it_does_not_bump_the_case_version(rules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30)

    assert Case.objects.get(pk=case.pk).version == case.version == 0


def test_it_raises_an_alert_when_a_case_enters_orange(
    rules, django_capture_on_commit_callbacks, county_channel
):
    layer, channel = county_channel
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30, sector="construction", description="工资拖欠，工人准备堵路。")

    alerts = {a.reason: a for a in Alert.objects.filter(case=case)}
    assert set(alerts) == {"risk_orange", "distress"}
    orange = alerts["risk_orange"]
    assert (orange.level, orange.score, orange.status) == ("orange", 50, "open")
    assert orange.rules_version == rules.version
    assert "堵路" in alerts["distress"].message
    pushed = alerts_in(received(layer, channel))
    assert sorted(m["id"] for m in pushed) == sorted(a.pk for a in alerts.values())
    assert {m["case_number"] for m in pushed} == {case.number}


def test_it_pushes_the_stored_alerts_without_reading_them_back(
    rules, django_capture_on_commit_callbacks, county_channel, monkeypatch
):
    """Between the commit and the screen every query is waited for (benchmark 2)."""
    layer, channel = county_channel
    send, queries_while_pushing = push.alerts_send, []

    def counted(alerts, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            send(alerts, **kwargs)
        queries_while_pushing.append(len(queries))

    monkeypatch.setattr(push, "alerts_send", counted)
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30, sector="construction", description="工资拖欠，工人准备堵路。")

    assert queries_while_pushing == [0]
    stored = Alert.objects.filter(case=case).select_related("case", "township")
    # What was pushed is what a client resuming later reads back from the database.
    assert sorted(alerts_in(received(layer, channel)), key=lambda m: m["id"]) == [
        push.alert_payload(alert) for alert in stored.order_by("id")
    ]


def test_it_pushes_only_after_commit(rules, django_capture_on_commit_callbacks, county_channel):
    layer, channel = county_channel
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        file(count=100, description="要跳楼")

    assert received(layer, channel) == []  # nothing leaves before the commit
    assert Alert.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=False) as pushes:
        for callback in callbacks:
            callback()  # the case's commit: the alerts are stored...
    assert Alert.objects.count() == 2
    assert alerts_in(received(layer, channel)) == []  # ...and wait for their own commit
    with django_capture_on_commit_callbacks(execute=True):
        for callback in pushes:
            callback()
    assert len(alerts_in(received(layer, channel))) == 2


def test_it_raises_red_and_resolves_the_orange_alert(rules, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30, sector="construction", description="堵路")
    with django_capture_on_commit_callbacks(execute=True):
        file(start=100, count=1)  # a repeat complaint against the same employer: +10

    assert Case.objects.get(pk=case.pk).risk_level == "orange"
    Case.objects.filter(pk=case.pk).update(state="transferred")
    from notifications.services import case_risk_refresh

    with django_capture_on_commit_callbacks(execute=True):
        case_risk_refresh(case_id=case.pk, trigger="test")

    statuses = dict(Alert.objects.filter(case=case).values_list("reason", "status"))
    assert statuses["risk_red"] == "open" and statuses["risk_orange"] == "resolved"


def test_it_does_not_raise_again_while_the_level_stays(rules, django_capture_on_commit_callbacks):
    from notifications.services import case_risk_refresh

    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=100, sector="construction")  # 45 -> yellow
        Case.objects.filter(pk=case.pk).update(state="transferred")
        case_risk_refresh(case_id=case.pk)
        case_risk_refresh(case_id=case.pk)

    assert Alert.objects.filter(case=case, reason="risk_red").count() == 1


def test_the_database_allows_one_open_alert_per_case_and_reason(rules):
    case = file()
    fields = dict(case=case, township=case.township, reason="risk_red", level="red", message="x")
    Alert.objects.create(**fields, created_at=timezone.now())
    Alert.objects.create(**fields, created_at=timezone.now(), status="acknowledged")

    with pytest.raises(IntegrityError):
        Alert.objects.create(**fields, created_at=timezone.now())


def test_it_resolves_open_alerts_when_the_case_ends(rules, django_capture_on_commit_callbacks):
    inspector = staff("insp_w", "inspector")
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=30, sector="construction", description="拉横幅")
    assert Alert.objects.filter(case=case, status="open").count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        case_services.case_transition(
            case_number=case.number, name="withdraw", actor=inspector, data={"note": "撤回"}
        )

    assert set(Alert.objects.filter(case=case).values_list("status", flat=True)) == {"resolved"}
    assert Case.objects.get(pk=case.pk).risk_level == "green"


def test_a_failing_push_never_fails_the_filing(
    rules, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr(wire, "get_channel_layer", lambda: BrokenLayer())
    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=100, description="跳楼")

    assert Alert.objects.filter(case=case).exists()
    assert "push of alerts" in caplog.text and "redis is down" in caplog.text


def test_it_raises_a_red_review_alert_for_a_threat_that_escalates(
    rules, django_capture_on_commit_callbacks
):
    from notifications.services import alerts_escalate

    with django_capture_on_commit_callbacks(execute=True):
        case = file(count=1, description="再不给钱我就跳楼")
    alerts = {a.reason: a for a in Alert.objects.filter(case=case)}

    assert alerts["risk_red"].level == "red"
    assert alerts["distress"].level == "red" and "跳楼" in alerts["distress"].message
    later = timezone.now() + dt.timedelta(minutes=rules.escalate_after_minutes + 1)
    escalated = alerts_escalate(now=later)
    assert escalated and {a.case_id for a in escalated} == {case.pk}
    assert all(a.reason == "escalated" and a.level == "red" for a in escalated)
