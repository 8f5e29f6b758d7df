import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from employment import selectors
from tests.employment import support

pytestmark = pytest.mark.django_db

URLS = ["/employment/ledger/", "/employment/mine/", "/api/v1/employment/ledger/"]


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_it_lists_the_ledger_in_the_same_queries_however_many_people():
    county = support.county()
    village = support.village()
    plant = support.plant(county)
    for i in range(2):
        support.entry(county, i, village, plant=plant)
    c = Client()
    c.force_login(county)
    for url in URLS:
        c.get(url)  # first reads of the process (rule tables, sessions)
    few = {url: queries(c, url) for url in URLS}
    for i in range(2, 12):
        support.entry(county, i, support.village(f"村{i}"), plant=plant)
    assert {url: queries(c, url) for url in URLS} == few


def test_it_computes_the_screen_figures_in_a_few_queries():
    county = support.county()
    village = support.village()
    plant = support.plant(county)
    for i in range(6):
        support.entry(county, i, village, plant=plant)
    with CaptureQueriesContext(connection) as captured:
        selectors._screen_summary(dt.date.today())
    assert len(captured) <= 10
