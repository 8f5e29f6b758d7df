"""The Alibaba Cloud SMS adapter, against a local fake of its HTTP API: sent with the
sign name and template, retried with back-off, capped per phone, receipts kept."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from notifications import sms
from notifications.models import SmsMessage
from tests.notifications.fake_aliyun import FakeAliyunSms

PHONE = "13800138000"


@pytest.fixture
def fake(settings):
    with FakeAliyunSms() as server:
        settings.SMS_BACKEND = "notifications.gateway_aliyun.AliyunSmsBackend"
        settings.ALIYUN_SMS_ACCESS_KEY_ID = "test-key"
        settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "test-secret"
        settings.ALIYUN_SMS_SIGN_NAME = "襄汾县人社局"
        settings.ALIYUN_SMS_TEMPLATES = {"default": "SMS_000001", "complaint_filed": "SMS_000002"}
        settings.ALIYUN_SMS_ENDPOINT = server.endpoint
        settings.ALIYUN_SMS_PROTOCOL = "http"
        yield server


def test_it_sends_through_the_provider(db, fake):
    message = sms.sms_send(phone=PHONE, text="案件XF-2026-000001已受理", purpose="notice:accepted")

    assert message.status == "sent" and message.provider_id == "900001^0"
    sent = fake.sent[0]
    assert (sent["PhoneNumbers"], sent["SignName"], sent["TemplateCode"]) == (
        PHONE,
        "襄汾县人社局",
        "SMS_000001",
    )
    assert json.loads(sent["TemplateParam"]) == {"content": "案件XF-2026-000001已受理"}


def test_it_uses_the_template_code_of_the_purpose(db, fake):
    sms.sms_send(phone=PHONE, text="查询码ABCD", purpose="complaint_filed")

    assert fake.sent[0]["TemplateCode"] == "SMS_000002"


def test_it_retries_a_failed_send_with_back_off(db, fake):
    fake.failures = ["HTTP500", "isv.BUSINESS_LIMIT_CONTROL"]

    message = sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")
    assert message.status == "failed" and message.next_attempt_at

    assert sms.sms_retry_due() == 0  # not yet: back-off
    later = timezone.now() + dt.timedelta(minutes=2)
    assert sms.sms_retry_due(now=later) == 1  # fails again, waits longer
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at > later
    sms.sms_retry_due(now=later + dt.timedelta(minutes=5))

    message.refresh_from_db()
    assert (message.status, message.attempts, len(fake.sent)) == ("sent", 3, 1)


def test_it_gives_up_on_a_permanent_refusal(db, fake):
    fake.failures = ["isv.MOBILE_NUMBER_ILLEGAL"]

    message = sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")

    assert message.status == "failed" and message.next_attempt_at is None
    assert "MOBILE_NUMBER_ILLEGAL" in message.error


def test_it_caps_the_texts_to_one_phone_a_day(db, fake, settings):
    settings.LABORCASE_SMS_DAILY_CAP = 2
    for _ in range(2):
        sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")

    third = sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")

    assert third.status == "capped" and len(fake.sent) == 2
    assert sms.sms_send(phone="13900139000", text="测试").status == "sent"


def test_it_records_a_pushed_receipt(db, fake, client, settings):
    settings.LABORCASE_SMS_RECEIPT_TOKEN = "receipt-secret"
    message = sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")
    push = [
        {
            "biz_id": message.provider_id,
            "success": True,
            "err_code": "DELIVERED",
            "report_time": "2026-12-03 10:00:05",
            "phone_number": PHONE,
        }
    ]

    refused = client.post(
        "/notifications/sms/receipts/?token=wrong", push, content_type="application/json"
    )
    answer = client.post(
        "/notifications/sms/receipts/?token=receipt-secret", push, content_type="application/json"
    )

    assert refused.status_code == 403 and answer.json() == {"code": 0, "msg": "成功"}
    message.refresh_from_db()
    assert message.delivery_status == "delivered" and message.delivered_at


def test_it_polls_for_receipts(db, fake):
    message = sms.sms_send(phone=PHONE, text="测试", purpose="notice:award")
    fake.delivered[message.provider_id] = (3, "2026-12-03 10:00:05")

    assert sms.receipts_poll() == 1

    message.refresh_from_db()
    assert message.delivery_status == "delivered"


def test_it_logs_without_the_text(db, fake, caplog):
    caplog.set_level("INFO", logger="notifications.sms")

    sms.sms_send(phone=PHONE, text="查询码SECRET1", purpose="complaint_filed")

    assert "SECRET1" not in caplog.text and PHONE not in caplog.text
    assert "138****8000" in caplog.text
    assert SmsMessage.objects.get().text == "查询码SECRET1"  # stored encrypted, for the record
