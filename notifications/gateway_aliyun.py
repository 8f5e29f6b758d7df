"""Alibaba Cloud SMS (阿里云短信服务) behind SMS_BACKEND, on its maintained SDK
(alibabacloud-dysmsapi20170525).

Set SMS_BACKEND=notifications.gateway_aliyun.AliyunSmsBackend and, from the
environment (config/settings_parts/notices.py): ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET,
ALIYUN_SMS_SIGN_NAME (the approved 签名), ALIYUN_SMS_TEMPLATES (JSON: purpose -> 模板CODE,
with "default" for the rest), optionally ALIYUN_SMS_ENDPOINT and ALIYUN_SMS_PROTOCOL
(the tests point them at a local fake of the API).

A message with its own template code (a notice template's) sends its variables; any
other sends the whole text as the default template's `content` variable. Receipts:
pushed by the platform to /notifications/sms/receipts/ (notifications/views_notices.py),
or polled here (delivery_status, QuerySendDetails).
"""

import datetime as dt
import json

from django.conf import settings
from django.utils import timezone

from notifications.models import SmsMessage
from notifications.sms import PermanentFailure, SmsBackend

# Codes retrying cannot help (the number, the template, the sign or the account is wrong).
PERMANENT_CODES = frozenset(
    {
        "isv.MOBILE_NUMBER_ILLEGAL",
        "isv.TEMPLATE_MISSING_PARAMETERS",
        "isv.SMS_TEMPLATE_ILLEGAL",
        "isv.SMS_SIGNATURE_ILLEGAL",
        "isv.INVALID_PARAMETERS",
        "isv.PARAM_LENGTH_LIMIT",
        "isv.BLACK_KEY_CONTROL_LIMIT",
        "isv.ACCOUNT_NOT_EXISTS",
        "isv.ACCOUNT_ABNORMAL",
        "isv.AMOUNT_NOT_ENOUGH",
    }
)


class GatewayError(Exception):
    pass


def _client():
    from alibabacloud_dysmsapi20170525.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    config = open_api_models.Config(
        access_key_id=settings.ALIYUN_SMS_ACCESS_KEY_ID,
        access_key_secret=settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
        endpoint=settings.ALIYUN_SMS_ENDPOINT,
        protocol=settings.ALIYUN_SMS_PROTOCOL,
    )
    return Client(config)


def _runtime():
    from alibabacloud_tea_util import models as util_models

    # Our own retries (notifications/sms.py) have back-off and a record; the SDK's do not.
    return util_models.RuntimeOptions(autoretry=False, connect_timeout=5000, read_timeout=10000)


class AliyunSmsBackend(SmsBackend):
    def deliver(self, message: SmsMessage) -> str:
        from alibabacloud_dysmsapi20170525 import models as sms_models

        templates = settings.ALIYUN_SMS_TEMPLATES
        code = message.template_code
        params = json.loads(message.params) if (code and message.params) else None
        if not code:
            code = templates.get(message.purpose.split(":")[-1]) or templates.get("default", "")
            params = {"content": message.text}
        if not code:
            raise PermanentFailure(
                "no Alibaba Cloud template code configured (ALIYUN_SMS_TEMPLATES)"
            )
        request = sms_models.SendSmsRequest(
            phone_numbers=message.phone,
            sign_name=settings.ALIYUN_SMS_SIGN_NAME,
            template_code=code,
            template_param=json.dumps(params, ensure_ascii=False),
            out_id=str(message.pk),
        )
        try:
            response = _client().send_sms_with_options(request, _runtime())
        except Exception as error:  # network, HTTP 5xx, signature: the SDK's own errors
            raise GatewayError(f"gateway unreachable or refused: {type(error).__name__}") from error
        body = response.body
        if body.code != "OK":
            failure = PermanentFailure if body.code in PERMANENT_CODES else GatewayError
            raise failure(f"{body.code}: {body.message}")
        return body.biz_id or ""

    def delivery_status(self, message: SmsMessage) -> dict | None:
        from alibabacloud_dysmsapi20170525 import models as sms_models

        sent_on = timezone.localtime(message.created_at).strftime("%Y%m%d")
        request = sms_models.QuerySendDetailsRequest(
            phone_number=message.phone,
            biz_id=message.provider_id,
            send_date=sent_on,
            page_size=10,
            current_page=1,
        )
        body = _client().query_send_details_with_options(request, _runtime()).body
        if body.code != "OK" or not body.sms_send_detail_dtos:
            return None
        for detail in body.sms_send_detail_dtos.sms_send_detail_dto or []:
            # SendStatus: 1 waiting for a receipt, 2 failed, 3 delivered.
            if detail.send_status == 3:
                return {"delivered": True, "at": _parse_time(detail.receive_date), "code": ""}
            if detail.send_status == 2:
                return {"delivered": False, "at": None, "code": detail.err_code or ""}
        return {"delivered": None}


def _parse_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return timezone.make_aware(dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S"))
    except ValueError:
        return None


def receipts_from_push(items: list) -> list[dict]:
    """The platform's HTTP receipt push (SmsReport): a JSON list of
    {"biz_id", "success", "err_code", "report_time", ...}."""
    receipts = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or not item.get("biz_id"):
            continue
        receipts.append(
            {
                "provider_id": str(item["biz_id"]),
                "delivered": bool(item.get("success")),
                "at": _parse_time(item.get("report_time")),
                "code": str(item.get("err_code") or ""),
            }
        )
    return receipts
