"""Evidence uploads: photos and PDFs recognised by content, stored once, with an event.

Staff upload at POST /api/v1/cases/{n}/evidence/; the worker at
POST /api/v1/complaints/{n}/evidence/ with the case's query code.
"""

import hashlib
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from rest_framework.test import APIClient

from cases import errors, filing, services
from cases.api import UNKNOWN_CASE_OR_CODE
from cases.models import CaseEvent, Evidence
from core import roles
from core.models import Township
from tests.cases.complaint_support import JPEG_BYTES, PDF_BYTES, id_number, png_bytes
from tests.factories import staff

pytestmark = pytest.mark.django_db

WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 40

NOT_EVIDENCE = {
    "windows-exe": b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
    "elf": b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64,
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40,
    "text": "工资条：三月 4500 元，四月 4500 元。".encode(),
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    cache.clear()


@pytest.fixture
def filed():
    result = filing.complaint_file(
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
    return result


@pytest.fixture
def case(filed):
    return filed.case


@pytest.fixture
def staff_client():
    user = staff("evidence_inspector", roles.INSPECTOR, townships=["xincheng"])
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def staff_upload(client, case, file):
    return client.post(f"/api/v1/cases/{case.number}/evidence/", {"file": file}, format="multipart")


def worker_upload(case_number, code, file):
    data = {"file": file}
    if code is not None:
        data["query_code"] = code
    return APIClient().post(f"/api/v1/complaints/{case_number}/evidence/", data, format="multipart")


def stored_files(root: Path):
    return [p for p in root.rglob("*") if p.is_file()]


def assert_nothing_stored(tmp_path):
    assert not Evidence.objects.exists()
    assert not CaseEvent.objects.filter(transition="evidence_added").exists()
    assert stored_files(tmp_path) == []


# --- accepted evidence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, mime, extension",
    [
        ("工资条.png", png_bytes(), "image/png", ".png"),
        ("现场照片.jpg", JPEG_BYTES, "image/jpeg", ".jpg"),
        ("劳动合同.pdf", PDF_BYTES, "application/pdf", ".pdf"),
        ("聊天截图.webp", WEBP_BYTES, "image/webp", ".webp"),
    ],
)
def test_it_stores_a_staff_upload_with_its_sha256_and_an_event(
    staff_client, case, tmp_path, name, content, mime, extension
):
    response = staff_upload(staff_client, case, upload(name, content))
    assert response.status_code == 201, response.content
    sha256 = hashlib.sha256(content).hexdigest()
    body = response.json()
    assert body["sha256"] == sha256
    assert body["content_type"] == mime
    assert body["size"] == len(content)
    assert body["original_name"] == name

    evidence = Evidence.objects.get(pk=body["id"])
    assert evidence.case == case
    assert evidence.sha256 == sha256
    assert evidence.uploaded_by.username == "evidence_inspector"
    assert evidence.file.name == f"evidence/{case.number}/{sha256}{extension}"
    on_disk = Path(evidence.file.path)
    assert on_disk.is_relative_to(tmp_path)
    assert hashlib.sha256(on_disk.read_bytes()).hexdigest() == sha256

    event = CaseEvent.objects.get(case=case, transition="evidence_added")
    assert event.data["evidence_id"] == evidence.pk
    assert event.data["type"] == mime
    assert event.actor_label == "evidence_inspector"
    assert event.to_state == case.state


def test_it_stores_a_worker_upload_with_the_query_code(filed, tmp_path):
    content = png_bytes()
    response = worker_upload(filed.case.number, filed.query_code, upload("欠条.png", content))
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()
    assert evidence.uploaded_by is None
    assert Path(evidence.file.path).read_bytes() == content
    event = CaseEvent.objects.get(transition="evidence_added")
    assert event.actor is None
    assert event.actor_label == "劳动者"


def test_it_names_the_stored_file_by_content_not_by_the_uploaded_name(staff_client, case, tmp_path):
    response = staff_upload(staff_client, case, upload("../../../etc/passwd.exe", png_bytes()))
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get()
    assert evidence.file.name.endswith(".png")
    assert Path(evidence.file.path).resolve().is_relative_to(tmp_path.resolve())
    assert [p.suffix for p in stored_files(tmp_path)] == [".png"]


def test_it_stores_the_same_file_only_once(staff_client, filed, tmp_path):
    content = JPEG_BYTES
    first = staff_upload(staff_client, filed.case, upload("a.jpg", content))
    again = staff_upload(staff_client, filed.case, upload("copy-of-a.jpg", content))
    by_worker = worker_upload(filed.case.number, filed.query_code, upload("a.jpg", content))
    assert first.status_code == again.status_code == by_worker.status_code == 201
    assert first.json()["id"] == again.json()["id"] == by_worker.json()["id"]
    assert Evidence.objects.count() == 1
    assert CaseEvent.objects.filter(transition="evidence_added").count() == 1
    assert len(stored_files(tmp_path)) == 1


def test_it_stores_the_same_file_for_two_different_cases(staff_client, case):
    other = filing.complaint_file(
        kind="labor_dispute",
        employer_name="襄汾县另一家证据公司",
        township=Township.objects.get(code="xincheng"),
        claimants=[
            filing.ClaimantInput(
                name="工人二", id_number=id_number(2), phone="13800000002", amount_claimed=100
            )
        ],
        description="另一案",
    ).case
    assert staff_upload(staff_client, case, upload("a.pdf", PDF_BYTES)).status_code == 201
    assert staff_upload(staff_client, other, upload("a.pdf", PDF_BYTES)).status_code == 201
    assert Evidence.objects.count() == 2


# --- refused uploads -------------------------------------------------------------------------


@pytest.mark.parametrize("content", NOT_EVIDENCE.values(), ids=NOT_EVIDENCE.keys())
def test_it_refuses_a_photo_name_on_other_content(staff_client, case, tmp_path, content):
    response = staff_upload(staff_client, case, upload("photo.jpg", content, "image/jpeg"))
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [services.EVIDENCE_TYPE_REJECTED]
    assert_nothing_stored(tmp_path)


def test_it_refuses_other_content_from_a_worker_too(filed, tmp_path):
    response = worker_upload(
        filed.case.number, filed.query_code, upload("photo.jpg", NOT_EVIDENCE["zip"], "image/jpeg")
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [services.EVIDENCE_TYPE_REJECTED]
    assert_nothing_stored(tmp_path)


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_it_refuses_a_file_above_the_size_limit(staff_client, case, tmp_path):
    big = png_bytes() + b"\x00" * 1024
    response = staff_upload(staff_client, case, upload("big.png", big))
    assert response.status_code == 413  # refused while streaming (test_evidence_streaming.py)
    message = services.EVIDENCE_TOO_LARGE.split("{limit}")[0]
    assert response.json()["errors"]["file"][0].startswith(message)
    assert_nothing_stored(tmp_path)


@override_settings(EVIDENCE_MAX_BYTES=1024)
def test_it_accepts_a_file_exactly_at_the_size_limit(staff_client, case):
    content = PDF_BYTES + b"%" * (1024 - len(PDF_BYTES))
    assert len(content) == 1024
    assert staff_upload(staff_client, case, upload("limit.pdf", content)).status_code == 201


@override_settings(EVIDENCE_MAX_BYTES=512 * 1024)
def test_it_states_a_limit_below_one_megabyte_truthfully(staff_client, case):
    big = png_bytes() + b"\x00" * (512 * 1024)
    response = staff_upload(staff_client, case, upload("big.png", big))
    assert response.status_code == 413
    assert "0MB" not in response.json()["errors"]["file"][0]


def test_it_refuses_an_empty_file(staff_client, case, tmp_path):
    response = staff_upload(staff_client, case, upload("empty.png", b"", "image/png"))
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [services.EVIDENCE_EMPTY]
    assert_nothing_stored(tmp_path)


def test_it_refuses_a_request_without_a_file(staff_client, case, tmp_path):
    response = staff_client.post(
        f"/api/v1/cases/{case.number}/evidence/", {"note": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert_nothing_stored(tmp_path)


# --- who may upload ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["WRONGCOD", "", None])
def test_it_answers_a_wrong_query_code_with_404(filed, tmp_path, code):
    response = worker_upload(filed.case.number, code, upload("a.png", png_bytes()))
    assert response.status_code == 404
    assert response.json()["detail"] == UNKNOWN_CASE_OR_CODE
    assert_nothing_stored(tmp_path)


def test_it_answers_an_unknown_case_number_with_404(filed, tmp_path):
    response = worker_upload("XF-2026-999999", filed.query_code, upload("a.png", png_bytes()))
    assert response.status_code == 404
    assert response.json()["detail"] == UNKNOWN_CASE_OR_CODE
    assert_nothing_stored(tmp_path)


def test_it_hides_a_case_from_staff_of_another_township(case, tmp_path):
    user = staff("zhaokang_inspector", roles.INSPECTOR, townships=["zhaokang"])
    client = APIClient()
    client.force_authenticate(user)
    response = staff_upload(client, case, upload("a.png", png_bytes()))
    assert response.status_code == 404
    assert response.json()["detail"] == errors.CASE_NOT_FOUND
    assert_nothing_stored(tmp_path)


def test_it_refuses_the_staff_endpoint_to_anonymous_users(case, tmp_path):
    response = staff_upload(APIClient(), case, upload("a.png", png_bytes()))
    assert response.status_code == 401
    assert_nothing_stored(tmp_path)


def test_it_refuses_the_staff_endpoint_to_staff_without_a_case_role(case, tmp_path):
    user = staff("finance_clerk", roles.FINANCE, townships=["xincheng"])
    client = APIClient()
    client.force_authenticate(user)
    response = staff_upload(client, case, upload("a.png", png_bytes()))
    assert response.status_code == 403
    assert_nothing_stored(tmp_path)
