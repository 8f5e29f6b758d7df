import pytest

from tests.factories import staff


@pytest.fixture
def people(db):
    return {
        "inspector": staff("insp_a", "inspector"),
        "inspector_b": staff("insp_b", "inspector"),
        "mediator": staff("med", "mediator"),
        "arbitrator": staff("arb", "arbitrator"),
        "supervisor": staff("sup", "supervisor", townships=(), county_level=True),
        "other_township": staff("insp_z", "inspector", townships=("zhaokang",)),
        "other_arbitrator": staff("arb_z", "arbitrator", townships=("zhaokang",)),
    }
