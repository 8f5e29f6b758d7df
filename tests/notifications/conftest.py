import pytest

from tests.factories import staff
from tests.notifications.support import rules_without_season


@pytest.fixture
def rules(reference_data):
    return rules_without_season()


@pytest.fixture
def people(reference_data):
    return {
        "inspector": staff("insp_x", "inspector"),
        "other_inspector": staff("insp_z", "inspector", townships=("zhaokang",)),
        "supervisor": staff("sup", "supervisor", townships=(), county_level=True),
        "screen": staff("screen", "screen", townships=()),
    }
