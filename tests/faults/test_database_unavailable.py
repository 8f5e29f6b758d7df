"""The database unreachable: 503 in Chinese with Retry-After, JSON under /api/ and a page
elsewhere, never a 500 (config/errors.py). The outage is simulated in-process here; the
real one is tests/faults/test_postgres_restart.py."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from config.errors import DATABASE_UNAVAILABLE
from tests.notifications.servers import red_complaint

pytestmark = pytest.mark.django_db


def database_down():
    """Every new cursor fails as it does when PostgreSQL refuses connections."""
    error = OperationalError("connection failed: Connection refused")
    return mock.patch("django.db.backends.base.base.BaseDatabaseWrapper.cursor", side_effect=error)


@pytest.mark.parametrize("debug", [True, False])
def test_the_api_answers_503_json_while_the_database_is_down(settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.post(
            "/api/v1/complaints/", red_complaint(1), content_type="application/json"
        )

    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_UNAVAILABLE, "errors": {}}
    assert response["Retry-After"] == "30"


@pytest.mark.parametrize("debug", [True, False])
def test_a_page_answers_a_503_page_in_chinese(settings, debug):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.get("/complaint/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert response["Retry-After"] == "30"
    assert "系统暂时无法连接数据库" in response.content.decode()


def test_an_outage_outside_a_view_gets_the_503_too(settings):
    """A middleware (the session's save, say) is not a view: Django's 500 handler answers
    there, and it recognises the outage too (DEBUG off, as in production)."""
    settings.DEBUG = False
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.faults.test_database_unavailable.Boom"]
    client = Client(raise_request_exception=False)

    response = client.get("/api/v1/townships/")

    assert response.status_code == 503
    assert response.json()["detail"] == DATABASE_UNAVAILABLE


def test_other_errors_stay_500(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)

    with mock.patch("cases.api.TownshipList.get", side_effect=ValueError("a bug")):
        response = client.get("/api/v1/townships/")

    assert response.status_code == 500
    assert "Retry-After" not in response


class Boom:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("server closed the connection unexpectedly")
