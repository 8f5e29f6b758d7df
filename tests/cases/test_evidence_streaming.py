"""API evidence uploads check the declared size, the case and a worker's query code
before reading the body, and stop reading as soon as the file passes the cap: a 50 MB
upload is refused at once with 413 and nothing is kept."""

import io
import time

import pytest
from django.core.cache import cache
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from rest_framework.test import APIClient

from cases import api, errors, filing, services
from cases.models import Evidence
from core import roles
from core.models import Township
from tests.cases.complaint_support import PDF_BYTES, id_number
from tests.factories import staff

pytestmark = pytest.mark.django_db

FIFTY_MB = 50 * 1024 * 1024


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def filed():
    return filing.complaint_file(
        kind="wage_arrears",
        employer_name="襄汾县证据测试建筑有限公司",
        township=Township.objects.get(code="xincheng"),
        claimants=[
            filing.ClaimantInput(
                name="工人一", id_number=id_number(1), phone="13800000001", amount_claimed=5000
            )
        ],
        description="拖欠工资，有工资条和照片。",
    )


class Unread(io.RawIOBase):
    """A request body that must not be read at all."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


class Counting(io.BytesIO):
    def __init__(self, data):
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.consumed += len(line)
        return line


def post_raw(path, body_stream, length, client=None, **headers):
    client = client or APIClient()
    return client.generic(
        "POST",
        path,
        content_type=MULTIPART_CONTENT,
        **{"wsgi.input": body_stream, "CONTENT_LENGTH": str(length), **headers},
    )


def stored(tmp_path):
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_wrong_code_is_refused_before_the_body_is_read(filed, tmp_path):
    path = f"/api/v1/complaints/{filed.case.number}/evidence/?query_code=WRONG234"

    response = post_raw(path, Unread(), 5 * 1024 * 1024)

    assert response.status_code == 404
    assert response.json()["detail"] == errors.UNKNOWN_CASE_OR_CODE


def test_a_code_in_the_header_is_checked_before_the_body_too(filed):
    path = f"/api/v1/complaints/{filed.case.number}/evidence/"

    response = post_raw(path, Unread(), 5 * 1024 * 1024, HTTP_X_QUERY_CODE="WRONG234")

    assert response.status_code == 404


def test_a_declared_fifty_megabytes_are_refused_at_once(filed, tmp_path):
    path = f"/api/v1/complaints/{filed.case.number}/evidence/?query_code={filed.query_code}"

    started = time.monotonic()
    response = post_raw(path, Unread(), FIFTY_MB)

    assert time.monotonic() - started < 2
    assert response.status_code == 413
    message = services.EVIDENCE_TOO_LARGE.split("{limit}")[0]
    assert response.json()["detail"].startswith(message)
    assert not Evidence.objects.exists() and stored(tmp_path) == []


def test_staff_uploads_check_the_case_before_the_body(filed):
    outsider = staff("zk_inspector", roles.INSPECTOR, townships=["zhaokang"])
    client = APIClient()
    client.force_authenticate(outsider)

    response = post_raw(f"/api/v1/cases/{filed.case.number}/evidence/", Unread(), 1024, client)

    assert response.status_code == 404


def test_a_body_longer_than_declared_stops_at_the_cap(filed, tmp_path, settings, monkeypatch):
    """A chunked or understated upload: the stream is cut off at the cap, not read on."""
    settings.EVIDENCE_MAX_BYTES = 100 * 1024
    monkeypatch.setattr(api, "UPLOAD_OVERHEAD_BYTES", 10 * 1024 * 1024)  # past the declared check
    content = PDF_BYTES + b"%" * (2 * 1024 * 1024)
    body = encode_multipart(BOUNDARY, {"file": io.BytesIO(content)}).replace(
        b'filename=""', b'filename="big.pdf"'
    )
    stream = Counting(body)
    user = staff("evidence_inspector", roles.INSPECTOR, townships=["xincheng"])
    client = APIClient()
    client.force_authenticate(user)

    response = post_raw(f"/api/v1/cases/{filed.case.number}/evidence/", stream, len(body), client)

    assert response.status_code == 413
    assert stream.consumed < 400 * 1024  # the cap and a chunk or two, not 2 MB
    assert not Evidence.objects.exists() and stored(tmp_path) == []


def test_a_file_within_the_cap_is_still_accepted(filed):
    path = f"/api/v1/complaints/{filed.case.number}/evidence/?query_code={filed.query_code}"
    body = encode_multipart(BOUNDARY, {"file": io.BytesIO(PDF_BYTES)})
    body = body.replace(b'filename=""', b'filename="a.pdf"')

    response = post_raw(path, Counting(body), len(body))

    assert response.status_code == 201, response.content


def test_it_answers_a_form_encoded_upload_without_a_file_with_400(db):
    # Found by the API fuzzer: the NUL-byte middleware had parsed the form body, and
    # setting the upload handlers afterwards raised (a 500).
    from django.test import Client

    response = Client().post(
        "/api/v1/complaints/XF-2026-000001/evidence/",
        "query_code=ABCD2345&file=",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code in (400, 404)
