"""Demo cases carry invented phone numbers: a gateway that reaches phones never texts
them, while the recording backend (development, the demo) lets a newcomer see every
step's notices and signing links on demo cases too."""

from cases.models import Case
from notifications.models import Notice
from notifications.sms import SmsBackend
from tests.notifications.notice_support import act, arbitration_staff, dispute_case


class PhoneGateway(SmsBackend):
    """Stands for a real provider: anything that is not the recording backend."""

    def deliver(self, message):
        return "msg-1"


def demo_dispute_case():
    case = dispute_case()
    Case.objects.filter(pk=case.pk).update(is_demo=True)
    case.refresh_from_db()
    return case


def test_it_records_the_notices_of_a_demo_case_when_nothing_reaches_a_phone(
    db, django_capture_on_commit_callbacks
):
    case = demo_dispute_case()

    act(django_capture_on_commit_callbacks, case, arbitration_staff(), "accept")

    assert Notice.objects.get(case=case).event == "accepted"


def test_it_texts_nobody_on_a_demo_case_through_a_real_gateway(
    db, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.notifications.test_demo_case_notices.PhoneGateway"
    case = demo_dispute_case()

    act(django_capture_on_commit_callbacks, case, arbitration_staff(), "accept")

    assert not Notice.objects.filter(case=case).exists()
