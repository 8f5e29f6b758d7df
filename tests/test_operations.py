"""Health check, OpenAPI schema and docs, the home page."""

from rest_framework.test import APIClient


def test_it_reports_health(db):
    response = APIClient().get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok"}


def test_it_serves_the_openapi_schema_and_docs_without_a_cdn(db):
    client = APIClient()
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/complaints/",
        "/api/v1/complaints/{case_number}/",
        "/api/v1/cases/",
        "/api/v1/cases/{case_number}/transitions/{name}/",
        "/api/v1/townships/",
    ):
        assert path in paths
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "cdn" not in html.lower()
    assert "/static/drf_spectacular_sidecar/" in html


def test_it_lists_the_townships_for_anyone(db):
    response = APIClient().get("/api/v1/townships/")

    assert response.status_code == 200
    assert {"code": "xincheng", "name": "新城镇"} in response.json()
    assert len(response.json()) == 14


def test_it_answers_unknown_api_paths_with_json(db):
    response = APIClient().get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_it_serves_the_home_page_in_chinese(db):
    response = APIClient().get("/")

    assert response.status_code == 200
    assert "劳动维权" in response.content.decode()
