"""The Idempotency-Key protocol, for any POST of the API (docs/api.md).

A request that carries the header is answered once: the first answer (status and body)
is stored, and a retry by the same caller with the same key and the same body gets it
back instead of doing the work again. A key belongs to its caller (the signed-in user,
else the client's address) and lapses after LABORCASE_IDEMPOTENCY_HOURS.

A view uses it by mixing in IdempotentPost and wrapping what its POST does once its
input is valid:

    class ComplaintCreate(IdempotentPost, APIView):
        def post(self, request):
            ...validate...
            return self.once(request, lambda: Response(...))
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from cases import errors
from cases.models import IdempotencyRecord
from config.client_address import client_address
from core import pii

HEADER = "Idempotency-Key"
IN_FLIGHT = "同一请求正在处理中，请稍后重试。"
KEY_REUSED = "Idempotency-Key 已用于另一个不同的请求。"


def cutoff() -> dt.datetime:
    """Records created before this have lapsed (LABORCASE_IDEMPOTENCY_HOURS)."""
    return timezone.now() - dt.timedelta(hours=settings.LABORCASE_IDEMPOTENCY_HOURS)


def lapsed_delete(*, scope: str | None = None, key: str | None = None) -> int:
    """Deletes lapsed records: one caller's key before it is claimed again, or all of
    them (cases.tasks.idempotency_purge, hourly)."""
    records = IdempotencyRecord.objects.filter(created_at__lt=cutoff())
    if scope is not None:
        records = records.filter(scope=scope, key=key)
    deleted, _ = records.delete()
    return deleted


def request_hash(body) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def caller_scope(request) -> str:
    """Whose key it is: the signed-in user, else the client's address. Two callers may
    use the same key without meeting; a key reaches only its own caller's answer."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return f"ip:{client_address(request)}"


# A stored answer may hold a secret shown only once (a new case's query code): such
# fields are kept encrypted like personal data, since the database keeps none in clear.
def seal(body: dict, fields: Iterable[str]) -> dict:
    for name in fields:
        if body.get(name):
            kept = {k: v for k, v in body.items() if k != name}
            body = {**kept, f"{name}_encrypted": pii.encrypt(body[name])}
    return body


def unseal(stored: dict, fields: Iterable[str]) -> dict:
    for name in fields:
        sealed = f"{name}_encrypted"
        if sealed in stored:
            kept = {k: v for k, v in stored.items() if k != sealed}
            stored = {**kept, name: pii.decrypt(stored[sealed])}
    return stored


def _claim(scope: str, key: str, body) -> IdempotencyRecord | None:
    """The key's row, inserted now; None when this caller holds the key already."""
    try:
        # A concurrent retry with the same key waits on this row until the first
        # request's transaction ends, then finds the stored answer.
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                scope=scope, key=key, request_hash=request_hash(body), status_code=0, response={}
            )
    except IntegrityError:
        return None


def _replay(*, scope: str, key: str, body, mismatch: str, sealed: Iterable[str]) -> Response:
    """The stored answer to this caller's earlier request with this key."""
    record = IdempotencyRecord.objects.filter(
        scope=scope, key=key, created_at__gte=cutoff()
    ).first()
    if record is None or record.status_code == 0:
        raise errors.Conflict(IN_FLIGHT)
    if record.request_hash != request_hash(body):
        raise errors.Conflict(mismatch)
    return Response(unseal(record.response, sealed), status=record.status_code)


class IdempotentPost:
    """For an APIView whose POST honours the Idempotency-Key header."""

    # The 409 for a key this caller already used with another body.
    idempotency_mismatch = KEY_REUSED
    # Fields of the answer stored encrypted (see seal).
    idempotency_sealed: tuple[str, ...] = ()

    def once(self, request, action: Callable[[], Response]) -> Response:
        """action()'s response; with a key, only the first time (a retry gets it back)."""
        key = request.headers.get(HEADER, "").strip()[:200]
        if not key:
            return action()
        scope = caller_scope(request)
        with transaction.atomic():
            lapsed_delete(scope=scope, key=key)
            record = _claim(scope, key, request.data)
            if record is not None:
                response = action()
                record.status_code = response.status_code
                record.response = seal(response.data, self.idempotency_sealed)
                record.save(update_fields=["status_code", "response"])
                return response
        return _replay(
            scope=scope,
            key=key,
            body=request.data,
            mismatch=self.idempotency_mismatch,
            sealed=self.idempotency_sealed,
        )
