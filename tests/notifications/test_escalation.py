"""A red alert unacknowledged for 60 minutes escalates to the supervisors."""

import datetime as dt

from django.utils import timezone

from core.models import StaffProfile
from notifications.models import Alert, SmsMessage
from notifications.services import alerts_escalate
from tests.notifications.support import file


def red_alert(case, minutes_ago, reason="risk_red"):
    return Alert.objects.create(
        case=case,
        township=case.township,
        reason=reason,
        level="red",
        message=f"{case.number} 风险升至红色",
        created_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_it_escalates_after_sixty_minutes(rules, people, django_capture_on_commit_callbacks):
    StaffProfile.objects.filter(user=people["supervisor"]).update(phone="13900000001")
    case = file()
    alert = red_alert(case, minutes_ago=61)

    with django_capture_on_commit_callbacks(execute=True):
        raised = alerts_escalate()

    assert len(raised) == 1
    escalation = raised[0]
    assert (escalation.reason, escalation.level, escalation.escalation_of) == (
        "escalated",
        "red",
        alert,
    )
    assert list(escalation.notify_users.all()) == [people["supervisor"]]
    sms = SmsMessage.objects.get()
    assert (sms.phone, sms.purpose, sms.case_number) == (
        "13900000001",
        "alert_escalated",
        case.number,
    )


def test_it_waits_sixty_minutes(rules, people):
    red_alert(file(), minutes_ago=59)

    assert alerts_escalate() == []


def test_it_escalates_once(rules, people):
    red_alert(file(), minutes_ago=90)

    alerts_escalate()

    assert alerts_escalate() == []
    assert Alert.objects.filter(reason="escalated").count() == 1


def test_an_acknowledged_alert_does_not_escalate(rules, people):
    alert = red_alert(file(), minutes_ago=90)
    Alert.objects.filter(pk=alert.pk).update(status="acknowledged")

    assert alerts_escalate() == []


def test_the_minutes_are_a_rule(rules, people):
    rules.escalate_after_minutes = 30
    rules.save()
    red_alert(file(), minutes_ago=31)

    assert len(alerts_escalate()) == 1
