"""Texts and served documents: the SMS backend and its limits, the Alibaba Cloud gateway,
the public address links in texts point to, the hearing venue and the phone link."""

import json
import os

# SMS: the default backend records every message in the database and the log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.RecordingBackend")
# notifications/sms.py: at most this many texts to one phone a day; retries with back-off.
LABORCASE_SMS_DAILY_CAP = int(os.environ.get("LABORCASE_SMS_DAILY_CAP", "20"))
LABORCASE_SMS_MAX_ATTEMPTS = int(os.environ.get("LABORCASE_SMS_MAX_ATTEMPTS", "6"))
LABORCASE_SMS_RETRY_BASE_SECONDS = int(os.environ.get("LABORCASE_SMS_RETRY_BASE_SECONDS", "60"))
# The receipt push URL given to the SMS platform carries this secret (?token=...).
LABORCASE_SMS_RECEIPT_TOKEN = os.environ.get("LABORCASE_SMS_RECEIPT_TOKEN", "")
# Alibaba Cloud SMS (notifications/gateway_aliyun.py), when SMS_BACKEND names it.
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATES = json.loads(os.environ.get("ALIYUN_SMS_TEMPLATES", "{}") or "{}")
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
ALIYUN_SMS_PROTOCOL = os.environ.get("ALIYUN_SMS_PROTOCOL", "https")
# Links in texts (document service, signing) start with this address, as a phone sees it.
LABORCASE_PUBLIC_URL = os.environ.get("LABORCASE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
LABORCASE_HEARING_DEFAULT_VENUE = os.environ.get(
    "LABORCASE_HEARING_DEFAULT_VENUE", "襄汾县劳动人事争议仲裁院第一仲裁庭"
)
# The phone link (notifications/service_records.py): wrong ID digits before it locks.
LABORCASE_SERVICE_LINK_MAX_FAILURES = int(
    os.environ.get("LABORCASE_SERVICE_LINK_MAX_FAILURES", "5")
)
