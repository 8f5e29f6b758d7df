"""Case events are signed with the audit key (HMAC-SHA256, cases/audit.py).

The plain SHA-256 chain of migration 0004 let anyone who could write the table append a
row with a correctly computed hash. Here every chain is checked in its old scheme and
signed again under the newest key of LABORCASE_AUDIT_KEYS, as far as it is intact: from
the first broken link on, rows keep their old hash and no key id, so verify_audit_chain
still names that row (cases.audit.UNKEYED) instead of the break being signed over. Both
schemes are frozen here, so later changes to cases/audit.py cannot change this step.
"""

import datetime as dt
import hashlib
import hmac
import json

from django.conf import settings
from django.db import migrations, models

HASHED_FIELDS = (
    "case_id",
    "actor_id",
    "actor_label",
    "transition",
    "from_state",
    "to_state",
    "note",
    "data",
    "created_at",
)
BATCH = 2000


def _text(event, prev_hash: str, **extra) -> bytes:
    def canonical(value):
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    content = {name: canonical(getattr(event, name)) for name in HASHED_FIELDS}
    content["prev_hash"] = prev_hash
    content.update(extra)
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def plain_hash(event, prev_hash: str) -> str:
    return hashlib.sha256(_text(event, prev_hash)).hexdigest()


def keyed_hash(event, prev_hash: str, key: str, key_id: str) -> str:
    return hmac.new(key.encode(), _text(event, prev_hash, key_id=key_id), hashlib.sha256).hexdigest()


def _trigger(schema_editor, enable: bool) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # none pending for ALTER TABLE
            cursor.execute(
                f"ALTER TABLE cases_caseevent {'ENABLE' if enable else 'DISABLE'} "
                "TRIGGER caseevent_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def sign_existing(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    if not CaseEvent.objects.exists():
        return
    key = settings.LABORCASE_AUDIT_KEYS[0]
    key_id = hashlib.sha256(f"laborcase-audit-key-id:{key}".encode()).hexdigest()[:8]
    _trigger(schema_editor, enable=False)
    current, old_prev, new_prev, intact = None, "", "", True
    changed = []
    for event in CaseEvent.objects.order_by("case_id", "id").iterator(chunk_size=BATCH):
        if event.case_id != current:
            current, old_prev, new_prev, intact = event.case_id, "", "", True
        old_hash = event.hash
        intact = (
            intact
            and bool(old_hash)
            and event.prev_hash == old_prev
            and plain_hash(event, event.prev_hash) == old_hash
        )
        old_prev = old_hash
        if not intact:
            continue  # left as it was: verify_audit_chain names this row
        event.prev_hash = new_prev
        event.key_id = key_id
        event.hash = new_prev = keyed_hash(event, event.prev_hash, key, key_id)
        changed.append(event)
        if len(changed) >= BATCH:
            CaseEvent.objects.bulk_update(changed, ["prev_hash", "hash", "key_id"])
            changed = []
    if changed:
        CaseEvent.objects.bulk_update(changed, ["prev_hash", "hash", "key_id"])
    _trigger(schema_editor, enable=True)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0010_query_code_hashed"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="key_id",
            field=models.CharField(blank=True, default="", editable=False, max_length=16),
        ),
        migrations.RunPython(sign_existing, migrations.RunPython.noop, elidable=True),
    ]
