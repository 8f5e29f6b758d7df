import pytest
from django.test import Client

from employment import errors, services
from employment.models import Status
from tests.employment import support

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    east, west = support.village("东村"), support.village("西村")
    far = support.village("北村", township="zhaokang")
    county = support.county()
    people = {
        "east": support.entry(county, 0, east),
        "west": support.entry(county, 1, west),
        "far": support.entry(county, 2, far),
    }
    steward = support.user("steward-east", "employment_steward", villages=[east])
    station = support.user("station-x", "employment_station", townships=["xincheng"])
    return {"people": people, "steward": steward, "station": station, "county": county}


def client(user):
    c = Client()
    c.force_login(user)
    return c


def test_it_shows_a_steward_only_their_villages_people(world):
    steward = client(world["steward"])
    east, west = world["people"]["east"], world["people"]["west"]
    assert steward.get(f"/employment/ledger/{east.pk}/").status_code == 200
    assert steward.get(f"/employment/ledger/{west.pk}/").status_code == 404
    listed = steward.get("/api/v1/employment/ledger/").json()
    assert [row["id"] for row in listed["results"]] == [east.pk]
    assert steward.get(f"/api/v1/employment/ledger/{west.pk}/").status_code == 404


def test_it_refuses_a_stewards_write_to_another_village(world):
    west = world["people"]["west"]
    with pytest.raises(errors.NotFound):
        services.ledger_status_change(actor=world["steward"], entry_id=west.pk, status=Status.LEFT)
    response = client(world["steward"]).post(
        f"/api/v1/employment/ledger/{west.pk}/status/",
        {"status": "left"},
        content_type="application/json",
    )
    assert response.status_code == 404
    west.refresh_from_db()
    assert west.status == Status.UNEMPLOYED
    assert west.events.count() == 1


def test_it_shows_the_station_its_township_and_the_county_everything(world):
    station = client(world["station"]).get("/api/v1/employment/ledger/").json()
    assert {row["township"] for row in station["results"]} == {"xincheng"}
    assert station["count"] == 2
    everything = client(world["county"]).get("/api/v1/employment/ledger/").json()
    assert everything["count"] == 3


def test_it_lets_a_case_inspector_not_into_the_ledger(world):
    from tests.factories import staff

    inspector = staff("inspector-x", "inspector")
    assert client(inspector).get("/employment/ledger/").status_code == 403
    assert client(inspector).get("/api/v1/employment/ledger/").status_code == 403
