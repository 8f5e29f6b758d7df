import pytest

from tests.workflows.support import client_for, staff


@pytest.fixture
def people(db):
    return {
        "township": staff("township1", "township_reviewer"),
        "township_b": staff("township1b", "township_reviewer"),
        "other_township": staff("township2", "township_reviewer", townships=("zhaokang",)),
        "county": staff("county", "county_reviewer", townships=(), county_level=True),
        "supervisor": staff("supervisor", "supervisor", townships=(), county_level=True),
        "finance": staff("finance", "finance", townships=(), county_level=True),
        "inspector": staff("inspector1", "inspector"),
    }


@pytest.fixture
def township_api(people):
    return client_for(people["township"])
