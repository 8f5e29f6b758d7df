"""SMS through a pluggable backend (settings.SMS_BACKEND, a dotted path).

The default backend only records: each message is stored in SmsMessage (the text) and
logged (without the text), so a county without an SMS gateway contract still sees what
would have been sent. A real gateway backend subclasses SmsBackend and implements
deliver() (notifications/gateway_aliyun.py: Alibaba Cloud SMS).

Every message is a row before it is handed over. A phone gets at most
LABORCASE_SMS_DAILY_CAP texts a day (the rest are stored as capped, not sent). A failed
hand-over is retried on the same row with back-off (sms_retry_due, run every minute by
the beat and `manage.py notices_run`) up to LABORCASE_SMS_MAX_ATTEMPTS times. The
provider's delivery receipts (pushed to the receipt endpoint, or polled) are kept on
the row. The log never carries a text: it may hold a query code or a document link.
"""

import datetime as dt
import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from core import pii
from core.dates import day_start
from core.validators import mask_phone
from notifications.models import Notice, SmsMessage

logger = logging.getLogger(__name__)


class SmsBackend:
    def deliver(self, message: SmsMessage) -> str | None:
        """Hand the message to the gateway; raise on failure. May return the
        provider's id of the message (kept to match its delivery receipt)."""
        raise NotImplementedError

    def delivery_status(self, message: SmsMessage) -> dict | None:
        """The provider's receipt for a sent message, if it can be asked:
        {"delivered": bool | None, "at": datetime | None, "code": str}."""
        return None


class PermanentFailure(Exception):
    """The gateway refused the message for good (a bad number, a missing template):
    retrying cannot help."""


class RecordingBackend(SmsBackend):
    def deliver(self, message: SmsMessage) -> None:
        # Nothing to hand over: the stored row and the log line are the record.
        return None


def backend_path() -> str:
    return getattr(settings, "SMS_BACKEND", "notifications.sms.RecordingBackend")


def texts_reach_phones() -> bool:
    """False with the recording backend (development, the demo): nothing leaves the
    machine."""
    return not issubclass(import_string(backend_path()), RecordingBackend)


def sms_send(
    *,
    phone: str,
    text: str,
    purpose: str = "",
    case_number: str = "",
    params: dict | None = None,
    template_code: str = "",
) -> SmsMessage:
    path = backend_path()
    backend = import_string(path)()
    capped = _over_daily_cap(phone)
    message = SmsMessage.objects.create(
        phone=phone,
        text=text,
        purpose=purpose,
        case_number=case_number,
        backend=path,
        params=json.dumps(params, ensure_ascii=False) if params else "",
        template_code=template_code,
        status=SmsMessage.Status.CAPPED if capped else SmsMessage.Status.RECORDED,
    )
    if capped:
        logger.warning(
            "sms %s to %s not sent: daily cap reached, case %s",
            purpose,
            mask_phone(phone),
            case_number,
        )
        return message
    _deliver(message, backend)
    return message


def _over_daily_cap(phone: str) -> bool:
    cap = int(getattr(settings, "LABORCASE_SMS_DAILY_CAP", 20))
    if not phone or cap <= 0:
        return False
    start = day_start(timezone.localdate())
    sent_today = SmsMessage.objects.filter(
        phone_index=pii.blind_index(phone), created_at__gte=start
    ).exclude(status=SmsMessage.Status.CAPPED)
    return sent_today.count() >= cap


