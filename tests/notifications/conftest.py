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


@pytest.fixture(autouse=True)
def sync_thread_connections_closed():
    """The sockets' database calls run on asgiref's one shared sync thread. channels used
    to close that thread's connections before every socket message; the consumer skips
    that hop now (notifications/consumers.py dispatch), so a test that leaves a
    connection there would keep the test database from being dropped at the end."""
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=10)
