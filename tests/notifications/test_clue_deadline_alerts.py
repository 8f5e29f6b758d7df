"""Clues of the national platform nearing or past their handling deadline raise alerts:
once per clue and level, for open cases only, to the township's inspectors and the
supervisor, shown on the case page."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case, Channel, SourceReference
from notifications.clue_alerts import clue_deadline_scan
from notifications.models import Alert
from notifications.scans import alerts_scan
from tests.notifications.support import file

MONDAY = dt.date(2026, 11, 16)  # a working week: the 3rd working day after is Thursday 19th


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def clue(ref: str, due: dt.date, **kw) -> SourceReference:
    case = file(**kw)
    return SourceReference.objects.create(
        channel=Channel.PLATFORM, ref=ref, case=case, platform_due=due
    )


def alerts(reference):
    return list(
        Alert.objects.filter(source_reference=reference)
        .order_by("pk")
        .values_list("reason", "status")
    )


def test_it_warns_of_a_clue_due_within_the_working_days(rules, people):
    near = clue("XQ-NEAR", MONDAY + dt.timedelta(days=2))
    later = clue("XQ-LATER", MONDAY + dt.timedelta(days=4), start=1)  # Friday: 4 working days

    raised = clue_deadline_scan(now=at(MONDAY))

    assert alerts(near) == [("clue_due_soon", "open")]
    assert alerts(later) == []
    alert = Alert.objects.get(pk=raised[0])
    assert alert.case_id == near.case_id and alert.level == "yellow"
    assert (
        alert.message
        == f"{near.case.number} 国家平台线索XQ-NEAR的办理期限为2026-11-18，还剩2个工作日"
    )
    assert set(alert.notify_users.values_list("username", flat=True)) == {"insp_x", "sup"}


def test_it_warns_of_an_overdue_clue_and_replaces_the_nearing_warning(rules, people):
    reference = clue("XQ-LATE", MONDAY - dt.timedelta(days=3))  # the Friday before
    soon = clue("XQ-SOON", MONDAY + dt.timedelta(days=1), start=1)
    clue_deadline_scan(now=at(MONDAY))
    assert alerts(reference) == [("clue_overdue", "open")]
    assert Alert.objects.get(source_reference=reference).message.endswith(
        "已超过办理期限2026-11-13（逾期3天）"
    )

    clue_deadline_scan(now=at(MONDAY + dt.timedelta(days=2)))  # soon's day has passed

    assert alerts(soon) == [("clue_due_soon", "resolved"), ("clue_overdue", "open")]


def test_a_closed_case_raises_no_alert(rules, people):
    reference = clue("XQ-CLOSED", MONDAY - dt.timedelta(days=1))
    Case.objects.filter(pk=reference.case_id).update(state="closed")

    assert clue_deadline_scan(now=at(MONDAY)) == []
    assert alerts(reference) == []


def test_the_next_scan_does_not_repeat_a_warning(rules, people):
    near = clue("XQ-ONCE", MONDAY + dt.timedelta(days=1))
    late = clue("XQ-TWICE", MONDAY - dt.timedelta(days=5), start=1)
    first = alerts_scan(now=at(MONDAY))
    Alert.objects.filter(source_reference=near).update(status="acknowledged")

    second = alerts_scan(now=at(MONDAY))
    again = clue_deadline_scan(now=at(MONDAY + dt.timedelta(hours=1)))

    clue_alerts = Alert.objects.filter(source_reference__isnull=False)
    assert set(clue_alerts.values_list("pk", flat=True)) <= set(first.alerts)
    assert not set(clue_alerts.values_list("pk", flat=True)) & set(second.alerts)
    assert again == []
    assert alerts(near) == [("clue_due_soon", "acknowledged")]
    assert alerts(late) == [("clue_overdue", "open")]


def test_the_case_page_shows_the_clue_and_its_alert(rules, people):
    reference = clue("XQ-PAGE", MONDAY - dt.timedelta(days=1))
    clue_deadline_scan(now=at(MONDAY))
    client = Client()
    client.force_login(people["inspector"])

    page = client.get(f"/workbench/cases/{reference.case.number}/").content.decode()

    assert 'data-clue="XQ-PAGE"' in page
    assert 'data-reason="clue_overdue"' in page
    assert "国家平台线索XQ-PAGE已超过办理期限2026-11-15" in page


@pytest.mark.parametrize("who", ["other_inspector"])
def test_another_townships_inspector_is_not_named(rules, people, who):
    reference = clue("XQ-TOWN", MONDAY)
    clue_deadline_scan(now=at(MONDAY))
    alert = Alert.objects.get(source_reference=reference)
    assert people[who] not in alert.notify_users.all()
