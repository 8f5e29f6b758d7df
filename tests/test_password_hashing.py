"""Passwords are hashed with Argon2id; an older PBKDF2 hash verifies and is replaced by
an Argon2 one at the user's next sign-in."""

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from tests.factories import staff

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests/factories.staff


@pytest.fixture(autouse=True)
def production_hashers(settings):
    """The tests run with a fast hasher (tests/settings.py); these check the real list."""
    import config.settings as project

    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS


def test_it_hashes_new_passwords_with_argon2():
    assert staff("insp_argon", "inspector").password.startswith("argon2$argon2id$")


def test_it_upgrades_a_pbkdf2_hash_at_the_next_sign_in():
    user = staff("insp_old", "inspector")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = Client().post(
        "/accounts/login/", {"username": "insp_old", "password": PASSWORD, "next": "/workbench/"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
