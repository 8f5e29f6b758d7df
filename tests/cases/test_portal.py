"""The worker portal: filing a complaint on a phone, the confirmation, the SMS."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cases import services
from cases.complaint_inputs import REPRESENTATIVES_NEEDED
from cases.models import Case, Evidence
from core import query_codes
from core.validators import ID_NUMBER_CHECK_DIGIT, PHONE_INVALID
from notifications.models import SmsMessage
from tests.cases.complaint_support import PDF_BYTES, id_number, png_bytes

pytestmark = pytest.mark.django_db

URL = "/complaint/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def form(claimants=1, reps=(), **overrides):
    data = {
        "kind": "wage_arrears",
        "construction": "yes",
        "project_name": "汾河湾小区二期",
        "employer_name": "山西汾河测试建筑有限公司",
        "employer_address": "新城镇建设路1号",
        "township": "xincheng",
        "description": "工地拖欠三个月工资。",
        "rows": str(claimants),
    }
    for i in range(claimants):
        data.update(
            {
                f"c-{i}-name": f"工人{i}",
                f"c-{i}-id_number": id_number(i + 1),
                f"c-{i}-phone": f"1390000{i:04d}",
                f"c-{i}-amount_claimed": "6000",
                f"c-{i}-months_owed": "2",
            }
        )
        if i in reps:
            data[f"c-{i}-is_representative"] = "1"
    data.update(overrides)
    return data


def test_it_shows_the_form_in_chinese_with_a_csrf_token(client):
    response = client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "我要投诉" in body and "是否属于工程建设领域" in body
    assert "csrfmiddlewaretoken" in body
    assert "新城镇" in body  # townships come from the Township table


def test_it_files_a_complaint_and_shows_its_number_and_code(client):
    response = client.post(URL, form())

    assert response.status_code == 302 and response["Location"] == "/complaint/filed/"
    case = Case.objects.get()
    assert (case.channel, case.sector, case.project_name) == (
        "online",
        "construction",
        "汾河湾小区二期",
    )
    page = client.get("/complaint/filed/").content.decode()
    code = re.search(r"data-query-code>([^<]+)<", page).group(1)
    assert case.number in page and query_codes.query_code_matches(case.query_code_hash, code)


def test_it_texts_the_case_number_and_code_to_the_claimant(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form())

    case = Case.objects.get()
    message = SmsMessage.objects.get()
    assert message.phone == "13900000000"
    code = re.search(r"查询码([2-9A-Z]{8})", message.text).group(1)
    assert case.number in message.text and query_codes.query_code_matches(
        case.query_code_hash, code
    )
    assert message.case_number == case.number


def test_it_explains_each_invalid_field_in_place_and_keeps_what_was_typed(client):
    data = form(claimants=2)
    data["c-0-id_number"] = id_number(1)[:-1] + ("0" if id_number(1)[-1] != "0" else "1")
    data["c-1-phone"] = "2345"
    data["c-1-amount_claimed"] = ""

    response = client.post(URL, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert ID_NUMBER_CHECK_DIGIT in body
    assert PHONE_INVALID in body
    assert 'name="c-1-amount_claimed" value=""' in body
    assert "该字段是必填项。" in body  # an empty amount is missing, not "not a number"
    # Everything typed is still there, the bad values included.
    assert data["c-0-id_number"] in body and 'value="2345"' in body
    assert "山西汾河测试建筑有限公司" in body and "工地拖欠三个月工资。" in body
    assert not Case.objects.exists()


def test_it_asks_for_the_project_name_on_construction_complaints(client):
    response = client.post(URL, form(project_name=""))

    assert response.status_code == 400
    assert "工程建设领域的投诉请填写项目名称。" in response.content.decode()
    assert not Case.objects.exists()


def test_it_files_a_non_construction_complaint_with_its_sector(client):
    client.post(URL, form(construction="no", project_name="ignored", sector="services"))

    case = Case.objects.get()
    assert (case.sector, case.project_name) == ("services", "")


def test_it_adds_claimant_rows_without_javascript(client):
    data = form(claimants=2)
    data["add_row"] = "1"

    response = client.post(URL, data)

    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="c-2-name"' in body and 'name="c-3-name"' not in body
    assert 'value="工人1"' in body
    assert not Case.objects.exists()


def test_it_ignores_blank_rows(client):
    data = form(claimants=1, rows="3")

    client.post(URL, data)

    assert Case.objects.get().claims.count() == 1


def test_it_requires_three_to_five_representatives_for_ten_workers(client):
    response = client.post(URL, form(claimants=10, reps=(0,)))

    assert response.status_code == 400
    body = response.content.decode()
    assert REPRESENTATIVES_NEEDED.format(minimum=10, low=3, high=5) in body
    assert 'name="c-9-name"' in body and 'value="工人9"' in body
    assert not Case.objects.exists()


def test_it_files_a_collective_complaint_and_texts_the_representatives(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, form(claimants=10, reps=(0, 4, 9)))

    case = Case.objects.get()
    assert case.is_collective and case.claims.count() == 10
    assert case.claims.filter(is_representative=True).count() == 3
    phones = set(SmsMessage.objects.values_list("phone", flat=True))
    assert phones == {"13900000000", "13900000004", "13900000009"}


def test_it_attaches_the_evidence_uploaded_with_the_complaint(client):
    data = form()
    data["evidence"] = [
        SimpleUploadedFile("工资条.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("欠条.pdf", PDF_BYTES, content_type="application/pdf"),
    ]

    client.post(URL, data)

    case = Case.objects.get()
    assert sorted(case.evidence.values_list("content_type", flat=True)) == [
        "application/pdf",
        "image/png",
    ]


def test_it_refuses_a_file_that_is_not_a_photo_or_pdf_and_files_nothing(client, tmp_path):
    data = form()
    data["evidence"] = [
        SimpleUploadedFile("a.png", png_bytes(), content_type="image/png"),
        SimpleUploadedFile("virus.jpg", b"MZ\x90\x00" + b"\x00" * 64, content_type="image/jpeg"),
    ]

    response = client.post(URL, data)

    assert response.status_code == 400
    assert services.EVIDENCE_TYPE_REJECTED in response.content.decode()
    assert not Case.objects.exists() and not Evidence.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # no orphan file left


def test_it_answers_a_50_mb_upload_with_a_clear_message_and_keeps_the_form(client):
    data = form(claimants=2)
    data["evidence"] = SimpleUploadedFile(
        "video.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * (50 * 1024 * 1024), content_type="image/jpeg"
    )

    response = client.post(URL, data)

    assert response.status_code == 400
    body = response.content.decode()
    assert "文件“video.jpg”太大" in body and "10MB" in body
    assert 'value="工人1"' in body and "汾河湾小区二期" in body
    assert not Case.objects.exists()


def test_it_checks_the_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post(URL, form())

    assert response.status_code == 403
    assert not Case.objects.exists()


def test_it_merges_a_duplicate_into_the_open_case_without_its_code(client):
    client.post(URL, form())
    first = Case.objects.get()
    first_code = client.session["portal_filed"]["code"]

    client.post(URL, form())
    page = client.get("/complaint/filed/").content.decode()

    assert Case.objects.count() == 1
    # Nothing about the open case: the filer has not proven it is theirs.
    assert first.number not in page and first_code not in page
    assert "已并入在办案件" in page
