import pytest

from tests.factories import staff
from tests.notifications.support import rules_without_season


@pytest.fixture
def reference_data(db):
    """Transactional tests flush the rows the data migrations loaded: load them again
    (idempotent, cheap for the ordinary tests)."""
    from django.apps import apps

    from cases import reference
    from rules import risk_reference

    reference.load(apps)
    risk_reference.load(apps)


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
