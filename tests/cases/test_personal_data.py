"""ID numbers and phones: encrypted at rest, masked everywhere, shown in full only to the
case roles that need them and only with a record of who saw what."""

import io
import logging
import subprocess

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from rest_framework.test import APIClient

from cases.models import PersonalDataAccess
from config.logging import MaskPersonalData
from core.models import Person, StaffProfile
from notifications.models import SmsMessage
from tests.cases.complaint_support import COMPLAINTS_URL, claimant, complaint, id_number
from tests.factories import staff
from tests.workflows import support as subsidy_support


def _file(client, *numbers):
    body = complaint(claimants=[claimant(n) for n in numbers])
    response = client.post(COMPLAINTS_URL, body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["case_number"]


def _database_dump() -> str:
    """Everything the database holds, as an attacker with a backup would see it."""
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        command = ["pg_dump", "--data-only", "-h", settings["HOST"] or "127.0.0.1"]
        command += ["-p", str(settings["PORT"] or 5432), "-U", settings["USER"] or "postgres"]
        return subprocess.run(
            [*command, settings["NAME"]], capture_output=True, text=True, check=True
        ).stdout
    return "\n".join(connection.connection.iterdump())


@pytest.fixture
def api():
    return APIClient()


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_holds_no_id_number_or_phone(
    api, django_capture_on_commit_callbacks, reference_data
):
    # Committed rows, so pg_dump (another session) sees them; a transactional test
    # before this one may have flushed the reference rows (reference_data).
    with django_capture_on_commit_callbacks(execute=True):
        number = _file(api, 1, 2)
    # A subsidy application: an individual applicant and a beneficiary.
    reviewer = staff("township_r", "township_reviewer")
    applicant_id, beneficiary_id = subsidy_support.id_number(901), subsidy_support.id_number(7)
    subsidy_support.submit(
        subsidy_support.client_for(reviewer),
        subsidy_support.payload(
            "startup",
            kind="individual",
            applicant_id=applicant_id,
            beneficiaries=[subsidy_support.person(7)],
        ),
    )
    assert SmsMessage.objects.filter(case_number=number).exists()  # the confirmation SMS
    person = Person.objects.with_id_number(id_number(1)).get()
    assert person.id_number == id_number(1) and person.phone == "13800000001"

    dump = _database_dump()
    assert number in dump  # the dump is real: the case is in it
    for n in (1, 2):
        assert id_number(n) not in dump
        assert id_number(n)[6:14] not in dump  # not even the birth date part
        assert f"138{n:08d}" not in dump
    assert applicant_id not in dump and beneficiary_id not in dump


@pytest.mark.django_db
def test_a_search_on_the_encrypted_column_fails_loudly_instead_of_finding_nothing():
    with pytest.raises(FieldError, match="blind index"):
        Person.objects.filter(id_number=id_number(1)).exists()
    with pytest.raises(FieldError):
        Person.objects.filter(phone__startswith="138").exists()


@pytest.mark.django_db
def test_rotating_the_key_keeps_every_value_readable(
    api, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the confirmation SMS
        _file(api, 1)
    StaffProfile.objects.create(user=_user("someone"), phone="13900000009")
    old_key = settings.LABORCASE_PII_KEYS[0]
    new_key = Fernet.generate_key().decode()

    settings.LABORCASE_PII_KEYS = [new_key, old_key]
    call_command("pii_rotate", stdout=io.StringIO())
    settings.LABORCASE_PII_KEYS = [new_key]  # the old key is gone

    person = Person.objects.with_id_number(id_number(1)).get()
    assert person.id_number == id_number(1)
    assert StaffProfile.objects.get(user__username="someone").phone == "13900000009"
    assert SmsMessage.objects.get().phone == "13800000001"


@pytest.mark.django_db
def test_a_new_index_key_is_applied_by_the_rotation(api, settings):
    _file(api, 1)
    settings.LABORCASE_PII_INDEX_KEY = "another-index-key"
    assert not Person.objects.with_id_number(id_number(1)).exists()
    call_command("pii_rotate", stdout=io.StringIO())
    assert Person.objects.with_id_number(id_number(1)).exists()


@pytest.mark.django_db
def test_changing_an_id_number_keeps_its_index_in_step(api):
    _file(api, 1)
    person = Person.objects.get()
    person.id_number = id_number(5)
    person.save()
    assert Person.objects.with_id_number(id_number(5)).get() == person
    person.id_number = id_number(6)
    with pytest.raises(ValueError, match="blind index would go stale"):
        person.save(update_fields=["id_number"])
    person.save(update_fields=["id_number", "id_number_index"])
    assert Person.objects.with_id_number(id_number(6)).get() == person


@pytest.mark.django_db
def test_a_missing_key_is_an_error_not_a_ciphertext_shown_as_data(api, settings):
    _file(api, 1)
    settings.LABORCASE_PII_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="cannot be decrypted"):
        Person.objects.get().id_number  # noqa: B018


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(username=username, password="x-long-password-1")


# --- showing a full value --------------------------------------------------------------


def _reveal(api, user, number, claim_id, field="id_number"):
    api.force_authenticate(user)
    url = f"/api/v1/cases/{number}/claims/{claim_id}/reveal/"
    return api.post(url, {"field": field, "purpose": "制作限期改正指令书"}, format="json")


def _first_claim(number):
    from cases.models import Claim

    return Claim.objects.filter(case__number=number).order_by("id").first()


@pytest.mark.django_db
def test_the_inspector_sees_the_full_id_number_and_the_showing_is_recorded(api, people):
    number = _file(api, 1)
    claim = _first_claim(number)
    detail = (api.force_authenticate(people["inspector"]), api.get(f"/api/v1/cases/{number}/"))[1]
    assert id_number(1) not in detail.content.decode()  # the case itself stays masked

    response = _reveal(api, people["inspector"], number, claim.pk)
    assert response.status_code == 200, response.content
    assert response.json() == {"field": "id_number", "value": id_number(1)}
    assert "no-store" in response["Cache-Control"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.case.number, access.person_id) == (
        people["inspector"],
        number,
        claim.person_id,
    )
    assert access.field == "id_number" and access.purpose == "制作限期改正指令书"
    assert access.ip_address == "127.0.0.1"

    phone = _reveal(api, people["inspector"], number, claim.pk, field="phone")
    assert phone.json()["value"] == "13800000001"
    assert PersonalDataAccess.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("supervisor", 403), ("other_township", 404), ("other_arbitrator", 404)],
)
def test_roles_without_the_need_or_the_township_are_refused_and_nothing_is_shown(
    api, people, who, status
):
    number = _file(api, 1)
    response = _reveal(api, people[who], number, _first_claim(number).pk)
    assert response.status_code == status
    assert id_number(1) not in response.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_anonymous_and_bad_requests_show_nothing(api, people):
    number = _file(api, 1)
    claim = _first_claim(number)
    anonymous = APIClient().post(f"/api/v1/cases/{number}/claims/{claim.pk}/reveal/")
    assert anonymous.status_code in (401, 403)
    assert _reveal(api, people["inspector"], number, claim.pk, field="name").status_code == 400
    other = _file(api, 2)
    # A claim of another case, through this case's number: not this case's claimant.
    assert _reveal(api, people["inspector"], other, claim.pk).status_code == 404
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.django_db
def test_the_workbench_shows_the_full_number_once_after_the_button(client, api, people):
    number = _file(api, 1)
    claim = _first_claim(number)
    client.force_login(people["inspector"])
    page = client.get(f"/workbench/cases/{number}/").content.decode()
    assert id_number(1) not in page and "显示" in page

    shown = client.post(
        f"/workbench/cases/{number}/claims/{claim.pk}/reveal/", {"field": "id_number"}
    )
    assert shown.status_code == 200
    assert id_number(1) in shown.content.decode()
    assert "已记录" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert PersonalDataAccess.objects.filter(user=people["inspector"]).count() == 1
    again = client.get(f"/workbench/cases/{number}/").content.decode()
    assert id_number(1) not in again


