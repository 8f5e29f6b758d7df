"""SMS go through a pluggable backend; the default records them so none is dropped."""

from notifications.models import SmsMessage
from notifications.sms import SmsBackend, sms_send


class BrokenGateway(SmsBackend):
    def deliver(self, message):
        raise ConnectionError("gateway unreachable")


def test_it_records_the_message_with_the_default_backend(db):
    message = sms_send(phone="13800138000", text="您的案件编号XF-2026-000001", purpose="filed")

    stored = SmsMessage.objects.get()
    assert stored == message
    assert (stored.status, stored.backend) == ("recorded", "notifications.sms.RecordingBackend")


def test_it_keeps_the_message_when_the_gateway_fails(db, settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms.BrokenGateway"

    message = sms_send(phone="13800138000", text="测试", purpose="filed")

    assert message.status == "failed"
    assert "gateway unreachable" in message.error
