"""Every subsidy figure of the statistics page links to the list of the applications it
counts (one definition: workflows.statistics.figure_applications), and the figures are
also given per funding source."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from rules.models import SubsidyPolicy
from tests.workflows.support import client_for, payload, person, submit
from workflows.models import ApplicationEvent, SubsidyApplication

NOV = "period_from=2026-11-01&period_to=2026-11-30"


def at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def november(people):
    """Five applications: received in November or before, approved in November or
    October, paid in November, in two townships and two funding sources."""
    clerk, other = client_for(people["clerk"]), client_for(people["other_township"])
    made = [
        submit(clerk, payload(uscc_index=1, name="襄汾县甲商贸有限公司")),
        submit(
            clerk,
            payload(
                "absorption",
                uscc_index=2,
                name="襄汾县乙面粉有限公司",
                beneficiaries=[person(2), person(3)],
            ),
        ),
        submit(
            clerk, payload(uscc_index=3, name="襄汾县丙物流有限公司", beneficiaries=[person(4)])
        ),
        submit(other, payload(uscc_index=4, township="zhaokang", beneficiaries=[person(5)])),
        submit(
            clerk, payload(uscc_index=5, name="襄汾县戊建材有限公司", beneficiaries=[person(6)])
        ),
    ]
    post, absorption, paid, zhaokang, october = (
        SubsidyApplication.objects.get(pk=body["id"]) for body in made
    )
    for app, day in [(post, 5), (absorption, 12), (paid, 3), (zhaokang, 20)]:
        SubsidyApplication.objects.filter(pk=app.pk).update(created_at=at(dt.date(2026, 11, day)))
    SubsidyApplication.objects.filter(pk=october.pk).update(created_at=at(dt.date(2026, 10, 2)))

    def approve(app, day):
        ApplicationEvent.objects.create(
            application=app,
            step="supervisor_review",
            action="approve",
            from_state="supervisor_review",
            to_state="awaiting_payment",
            created_at=at(day),
        )

    approve(absorption, dt.date(2026, 11, 20))
    approve(paid, dt.date(2026, 11, 10))
    approve(october, dt.date(2026, 10, 30))  # approved before the period: not counted
    SubsidyApplication.objects.filter(pk=paid.pk).update(
        state="paid", paid_amount=Decimal("900.00"), paid_on=dt.date(2026, 11, 25)
    )
    SubsidyApplication.objects.filter(pk=october.pk).update(
        state="paid", paid_amount=Decimal("300.00"), paid_on=dt.date(2026, 11, 2)
    )


def rows_of(html: str, by: str) -> dict[str, dict[str, tuple[int, str]]]:
    """{row key: {figure: (count shown, link)}} of one subsidy table of the page."""
    table = re.search(
        rf'<table class="report-table" data-subsidies="{by}">(.*?)</table>', html, re.S
    )
    assert table, by
    found = {}
    for key, body in re.findall(r'<tr data-key="([^"]+)">(.*?)</tr>', table.group(1), re.S):
        links = re.findall(r'<a href="([^"]+)" data-figure="(\w+)">(\d+)</a>', body)
        found[key] = {figure: (int(n), url.replace("&amp;", "&")) for url, figure, n in links}
    return found


def test_each_subsidy_figure_links_to_exactly_the_applications_it_counts(people, november):
    client = Client()
    client.force_login(people["supervisor"])
    html = client.get(f"/reports/?{NOV}").content.decode()

    checked = 0
    for by in ("policy", "township", "funding_source"):
        rows = rows_of(html, by)
        assert rows, by
        for key, figures in rows.items():
            assert set(figures) == {"received", "approved", "paid"}
            for figure, (count, url) in figures.items():
                listed = client.get(url)
                assert listed.status_code == 200
                shown = listed.content.decode().count("<tr data-application=")
                assert shown == count == listed.context["totals"]["count"], (by, key, figure)
                checked += 1
    assert checked == 3 * (2 + 2 + 2)  # 2 policies, 2 townships, 2 funding sources
    township = rows_of(html, "township")
    assert township["xincheng"]["received"][0] == 3
    assert township["xincheng"]["approved"][0] == 2
    assert township["xincheng"]["paid"][0] == 2  # paid in November, approved in October


def test_the_figures_per_funding_source(people, november):
    client = Client()
    client.force_login(people["supervisor"])
    report = client.get(f"/reports/?{NOV}").context["report"]

    rows = {row["key"]: row for row in report["subsidies_by_funding_source"]}
    # post -> 就业补助资金; absorption -> 失业保险基金 (rules/policies.py FUNDING)
    assert rows["employment_fund"]["label"] == "就业补助资金"
    assert (rows["employment_fund"]["received"], rows["employment_fund"]["paid"]) == (3, 2)
    assert rows["employment_fund"]["paid_amount"] == "1200.00"
    assert rows["employment_fund"]["paid_people"] == 2
    assert rows["unemployment_insurance"]["label"] == "失业保险基金"
    assert (
        rows["unemployment_insurance"]["received"],
        rows["unemployment_insurance"]["approved"],
    ) == (1, 1)


def test_every_policy_has_a_funding_source(people):
    sources = dict(SubsidyPolicy.objects.values_list("code", "funding_source"))
    assert sources["rent"] == "local_budget"
    assert sources["startup_loan"] == "loan_guarantee"
    assert set(sources) >= {"post", "absorption", "social_insurance", "job_placement", "startup"}


def test_a_figure_without_its_period_is_refused_with_a_message(people, november):
    client = Client()
    client.force_login(people["supervisor"])

    page = client.get("/subsidies/applications/?figure=paid")

    assert page.status_code == 200
    assert "按统计指标筛选须同时填写统计期间起止日期。" in page.content.decode()
    assert page.context["totals"]["count"] == SubsidyApplication.objects.count()


def test_the_export_has_the_funding_source_sheet(people, november):
    import io

    from openpyxl import load_workbook

    client = Client()
    client.force_login(people["supervisor"])
    book = load_workbook(io.BytesIO(client.get(f"/reports/statistics.xlsx?{NOV}").content))
    sheet = book["补贴(按资金来源)"]
    rows = list(sheet.values)
    assert rows[0][0] == "资金来源"
    assert {row[0] for row in rows[1:]} == {"就业补助资金", "失业保险基金"}
