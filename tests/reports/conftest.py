import pytest

from tests.factories import staff


@pytest.fixture
def people(db):
    return {
        "inspector": staff("insp_a", "inspector"),
        "arbitrator": staff("arb", "arbitrator"),
        "supervisor": staff("sup", "supervisor", townships=(), county_level=True),
        "other_township": staff("insp_z", "inspector", townships=("zhaokang",)),
        "station_z": staff("twp_z", "township_reviewer", townships=("zhaokang",)),
    }