def backoff(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most 2 hours."""
    base = int(getattr(settings, "LABORCASE_SMS_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 7200))


def _deliver(message: SmsMessage, backend: SmsBackend) -> None:
    message.attempts += 1
    max_attempts = int(getattr(settings, "LABORCASE_SMS_MAX_ATTEMPTS", 6))
    try:
        provider_id = backend.deliver(message)
    except Exception as error:  # a gateway failure must not lose the message or the request
        message.status, message.error = SmsMessage.Status.FAILED, str(error)[:2000]
        retry = not isinstance(error, PermanentFailure) and message.attempts < max_attempts
        message.next_attempt_at = timezone.now() + backoff(message.attempts) if retry else None
        logger.warning(
            "sms %s to %s failed (attempt %s%s): %s",
            message.purpose,
            mask_phone(message.phone),
            message.attempts,
            ", will retry" if retry else ", giving up",
            error,
        )
    else:
        if not isinstance(backend, RecordingBackend):
            message.status = SmsMessage.Status.SENT
        else:
            message.status = SmsMessage.Status.RECORDED
        message.error, message.next_attempt_at = "", None
        if provider_id:
            message.provider_id = str(provider_id)[:64]
        # Not the text: a confirmation carries the case's query code, a credential.
        logger.info(
            "sms %s to %s (%s), case %s",
            message.purpose,
            mask_phone(message.phone),
            message.backend,
            message.case_number,
        )
    message.save(update_fields=["status", "error", "attempts", "next_attempt_at", "provider_id"])
    Notice.objects.filter(sms=message).update(status=notice_status(message))


def notice_status(message: SmsMessage) -> str:
    """The status a notice shows for its SMS."""
    S = SmsMessage.Status
    if message.status == S.FAILED:
        return Notice.Status.FAILED if message.next_attempt_at else Notice.Status.GAVE_UP
    return {
        S.SENT: Notice.Status.SENT,
        S.RECORDED: Notice.Status.RECORDED,
        S.CAPPED: Notice.Status.CAPPED,
    }[message.status]


def sms_retry_due(*, now: dt.datetime | None = None) -> int:
    """Hand every failed message whose back-off has passed to the gateway again.
    Returns how many were tried."""
    now = now or timezone.now()
    backend = import_string(backend_path())()
    tried = 0
    due = SmsMessage.objects.filter(status=SmsMessage.Status.FAILED, next_attempt_at__lte=now)
    for pk in list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:200]):
        with transaction.atomic():
            message = (
                SmsMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=SmsMessage.Status.FAILED, next_attempt_at__lte=now)
                .first()
            )
            if message is None:
                continue  # another worker has it
            message.backend = backend_path()
            SmsMessage.objects.filter(pk=pk).update(backend=message.backend)
            _deliver(message, backend)
            tried += 1
    return tried


# --- delivery receipts ---------------------------------------------------------------


def receipt_record(
    *, provider_id: str, delivered: bool, at: dt.datetime | None, code: str = ""
) -> int:
    """The provider says whether a message reached the phone. Returns rows updated."""
    if not provider_id:
        return 0
    return SmsMessage.objects.filter(provider_id=provider_id[:64]).update(
        delivered_at=(at or timezone.now()) if delivered else None,
        delivery_status="delivered" if delivered else "undelivered",
        delivery_error="" if delivered else (code or "")[:100],
    )


def receipts_poll(*, now: dt.datetime | None = None) -> int:
    """Ask the gateway about sent messages of the last two days still without a
    receipt (for a deployment whose receipts cannot be pushed to us)."""
    now = now or timezone.now()
    backend = import_string(backend_path())()
    asked = 0
    waiting = SmsMessage.objects.filter(
        status=SmsMessage.Status.SENT,
        delivery_status="",
        created_at__gte=now - dt.timedelta(days=2),
    ).exclude(provider_id="")
    for message in waiting.order_by("created_at")[:200]:
        try:
            receipt = backend.delivery_status(message)
        except Exception:
            logger.warning("receipt query for sms %s failed", message.pk, exc_info=True)
            continue
        asked += 1
        if receipt and receipt.get("delivered") is not None:
            receipt_record(
                provider_id=message.provider_id,
                delivered=receipt["delivered"],
                at=receipt.get("at"),
                code=receipt.get("code", ""),
            )
    return asked
