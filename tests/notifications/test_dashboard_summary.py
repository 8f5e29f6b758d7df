"""GET /api/v1/dashboard/summary/: the command screen's figures, from aggregates."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Case, Claim
from notifications.summary import dashboard_summary
from tests.notifications.support import file


def test_it_sums_up_the_county(rules, people):
    today = timezone.localdate()
    big = file(count=12, amount="1000.00", employer="甲公司")
    small = file(count=1, amount="500.00", employer="乙公司", start=50, township="zhaokang")
    closed = file(count=2, amount="800.00", employer="丙公司", start=60)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    Claim.objects.filter(case=closed).update(amount_recovered="800.00")
    Case.objects.filter(pk=small.pk).update(
        deadline=today - dt.timedelta(days=1), risk_level="red", accepted_on=today
    )
    Case.objects.filter(pk=big.pk).update(state="investigating", accepted_on=today)
    client = APIClient()
    client.force_authenticate(people["screen"])

    figures = client.get("/api/v1/dashboard/summary/").json()

    assert figures["open_cases"] == 2 and figures["collective_cases"] == 1
    assert figures["workers_involved"] == 13 and figures["overdue_cases"] == 1
    assert figures["amount_claimed"] == "14100.00" and figures["amount_recovered"] == "1600.00"
    states = {s["state"]: s["count"] for s in figures["by_state"]}
    assert (states["submitted"], states["investigating"], states["closed"]) == (1, 1, 1)
    townships = {t["code"]: t for t in figures["by_township"]}
    assert (townships["xincheng"]["open"], townships["zhaokang"]["red"]) == (1, 1)
    assert figures["risk"]["red"] == 1
    wage = next(a for a in figures["acceptance"] if a["kind"] == "wage_arrears")
    assert (wage["median_days"], wage["cases"], wage["limit_days"]) == (0.0, 2, 5)
    assert len(figures["trend"]) == 30 and figures["trend"][-1]["received"] == 3


def test_it_costs_a_fixed_number_of_queries(rules):
    for i in range(3):
        file(employer=f"公司{i}", start=i * 5, count=2)
    dashboard_summary(fresh=True)  # the rule tables' first read in this process (rules.memo)

    with CaptureQueriesContext(connection) as few:
        dashboard_summary(fresh=True)
    for i in range(3, 8):
        file(employer=f"公司{i}", start=i * 5, count=2)
    with CaptureQueriesContext(connection) as more:
        dashboard_summary(fresh=True)

    assert len(more) == len(few) <= 16


def test_it_is_for_staff_only(rules):
    client = APIClient()

    assert client.get("/api/v1/dashboard/summary/").status_code == 401
