"""Evidence chosen on the complaint form survives a failed submit: kept server-side for
this browser session, listed as already attached with a remove box, attached when the
complaint is filed, and cleaned up afterwards or when it expires."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases.models import Evidence
from cases.services import EVIDENCE_TYPE_REJECTED
from tests.cases.complaint_support import PDF_BYTES, png_bytes
from tests.cases.test_portal import URL, form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def photos():
    return [
        SimpleUploadedFile("工资条.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("欠条.pdf", PDF_BYTES, content_type="application/pdf"),
    ]


def tokens(page: str) -> list[str]:
    return re.findall(r'name="kept_evidence" value="([^"]+)"', page)


def kept_files(media) -> list:
    folder = media / "portal-kept"
    return sorted(folder.iterdir()) if folder.exists() else []


def fail_once(client) -> str:
    """A submit with a slip elsewhere (no employer) and two photos chosen."""
    response = client.post(URL, {**form(employer_name=""), "evidence": photos()})
    assert response.status_code == 400
    return response.content.decode()


def test_a_slip_elsewhere_keeps_the_chosen_photos_and_the_next_submit_files_them(media):
    client = Client()
    page = fail_once(client)

    assert "已附上的证据" in page and "工资条.png" in page and "欠条.pdf" in page
    assert len(tokens(page)) == 2 and len(kept_files(media)) == 2

    response = client.post(URL, {**form(), "kept_evidence": tokens(page)})

    assert response.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "工资条.png",
        "欠条.pdf",
    ]
    assert kept_files(media) == []  # the kept copies are gone once filed


def test_the_worker_can_remove_a_kept_photo(media):
    client = Client()
    first, second = tokens(fail_once(client))

    client.post(URL, {**form(), "kept_evidence": [first, second], "remove_evidence": [second]})

    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["工资条.png"]
    assert kept_files(media) == []


def test_adding_a_row_keeps_the_photos_too():
    client = Client()
    response = client.post(URL, {**form(), "add_row": "1", "evidence": photos()})

    assert response.status_code == 200 and len(tokens(response.content.decode())) == 2


def test_another_session_cannot_use_the_tokens():
    stolen = tokens(fail_once(Client()))

    response = Client().post(URL, {**form(), "kept_evidence": stolen})

    assert response.status_code == 302 and not Evidence.objects.exists()


def test_a_file_that_is_no_evidence_is_not_kept_and_says_why(media):
    bad = SimpleUploadedFile("病毒.png", b"MZ\x90\x00not an image", content_type="image/png")
    good = SimpleUploadedFile("工资条.png", png_bytes(), content_type="image/png")

    response = Client().post(URL, {**form(employer_name=""), "evidence": [bad, good]})

    page = response.content.decode()
    assert response.status_code == 400 and EVIDENCE_TYPE_REJECTED in page and "病毒.png" in page
    assert len(tokens(page)) == 1 and len(kept_files(media)) == 1


def test_kept_photos_expire_and_are_swept(media, settings):
    client = Client()
    page = fail_once(client)
    settings.PORTAL_KEPT_UPLOAD_SECONDS = 0  # their time is up

    again = client.post(URL, {**form(employer_name=""), "kept_evidence": tokens(page)})

    assert tokens(again.content.decode()) == [] and kept_files(media) == []
