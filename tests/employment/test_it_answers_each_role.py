"""The ledger's own authorization matrix: every endpoint x the ledger's roles, a case
role and anonymous, for a person in the user's reach ("own") and one outside ("other").
Written out by hand from docs/employment.md, not derived from the code."""

import datetime as dt

import pytest
from django.test import Client

from employment.models import ServiceItem
from tests.employment import support

pytestmark = pytest.mark.django_db

ROLES = ["steward", "station", "county", "supervisor", "inspector", "anonymous"]

# fmt: off
#                    steward station county  superv  inspect anonymous
EXPECTED = {
    "villages":        "200/200 200/200 200/200 200/200 403/403 401/401",
    "ledger":          "200/200 200/200 200/200 200/200 403/403 401/401",
    "entry":           "200/404 200/404 200/200 200/200 403/403 401/401",
    "due":             "200/200 200/200 200/200 200/200 403/403 401/401",
    "plants":          "200/200 200/200 200/200 200/200 403/403 401/401",
    "postings":        "200/200 200/200 200/200 200/200 403/403 401/401",
    "progress":        "403/403 200/200 200/200 200/200 403/403 401/401",
    "dispatch":        "403/403 200/200 200/200 200/200 403/403 401/401",
    "page_mine":       "200/200 200/200 200/200 200/200 403/403 302/302",
    "page_entry":      "200/404 200/404 200/200 200/200 403/403 302/302",
    "page_dispatch":   "403/403 200/200 200/200 200/200 403/403 302/302",
    # writes last
    "complete":        "200/404 200/404 200/200 200/200 403/403 401/401",
    "status":          "200/404 200/404 200/200 200/200 403/403 401/401",
}
# fmt: on


@pytest.fixture
def world():
    county = support.county("county-x")
    east = support.village("东村")
    far = support.village("北村", township="zhaokang")
    own = support.entry(county, 0, east)
    other = support.entry(county, 1, far)
    users = {
        "steward": support.user("s", "employment_steward", villages=[east]),
        "station": support.user("t", "employment_station", townships=["xincheng"]),
        "county": support.county("c"),
        "supervisor": support.user("v", "supervisor", county_level=True),
        "inspector": support.user("i", "inspector", townships=["xincheng"]),
        "anonymous": None,
    }
    return {"own": own, "other": other, "users": users}


def request(client, name, entry):
    today = dt.date.today()
    guidance = ServiceItem.objects.get(entry=entry, kind="guidance")
    return {
        "villages": lambda: client.get("/api/v1/employment/villages/"),
        "ledger": lambda: client.get("/api/v1/employment/ledger/"),
        "entry": lambda: client.get(f"/api/v1/employment/ledger/{entry.pk}/"),
        "due": lambda: client.get("/api/v1/employment/services/due/"),
        "plants": lambda: client.get("/api/v1/employment/plants/"),
        "postings": lambda: client.get("/api/v1/employment/postings/"),
        "progress": lambda: client.get("/api/v1/employment/progress/"),
        "dispatch": lambda: client.get(f"/api/v1/employment/dispatch/?year={today.year}&month=1"),
        "page_mine": lambda: client.get("/employment/mine/"),
        "page_entry": lambda: client.get(f"/employment/ledger/{entry.pk}/"),
        "page_dispatch": lambda: client.get("/employment/dispatch/"),
        "complete": lambda: client.post(
            f"/api/v1/employment/services/{guidance.pk}/complete/",
            {},
            content_type="application/json",
        ),
        "status": lambda: client.post(
            f"/api/v1/employment/ledger/{entry.pk}/status/",
            {"status": "left"},
            content_type="application/json",
        ),
    }[name]()


@pytest.mark.parametrize("role", ROLES)
def test_it_answers_each_role_as_the_table_says(role, world):
    client = Client()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    for name, row in EXPECTED.items():
        own, other = row.split()[ROLES.index(role)].split("/")
        for where, status in (("own", own), ("other", other)):
            entry = world[where]
            answer = request(client, name, entry)
            assert answer.status_code == int(status), (name, role, where, answer.content[:200])
