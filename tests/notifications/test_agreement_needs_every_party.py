"""A mediation agreement binds the worker and the employer: it takes effect only when
both have signed, even when the employer could not be sent a link at first; a contact
registered later gets the signing link at once."""

import datetime as dt

import pytest

from cases import agreement_signatures
from notifications import notices, signing
from notifications.models import Notice, ServiceRecord
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, today
from tests.notifications.test_agreement_signing import png


@pytest.fixture
def settled_without_contact(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case(contact=False)
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "start_mediation", role="mediator")
    instalments = [{"due_date": today() + dt.timedelta(days=10), "amount": "5000.00"}]
    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "settle",
        {"instalments": instalments, "note": "一次性支付"},
        role="mediator",
    )
    case.refresh_from_db()
    return case


def digest(case):
    return agreement_signatures.text_sha256(agreement_signatures.agreement_text(case))


def test_it_is_not_effective_when_only_the_worker_signed(settled_without_contact):
    case = settled_without_contact
    worker_record = ServiceRecord.objects.get(case=case, document="mediation_agreement")

    signed = signing.agreement_sign(record=worker_record, signature=png(), text_sha256=digest(case))

    assert not signed["effective"]
    employer = signing.case_signing_status(case)["parties"][-1]
    assert employer["name"] == case.employer.name
    assert employer["signed"] is None and not employer["reachable"]
    assert not case.events.filter(transition="agreement_effective").exists()


def test_it_sends_the_link_to_a_contact_registered_later(
    settled_without_contact, django_capture_on_commit_callbacks
):
    case = settled_without_contact
    worker_record = ServiceRecord.objects.get(case=case, document="mediation_agreement")
    signing.agreement_sign(record=worker_record, signature=png(1), text_sha256=digest(case))

    with django_capture_on_commit_callbacks(execute=True):
        notices.case_contact_add(case=case, name="王经理", phone="13900001111")

    notice = Notice.objects.get(case=case, event="mediation_agreement", recipient="employer")
    assert "/s/" in notice.text and notice.status == "recorded"
    record = notice.service_record
    signed = signing.agreement_sign(record=record, signature=png(2), text_sha256=digest(case))
    assert signed["effective"]
    assert case.events.filter(transition="agreement_effective").count() == 1


def test_it_sends_no_agreement_link_once_the_agreement_is_effective(
    settled_without_contact, django_capture_on_commit_callbacks
):
    case = settled_without_contact
    with django_capture_on_commit_callbacks(execute=True):
        notices.case_contact_add(case=case, name="王经理", phone="13900001111")
    for record in ServiceRecord.objects.filter(case=case, document="mediation_agreement"):
        signing.agreement_sign(record=record, signature=png(), text_sha256=digest(case))

    with django_capture_on_commit_callbacks(execute=True):
        notices.case_contact_add(case=case, name="李会计", phone="13900002222")

    assert Notice.objects.filter(case=case, event="mediation_agreement").count() == 2


def test_it_prints_the_signing_time_in_local_time_in_the_word_file(settled_without_contact):
    import io

    from django.utils import timezone
    from docx import Document

    from cases import documents

    case = settled_without_contact
    record = ServiceRecord.objects.get(case=case, document="mediation_agreement")
    signing.agreement_sign(record=record, signature=png(), text_sha256=digest(case))
    signed_at = case.events.get(transition="agreement_signed").created_at

    word = Document(io.BytesIO(documents.render(case, "mediation")))

    local = f"{timezone.localtime(signed_at):%Y年%m月%d日 %H:%M}"
    assert any(local in p.text for p in word.paragraphs), local
