import pytest

from tests.factories import staff
from tests.notifications.support import rules_without_season


@pytest.fixture
def rules(db):
    return rules_without_season()


@pytest.fixture
def people(db):
    return {
        "inspector": staff("insp_x", "inspector"),
        "other_inspector": staff("insp_z", "inspector", townships=("zhaokang",)),
        "supervisor": staff("sup", "supervisor", townships=(), county_level=True),
        "screen": staff("screen", "screen", townships=()),
    }
