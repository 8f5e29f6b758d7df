"""SMS through a pluggable backend (settings.SMS_BACKEND, a dotted path).

The default backend only records: each message is stored in SmsMessage (the text) and
logged (without the text), so a county without an SMS gateway contract still sees what
would have been sent. A real gateway backend subclasses SmsBackend and implements
deliver().
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from core.validators import mask_phone
from notifications.models import SmsMessage

logger = logging.getLogger(__name__)


class SmsBackend:
    def deliver(self, message: SmsMessage) -> None:
        """Hand the message to the gateway; raise on failure."""
        raise NotImplementedError


class RecordingBackend(SmsBackend):
    def deliver(self, message: SmsMessage) -> None:
        # Nothing to hand over: the stored row and the log line are the record.
        return None


def sms_send(*, phone: str, text: str, purpose: str = "", case_number: str = "") -> SmsMessage:
    backend_path = getattr(settings, "SMS_BACKEND", "notifications.sms.RecordingBackend")
    backend = import_string(backend_path)()
    message = SmsMessage.objects.create(
        phone=phone, text=text, purpose=purpose, case_number=case_number, backend=backend_path
    )
    try:
        backend.deliver(message)
    except Exception as error:  # a gateway failure must not lose the message or the request
        message.status, message.error = SmsMessage.Status.FAILED, str(error)[:2000]
        logger.warning("sms to %s failed: %s", mask_phone(phone), error)
    else:
        if not isinstance(backend, RecordingBackend):
            message.status = SmsMessage.Status.SENT
        # Not the text: a confirmation carries the case's query code, a credential.
        logger.info(
            "sms %s to %s (%s), case %s", purpose, mask_phone(phone), backend_path, case_number
        )
    message.save(update_fields=["status", "error"])
    return message
