"""The employer is told of its listing: the notice is recorded, and its contacts on the
case get an SMS through the notice outbox."""

import pytest

from enforcement import errors, services
from enforcement.models import BlacklistEvent, NoticeHow
from notifications.models import Notice, SmsMessage
from notifications.notices import case_contact_add
from tests.enforcement.support import listed

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(reference_data):
    from tests.enforcement.support import make_people

    return make_people()


def test_it_texts_the_employer_s_contact_and_records_the_notice(people):
    entry = listed(people)
    case_contact_add(case=entry.case, name="王会计", phone="13912345678")
    entry = services.blacklist_employer_notify(
        entry_id=entry.pk, actor=people["inspector"], how=NoticeHow.SMS
    )
    assert entry.notified_at is not None and entry.notified_how == "sms"
    notice = Notice.objects.get(step=f"blacklist:{entry.pk}")
    assert notice.recipient_name == "王会计" and notice.status in ("recorded", "sent")
    sms = SmsMessage.objects.get(pk=notice.sms_id)
    assert "失信联合惩戒对象名单" in sms.text and entry.employer.name in sms.text
    assert str(entry.listed_until) in sms.text
    assert BlacklistEvent.objects.filter(entry=entry, action="notify").count() == 1


def test_a_written_notice_is_recorded_without_a_phone(people):
    entry = listed(people)
    entry = services.blacklist_employer_notify(
        entry_id=entry.pk, actor=people["supervisor"], how=NoticeHow.WRITTEN, note="EMS寄送"
    )
    assert entry.notified_how == "written" and entry.notice_note == "EMS寄送"
    assert not Notice.objects.filter(step=f"blacklist:{entry.pk}").exists()


def test_sms_without_a_phone_is_refused_and_a_second_notice_too(people):
    entry = listed(people)
    with pytest.raises(errors.InvalidInput, match="没有用人单位联系人手机号"):
        services.blacklist_employer_notify(
            entry_id=entry.pk, actor=people["inspector"], how=NoticeHow.SMS
        )
    services.blacklist_employer_notify(
        entry_id=entry.pk, actor=people["inspector"], how=NoticeHow.IN_PERSON
    )
    with pytest.raises(errors.Conflict):
        services.blacklist_employer_notify(
            entry_id=entry.pk, actor=people["inspector"], how=NoticeHow.WRITTEN
        )


def test_an_unknown_way_or_another_township_is_refused(people):
    entry = listed(people)
    with pytest.raises(errors.InvalidInput, match=errors.NOTICE_HOW_INVALID):
        services.blacklist_employer_notify(entry_id=entry.pk, actor=people["inspector"], how="fax")
    with pytest.raises(errors.Forbidden, match=errors.NOTIFY_ROLE):
        services.blacklist_employer_notify(
            entry_id=entry.pk, actor=people["other_township"], how=NoticeHow.WRITTEN
        )
