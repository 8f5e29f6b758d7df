import pytest

from tests.factories import staff
from tests.workflows.support import client_for


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Staff are made with create_user: with the production hasher (PBKDF2, a million
    rounds) each user cost about half a second of CPU. No test here checks a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(db):
    return {
        "township": staff("township1", "township_reviewer"),
        "township_b": staff("township1b", "township_reviewer"),
        # Enters the applications the others decide: whoever enters an application
        # decides none of its steps.
        "clerk": staff("township1c", "township_reviewer"),
        "other_township": staff("township2", "township_reviewer", townships=("zhaokang",)),
        "county": staff("county", "county_reviewer", townships=(), county_level=True),
        "supervisor": staff("supervisor", "supervisor", townships=(), county_level=True),
        "finance": staff("finance", "finance", townships=(), county_level=True),
        "inspector": staff("inspector1", "inspector"),
    }


@pytest.fixture
def township_api(people):
    return client_for(people["township"])


@pytest.fixture
def entry_api(people):
    return client_for(people["clerk"])
