"""A NUL byte in a URL or parameter is a 400 with a message, never a database error."""

import pytest

from config.middleware import NUL_REFUSED


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/complaints/XF%00X/?query_code=ABC",
        "/api/v1/complaints/XF-2026-000001/?query_code=A%00B",
        "/status/XF%00X/",
        "/api/v1/cases/?state=sub%00mitted",
    ],
)
def test_a_nul_byte_in_the_url_is_refused_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_a_form_post_is_refused(client):
    body = "case_number=XF%00&query_code=ABC"
    response = client.post("/status/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()


@pytest.mark.django_db
def test_a_nul_byte_in_a_multipart_look_up_is_an_unknown_case(client):
    response = client.post("/status/", {"case_number": "XF\x00", "query_code": "ABC"})
    assert response.status_code in (200, 400, 404)
    assert "案件编号或查询码不正确" in response.content.decode()


@pytest.mark.django_db
def test_ordinary_requests_pass(client):
    assert client.get("/status/").status_code == 200


@pytest.mark.django_db
def test_a_nul_in_a_json_body_is_refused_before_any_query(client):
    body = '{"kind": "wage_arrears", "employer": {"name": "x", "township": "\\u0000"}}'
    response = client.post("/api/v1/complaints/", body, content_type="application/json")
    assert response.status_code == 400
    assert NUL_REFUSED in response.content.decode()
