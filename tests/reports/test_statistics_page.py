"""The statistics page: figures for what the user may read, each linked to its cases."""

import datetime as dt

from tests.factories import claimant, file_case

NOVEMBER = "?month=2026-11"


def test_it_shows_the_months_figures_linked_to_their_cases(people, client):
    file_case(received_on=dt.date(2026, 11, 3), claimants=[claimant(0)])
    file_case(received_on=dt.date(2026, 11, 4), claimants=[claimant(1)])
    file_case(received_on=dt.date(2026, 10, 30), claimants=[claimant(2)])
    client.force_login(people["supervisor"])

    response = client.get("/reports/" + NOVEMBER)

    assert response.status_code == 200
    cards = {card["label"]: card for card in response.context["cards"]}
    assert cards["收案数"]["value"] == 2
    listed = client.get(cards["收案数"]["url"]).context["page"].object_list
    assert len(listed) == 2


def test_it_counts_only_the_townships_the_user_works(people, client):
    file_case(received_on=dt.date(2026, 11, 3), claimants=[claimant(0)])
    file_case(received_on=dt.date(2026, 11, 3), claimants=[claimant(1)], township="zhaokang")
    client.force_login(people["station_z"])

    response = client.get("/reports/" + NOVEMBER)

    assert response.context["report"]["cases"]["counts"]["received"] == 1
    assert [row["label"] for row in response.context["by_township"]] == ["赵康镇"]


def test_it_says_what_is_wrong_with_a_period(people, client):
    client.force_login(people["supervisor"])

    response = client.get("/reports/?period_from=2026-11-30&period_to=2026-11-01")

    assert response.status_code == 400
    assert "统计期间不正确" in response.content.decode()


def test_it_is_closed_to_case_handlers_who_have_their_queue(people, client):
    client.force_login(people["inspector"])

    assert client.get("/reports/").status_code == 403


def test_it_is_closed_to_people_without_a_staff_role(client, django_user_model):
    user = django_user_model.objects.create_user("someone", password="pw-for-tests-1")
    client.force_login(user)

    assert client.get("/reports/").status_code == 403


def test_it_exports_the_report_with_labels(people, client):
    from io import BytesIO

    from openpyxl import load_workbook

    file_case(received_on=dt.date(2026, 11, 3), claimants=[claimant(0)])
    client.force_login(people["supervisor"])

    response = client.get("/reports/statistics.xlsx" + NOVEMBER)

    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    figures = {row[0]: row[1] for row in workbook["案件统计"].iter_rows(values_only=True)}
    assert figures["收案数"] == 1
    townships = list(workbook["分乡镇"].iter_rows(values_only=True))
    assert townships[1][0] == "新城镇" and townships[1][1] == 1
