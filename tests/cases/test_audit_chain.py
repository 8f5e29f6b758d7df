"""Tamper-evident history: case events form a hash chain per case; on PostgreSQL the
table refuses UPDATE and DELETE outright."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from cases import audit, services
from cases.models import Case, CaseEvent
from tests.cases.complaint_support import JPEG_BYTES
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _history(people):
    """A case with every kind of append: filing, duplicate link, transition, evidence."""
    case = file_case(claimants=[claimant(0)])
    file_case(claimants=[claimant(0), claimant(1)])  # a duplicate: held on the case, not a new case
    services.case_transition(
        case_number=case.number,
        name="accept",
        actor=people["inspector"],
        data={"inspectors": ["insp_a", "insp_b"]},
    )
    services.evidence_add(
        case=Case.objects.get(pk=case.pk),
        upload=SimpleUploadedFile("a.jpg", JPEG_BYTES),
        actor=people["inspector"],
    )
    return case


def _verify_output():
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def _raw(sql, params=()):
    """Tamper as someone with database access would (on PostgreSQL: trigger off first)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # superuser only
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = origin")


def test_it_links_every_event_to_the_one_before(people):
    case = _history(people)
    events = list(CaseEvent.objects.filter(case=case).order_by("id"))
    assert [e.transition for e in events] == [
        "file",
        "duplicate_submitted",  # file_case files anonymously
        "accept",
        "evidence_added",
    ]
    assert events[0].prev_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
    assert all(e.hash == audit.event_hash(e, e.prev_hash) for e in events)
    ok, output = _verify_output()
    assert ok, output
    assert "4 events" in output


def test_it_names_an_edited_row(people):
    case = _history(people)
    other = file_case(employer="另一家公司")
    target = CaseEvent.objects.get(case=case, transition="accept")
    _raw("UPDATE cases_caseevent SET note = %s WHERE id = %s", ["改过的说明", target.pk])
    ok, output = _verify_output()
    assert not ok
    assert f"case {case.number}: event id={target.pk} (#3 in its chain)" in output
    assert audit.CONTENT_CHANGED in output
    assert other.number not in output
    assert "1 broken chain(s)" in output


def test_it_names_a_deleted_row(people):
    case = _history(people)
    gone = CaseEvent.objects.get(case=case, transition="duplicate_submitted")
    after = CaseEvent.objects.get(case=case, transition="accept")
    _raw("DELETE FROM cases_caseevent WHERE id = %s", [gone.pk])
    ok, output = _verify_output()
    assert not ok
    assert f"event id={after.pk} (#2 in its chain): {audit.LINK_BROKEN}" in output


def test_it_names_a_recomputed_hash_that_no_longer_links(people):
    """Rewriting a row and its own hash still breaks the next row's link."""
    case = _history(people)
    target = CaseEvent.objects.get(case=case, transition="accept")
    target.note = "改过的说明"
    forged = audit.event_hash(target, target.prev_hash)
    _raw(
        "UPDATE cases_caseevent SET note = %s, hash = %s WHERE id = %s",
        ["改过的说明", forged, target.pk],
    )
    following = CaseEvent.objects.get(case=case, transition="evidence_added")
    ok, output = _verify_output()
    assert not ok
    assert f"event id={following.pk} (#4 in its chain): {audit.LINK_BROKEN}" in output


def test_it_flags_an_event_written_around_the_service(people):
    case = file_case()
    stray = CaseEvent.objects.create(case=case, transition="close", to_state="closed")
    ok, output = _verify_output()
    assert not ok
    assert f"event id={stray.pk} (#2 in its chain): {audit.UNHASHED}" in output


def test_it_checks_one_case_on_request(people):
    case = _history(people)
    other = file_case(employer="另一家公司")
    _raw("UPDATE cases_caseevent SET note = 'x' WHERE case_id = %s", [other.pk])
    call_command("verify_audit_chain", case=case.number, stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError):
        call_command("verify_audit_chain", case=other.number, stderr=open("/dev/null", "w"))


@pytest.mark.postgres
def test_it_refuses_update_on_postgresql(people):
    case = file_case()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        CaseEvent.objects.filter(case=case).update(note="改过")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_caseevent SET note = 'x' WHERE case_id = %s", [case.pk])
    assert CaseEvent.objects.get(case=case).note == ""


@pytest.mark.postgres
def test_it_refuses_delete_on_postgresql(people):
    case = file_case()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM cases_caseevent WHERE case_id = %s", [case.pk])
    assert CaseEvent.objects.filter(case=case).count() == 1
