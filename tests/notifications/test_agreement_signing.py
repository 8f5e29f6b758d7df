"""Each party signs the mediation agreement on the phone; the signatures, times and
the hash of the exact text go on the case's event chain and into the Word agreement."""

import base64
import datetime as dt
import io
import struct
import zlib

import pytest

from cases import agreement_signatures, audit, documents, errors
from notifications import signing
from notifications.models import ServiceRecord
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, today


def png(seed=1) -> str:
    """A small real PNG, as the canvas sends it."""
    width, height = 40, 20
    rows = b"".join(
        b"\x00" + bytes((x * seed + y * 7) % 256 for x in range(width * 3)) for y in range(height)
    )

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    return "data:image/png;base64," + base64.b64encode(raw).decode()


@pytest.fixture
def settled(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "start_mediation", role="mediator")
    instalments = [{"due_date": today() + dt.timedelta(days=10), "amount": "5000.00"}]
    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "settle",
        {"instalments": instalments, "note": "双方同意分期支付"},
        role="mediator",
    )
    case.refresh_from_db()
    return case


def links(client, case):
    """Each party's link, confirmed in its own browser."""
    out = {}
    for notice in case.notices.filter(event="mediation_agreement"):
        path = "/s/" + notice.text.split("/s/")[1].split("/")[0] + "/"
        record = notice.service_record
        digits = record.person.id_number[-4:] if record.person_id else case.employer.uscc[-4:]
        out[notice.recipient] = (path, digits, record)
    return out


def test_it_shows_the_agreement_after_the_check_and_takes_a_signature(client, settled):
    path, digits, record = links(client, settled)["worker"]

    page = client.post(path, {"digits": digits}, follow=True).content.decode()
    assert "阅读并签署调解协议" in page and "双方同意分期支付" in page
    text = agreement_signatures.agreement_text(settled)
    digest = agreement_signatures.text_sha256(text)

    signed = client.post(path + "sign/", {"signature": png(), "text_sha256": digest}, follow=True)
    assert "您已签署" in signed.content.decode()

    event = settled.events.get(transition="agreement_signed")
    assert event.data["text_sha256"] == digest and event.data["party_key"] == record.party_key


def test_it_is_effective_when_all_parties_signed_and_the_word_file_carries_both(settled):
    records = ServiceRecord.objects.filter(case=settled, document="mediation_agreement")
    assert records.count() == 2  # the worker and the employer's contact
    digest = agreement_signatures.text_sha256(agreement_signatures.agreement_text(settled))

    first = signing.agreement_sign(record=records[0], signature=png(1), text_sha256=digest)
    assert not first["effective"]
    assert signing.case_signing_status(settled)["parties"][1]["signed"] is None
    second = signing.agreement_sign(record=records[1], signature=png(2), text_sha256=digest)

    assert second["effective"]
    assert settled.events.filter(transition="agreement_effective").count() == 1
    from docx import Document

    word = Document(io.BytesIO(documents.render(settled, "mediation")))
    assert len(word.inline_shapes) == 2
    assert sum(digest in p.text for p in word.paragraphs) == 2
    assert audit.chain_verify(settled.events.all()) == []  # the chain vouches for them


def test_it_refuses_a_signature_on_a_changed_text(settled):
    record = ServiceRecord.objects.filter(case=settled, document="mediation_agreement").first()

    with pytest.raises(errors.DomainError) as refused:
        signing.agreement_sign(record=record, signature=png(), text_sha256="0" * 64)

    assert signing.SIGN_TEXT_CHANGED in str(refused.value.message)


def test_it_refuses_what_is_not_a_png(settled):
    record = ServiceRecord.objects.filter(case=settled, document="mediation_agreement").first()
    digest = agreement_signatures.text_sha256(agreement_signatures.agreement_text(settled))

    with pytest.raises(errors.DomainError) as refused:
        signing.agreement_sign(
            record=record, signature="data:image/png;base64,aGVsbG8=", text_sha256=digest
        )

    assert refused.value.message == signing.SIGN_BAD_IMAGE


def test_it_shows_staff_who_has_not_signed(admin_client, settled):
    from django.contrib.auth.models import User

    arbitrator = User.objects.get(username="arb_n")
    admin_client.force_login(arbitrator)

    page = admin_client.get(f"/workbench/cases/{settled.number}/").content.decode()

    assert "调解协议签署情况" in page and "未签署" in page
