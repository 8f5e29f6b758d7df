"""Staff add the employer's contact and record service through the API; only case staff
of the case's township may."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.cases.complaint_support import JPEG_BYTES
from tests.factories import file_case, staff

pytestmark = pytest.mark.django_db


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def case():
    return file_case(kind="labor_dispute")


def test_it_adds_the_employer_contact_and_lists_it(case):
    arbitrator = client_for(staff("arb_api", "arbitrator"))

    added = arbitrator.post(
        f"/api/v1/cases/{case.number}/contacts/",
        {"name": "王经理", "phone": "13900001111"},
        format="json",
    )
    listed = arbitrator.get(f"/api/v1/cases/{case.number}/notices/").json()

    assert added.status_code == 201 and added.json()["phone"] == "139****1111"
    assert [c["name"] for c in listed["contacts"]] == ["王经理"]
    assert any(p["key"].startswith("contact:") for p in listed["parties"])


def test_it_records_postal_service_with_the_receipt(case):
    arbitrator = client_for(staff("arb_api", "arbitrator"))
    party = f"person:{case.claims.first().person_id}"

    refused = arbitrator.post(
        f"/api/v1/cases/{case.number}/service-records/",
        {"document": "hearing_notice", "party": party, "method": "post"},
        format="multipart",
    )
    recorded = arbitrator.post(
        f"/api/v1/cases/{case.number}/service-records/",
        {
            "document": "hearing_notice",
            "party": party,
            "method": "post",
            "tracking_number": "1234567890123",
            "receipt": SimpleUploadedFile("回执.jpg", JPEG_BYTES, content_type="image/jpeg"),
        },
        format="multipart",
    )

    assert refused.status_code == 400 and "receipt" in refused.json()["errors"]
    assert recorded.status_code == 201 and recorded.json()["completed"]


def test_it_refuses_other_townships_and_other_roles(case):
    outsider = client_for(staff("arb_z", "arbitrator", townships=("zhaokang",)))
    finance = client_for(staff("fin", "finance", townships=(), county_level=True))
    body = {"name": "王经理", "phone": "13900001111"}

    assert (
        outsider.post(f"/api/v1/cases/{case.number}/contacts/", body, format="json").status_code
        == 404
    )
    assert (
        finance.post(f"/api/v1/cases/{case.number}/contacts/", body, format="json").status_code
        == 403
    )
    assert (
        APIClient().post(f"/api/v1/cases/{case.number}/contacts/", body, format="json").status_code
        == 401
    )
    assert not case.contacts.exists()