@pytest.mark.django_db
def test_the_workbench_offers_no_button_to_the_supervisor_and_refuses_the_post(client, api, people):
    number = _file(api, 1)
    client.force_login(people["supervisor"])
    page = client.get(f"/workbench/cases/{number}/").content.decode()
    assert "reveal/" not in page
    refused = client.post(
        f"/workbench/cases/{number}/claims/{_first_claim(number).pk}/reveal/",
        {"field": "id_number"},
        follow=True,
    )
    assert id_number(1) not in refused.content.decode()
    assert "无权查看" in refused.content.decode()
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_refuses_to_change_or_delete_an_access_record(api, people):
    number = _file(api, 1)
    _reveal(api, people["inspector"], number, _first_claim(number).pk)
    for statement in (
        "UPDATE cases_personaldataaccess SET purpose = 'nothing'",
        "DELETE FROM cases_personaldataaccess",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement)
    assert PersonalDataAccess.objects.get().purpose == "制作限期改正指令书"


# --- logs --------------------------------------------------------------------------------


def test_log_lines_and_tracebacks_are_masked():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalData())
    logger = logging.getLogger("tests.personal_data")
    logger.addHandler(handler)
    try:
        logger.warning("claimant %s phone %s", id_number(7), "13912345678")
        logger.warning("case XF-2026-000001 account 62220200000000000001234")
        logger.warning("other forms %s / %s", "+8613912340001", "139-1234-0002")
        try:
            raise ValueError(f"bad row {id_number(8)}")
        except ValueError:
            logger.exception("import failed")
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert id_number(7) not in text and id_number(8) not in text
    assert "13912345678" not in text
    assert "0001" in text and "1234-0001" not in text and "1234-0002" not in text
    assert "110***********" in text and "139****5678" in text
    assert "case XF-2026-000001 account 62220200000000000001234" in text  # not an ID number


def test_a_malformed_log_call_does_not_raise_in_the_filter():
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "%d", ("not a number",), None)
    assert MaskPersonalData().filter(record) is True


@pytest.mark.django_db
def test_the_admin_lists_the_record_with_masked_numbers(admin_client, api, people):
    number = _file(api, 1)
    _reveal(api, people["inspector"], number, _first_claim(number).pk)
    page = admin_client.get("/admin/cases/personaldataaccess/").content.decode()
    assert number in page and "insp_a" in page
    assert id_number(1) not in page and "110***********" in page
    person_page = admin_client.get(f"/admin/core/person/{_first_claim(number).person_id}/change/")
    assert person_page.status_code == 200 and id_number(1) not in person_page.content.decode()
