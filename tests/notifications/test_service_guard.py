"""Deemed withdrawal and a default award need the hearing notice duly served."""

import datetime as dt

import pytest
from django.utils import timezone

from cases import errors
from notifications import service_records
from notifications.models import ServiceRecord
from tests.notifications.notice_support import act, arbitration_staff, dispute_case, hearing_data


@pytest.fixture
def in_hearing(db, django_capture_on_commit_callbacks):
    people = arbitration_staff()
    case = dispute_case()
    act(django_capture_on_commit_callbacks, case, people, "accept")
    act(django_capture_on_commit_callbacks, case, people, "refer_to_hearing")
    act(django_capture_on_commit_callbacks, case, people, "schedule_hearing", hearing_data())
    return case, people


def _sms_token(case, party):
    """The clear token is only in the SMS: read it back from the notice text."""
    notice = case.notices.get(event="hearing_notice", recipient=party)
    return notice.text.split("/s/")[1].split("/")[0]


def test_it_refuses_a_deemed_withdrawal_before_service(
    in_hearing, django_capture_on_commit_callbacks
):
    case, people = in_hearing

    with pytest.raises(errors.Conflict) as refused:
        act(django_capture_on_commit_callbacks, case, people, "deem_withdrawn", {"note": "未到庭"})

    assert "开庭通知尚未依法送达申请人" in refused.value.message
    case.refresh_from_db()
    assert case.state == "hearing"


def test_it_allows_a_deemed_withdrawal_once_the_worker_confirmed_the_link(
    in_hearing, django_capture_on_commit_callbacks
):
    case, people = in_hearing
    worker = case.claims.first().person

    record = service_records.link_confirm(
        token=_sms_token(case, "worker"), digits=worker.id_number[-4:]
    )

    assert record.received_at and record.confirmed_at and record.opened_at
    done = act(
        django_capture_on_commit_callbacks, case, people, "deem_withdrawn", {"note": "未到庭"}
    )
    assert done.state == "withdrawn"
    assert case.events.filter(transition="document_served").count() == 1


def test_it_refuses_a_default_award_until_the_employer_was_served(
    in_hearing, django_capture_on_commit_callbacks
):
    case, people = in_hearing
    award = {
        "items": [{"claim": case.claims.first().pk, "item": "wages", "amount": "100.00"}],
        "default_award": True,
    }
    # The hearing day has come.
    type(case).objects.filter(pk=case.pk).update(hearing_date=timezone.localdate())

    with pytest.raises(errors.Conflict) as refused:
        act(django_capture_on_commit_callbacks, case, people, "award", award)
    assert "被申请人" in refused.value.message

    contact_key = case.contacts.get().pk
    service_records.service_record_add(
        case=case,
        actor=people["arbitrator"],
        document="hearing_notice",
        party_key=f"contact:{contact_key}",
        method="public_announcement",
        received_on=timezone.localdate() - dt.timedelta(days=31),
    )
    assert act(django_capture_on_commit_callbacks, case, people, "award", award).state == "awarded"


def test_it_counts_a_public_announcement_only_after_30_days(in_hearing):
    case, people = in_hearing
    record = service_records.service_record_add(
        case=case,
        actor=people["arbitrator"],
        document="hearing_notice",
        party_key=f"employer:{case.employer_id}",
        method="public_announcement",
    )

    assert not record.completed()
    assert not service_records.hearing_notice_served(case, "employer")


def test_it_asks_for_service_of_the_postponed_date(in_hearing, django_capture_on_commit_callbacks):
    case, people = in_hearing
    worker = case.claims.first().person
    service_records.link_confirm(token=_sms_token(case, "worker"), digits=worker.id_number[-4:])
    assert service_records.hearing_notice_served(case, "worker")

    act(
        django_capture_on_commit_callbacks,
        case,
        people,
        "postpone_hearing",
        hearing_data(days=15, note="申请人因病申请延期"),
    )

    assert not service_records.hearing_notice_served(case, "worker")


def test_it_locks_the_link_after_wrong_digits(in_hearing):
    case, _ = in_hearing
    token = _sms_token(case, "worker")
    for _ in range(5):
        with pytest.raises(errors.InvalidInput):
            service_records.link_confirm(token=token, digits="0000")

    worker = case.claims.first().person
    with pytest.raises(errors.Forbidden):
        service_records.link_confirm(token=token, digits=worker.id_number[-4:])
    assert not ServiceRecord.objects.filter(case=case, party="worker").first().received_at
