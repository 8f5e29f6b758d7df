"""An anonymous duplicate complaint learns nothing about the open case and changes nothing
on it until staff have reviewed what it brings.

Anyone who knows a worker's ID number and the employer's name can file a "duplicate":
the answer must not carry the case's number, state, dates or deadline, the portal must
not open /status/<number>/ for that browser, and the claimants and evidence it adds wait
as a PendingSubmission that the inspector, mediator or arbitrator of the case's township
accepts or declines on the case page. The workers on the case are told by SMS.
"""

import json

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from cases import submissions
from cases.api import MERGED_DETAIL
from cases.models import Case, CaseEvent, Claim, Evidence, PendingSubmission
from core import roles
from core.models import Person
from notifications.followup import MERGED
from notifications.models import SmsMessage
from tests.cases.complaint_support import (
    COMPLAINTS_URL,
    claimant,
    complaint,
    id_number,
    png_bytes,
)
from tests.factories import staff

pytestmark = pytest.mark.django_db

PORTAL_URL = "/complaint/"


@pytest.fixture(autouse=True)
def _fresh_throttles_and_media(settings, tmp_path):
    cache.clear()
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim_case(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        body = APIClient().post(
            COMPLAINTS_URL, complaint(claimants=[claimant(1), claimant(2)]), format="json"
        )
    assert body.status_code == 201
    case = Case.objects.get(number=body.json()["case_number"])
    case.query_code = body.json()["query_code"]  # only its hash is stored
    return case


def portal_form(employer_name, **overrides):
    data = {
        "kind": "wage_arrears",
        "construction": "no",
        "employer_name": employer_name,
        "employer_address": "新城镇建设路1号",
        "township": "xincheng",
        "description": "同一工地。",
        "rows": "1",
        "c-0-name": "冒名",
        "c-0-id_number": id_number(1),
        "c-0-phone": "13999999999",
        "c-0-amount_claimed": "500000",
        "c-0-months_owed": "2",
    }
    data.update(overrides)
    return data


def attack_body():
    # The victim's ID number, the employer's name, and two invented claimants.
    return complaint(
        claimants=[
            claimant(1, phone="13999999999"),
            claimant(7, amount="500000.00"),
            claimant(8, amount="500000.00"),
        ]
    )


def staff_in(username, group, townships):
    user = staff(username, group, townships=townships)
    client = Client()
    client.force_login(user)
    return user, client


# --- what the anonymous filer is told ----------------------------------------------------------


def test_it_tells_an_anonymous_api_filer_only_that_the_complaint_was_merged(victim_case):
    response = APIClient().post(COMPLAINTS_URL, attack_body(), format="json")

    assert response.status_code == 200
    assert response.json() == {"merged": True, "detail": MERGED_DETAIL}
    text = response.content.decode()
    for secret in (
        victim_case.number,
        victim_case.query_code,
        victim_case.state,
        victim_case.deadline.isoformat(),
        timezone.localtime(victim_case.received_at).date().isoformat(),
    ):
        assert secret not in text


def test_it_shows_the_portal_filer_no_case_and_opens_no_status_page(victim_case):
    browser = Client()
    response = browser.post(PORTAL_URL, portal_form(victim_case.employer.name))
    assert response.status_code == 302

    page = browser.get("/complaint/filed/").content.decode()
    assert "已并入在办案件" in page and "短信" in page
    assert victim_case.number not in page and victim_case.query_code not in page
    status = browser.get(f"/status/{victim_case.number}/")
    assert status.status_code == 302 and "/status/?case_number=" in status["Location"]
    assert victim_case.number not in json.dumps(dict(browser.session))


def test_it_keeps_showing_the_case_to_staff_of_its_township(victim_case):
    inspector = staff("dup_local", roles.INSPECTOR, townships=("xincheng",))
    client = APIClient()
    client.force_authenticate(inspector)

    body = client.post(COMPLAINTS_URL, complaint(claimants=[claimant(1)]), format="json").json()

    assert body["duplicate_of"] == victim_case.number


def test_it_shows_staff_of_another_township_nothing_either(victim_case):
    outsider = staff("dup_outsider", roles.INSPECTOR, townships=("zhaokang",))
    client = APIClient()
    client.force_authenticate(outsider)

    response = client.post(COMPLAINTS_URL, complaint(claimants=[claimant(1)]), format="json")

    # Staff file only into their own townships (cases.staff_entry): refused before any
    # duplicate check, so nothing of the open case shows and nothing is held on it.
    assert response.status_code == 400
    assert victim_case.number not in response.content.decode()
    assert not PendingSubmission.objects.filter(case=victim_case).exists()


# --- what it changes: nothing until reviewed -----------------------------------------------------


def test_it_holds_the_added_claimants_and_evidence_for_review(victim_case):
    claims_before = list(victim_case.claims.values_list("person_id", "amount_claimed"))
    APIClient().post(COMPLAINTS_URL, attack_body(), format="json")

    assert list(victim_case.claims.values_list("person_id", "amount_claimed")) == claims_before
    assert not Person.objects.with_id_number(id_number(7)).exists()
    submission = PendingSubmission.objects.get(case=victim_case)
    assert submission.state == PendingSubmission.State.PENDING
    with connection.cursor() as cursor:  # encrypted at rest, like every ID number
        cursor.execute(f"SELECT claimants FROM {PendingSubmission._meta.db_table}")
        assert id_number(7) not in cursor.fetchone()[0]
    event = CaseEvent.objects.filter(case=victim_case).last()
    assert event.transition == "duplicate_submitted"
    assert event.data["submission_id"] == submission.pk


def test_it_holds_portal_evidence_with_the_submission(victim_case):
    upload = SimpleUploadedFile("伪造.png", png_bytes(), content_type="image/png")
    response = Client().post(PORTAL_URL, portal_form(victim_case.employer.name, evidence=[upload]))
    assert response.status_code == 302

    held = Evidence.objects.get(case=victim_case)
    assert held.submission == PendingSubmission.objects.get(case=victim_case)
    assert not Evidence.objects.of_case().filter(case=victim_case).exists()


def test_it_texts_the_workers_on_the_case_without_secrets(
    victim_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        APIClient().post(COMPLAINTS_URL, attack_body(), format="json")

    texts = SmsMessage.objects.filter(purpose=MERGED)
    assert sorted(t.phone for t in texts) == sorted([claimant(1)["phone"], claimant(2)["phone"]])
    assert "13999999999" not in [t.phone for t in texts]
    for text in texts:
        assert victim_case.query_code not in text.text
    assert PendingSubmission.objects.get().workers_notified_at is not None


# --- staff review --------------------------------------------------------------------------------


def test_it_adds_the_claimants_when_an_inspector_of_the_township_accepts(victim_case):
    APIClient().post(COMPLAINTS_URL, attack_body(), format="json")
    submission = PendingSubmission.objects.get()
    _, client = staff_in("review_local", roles.INSPECTOR, ("xincheng",))

    page = client.get(f"/workbench/cases/{victim_case.number}/").content.decode()
    assert f'data-submission="{submission.pk}"' in page
    response = client.post(
        f"/workbench/cases/{victim_case.number}/submissions/{submission.pk}/",
        {"decision": "accept"},
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == PendingSubmission.State.ACCEPTED
    assert victim_case.claims.count() == 4
    event = CaseEvent.objects.filter(case=victim_case).last()
    assert (event.transition, event.data["claimants_added"]) == ("submission_accepted", 2)
    # The victim's phone on record is untouched; the other one waits on the claim.
    victim = Claim.objects.get(
        case=victim_case, person__in=Person.objects.with_id_number(id_number(1))
    )
    assert victim.person.phone == claimant(1)["phone"]
    assert victim.pending_phone == "13999999999"


def test_it_leaves_the_case_alone_when_declined_with_a_reason(victim_case):
    APIClient().post(COMPLAINTS_URL, attack_body(), format="json")
    submission = PendingSubmission.objects.get()
    _, client = staff_in("review_decline", roles.MEDIATOR, ("xincheng",))
    url = f"/workbench/cases/{victim_case.number}/submissions/{submission.pk}/"

    client.post(url, {"decision": "decline", "reason": ""})
    submission.refresh_from_db()
    assert submission.state == PendingSubmission.State.PENDING  # a reason is required

    client.post(url, {"decision": "decline", "reason": "电话核实，劳动者本人未再投诉"})

    submission.refresh_from_db()
    assert submission.state == PendingSubmission.State.DECLINED
    assert victim_case.claims.count() == 2
    event = CaseEvent.objects.filter(case=victim_case).last()
    assert (event.transition, event.note) == ("submission_declined", "电话核实，劳动者本人未再投诉")


def test_it_lets_only_reviewers_of_the_township_decide(victim_case):
    APIClient().post(COMPLAINTS_URL, attack_body(), format="json")
    submission = PendingSubmission.objects.get()
    supervisor = staff("review_sup", roles.SUPERVISOR, townships=(), county_level=True)
    outsider = staff("review_far", roles.INSPECTOR, townships=("zhaokang",))

    with pytest.raises(submissions.errors.Forbidden):
        submissions.submission_accept(
            user=supervisor, case_number=victim_case.number, submission_id=submission.pk
        )
    with pytest.raises(submissions.errors.NotFound):
        submissions.submission_accept(
            user=outsider, case_number=victim_case.number, submission_id=submission.pk
        )
    assert PendingSubmission.objects.get().state == PendingSubmission.State.PENDING
    assert victim_case.claims.count() == 2
