"""Case events become a hash chain, and PostgreSQL refuses to change or delete them.

Existing events are chained in place (per case, in id order) before the trigger is
created; on PostgreSQL the trigger then makes UPDATE and DELETE on cases_caseevent
raise. TRUNCATE (test database flushes) is not a row change and stays possible for
the table owner only.
"""

from django.db import migrations, models

REFUSE = """
CREATE OR REPLACE FUNCTION caseevent_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'cases_caseevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS caseevent_append_only ON cases_caseevent;
CREATE TRIGGER caseevent_append_only BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION caseevent_append_only();
"""

ALLOW = """
DROP TRIGGER IF EXISTS caseevent_append_only ON cases_caseevent;
DROP FUNCTION IF EXISTS caseevent_append_only();
"""


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


def event_hash(event, prev_hash: str) -> str:
    """The chain's first scheme, plain SHA-256, frozen here: migration 0009 checks these
    hashes before it signs the chains with the audit key."""
    import datetime as dt
    import hashlib
    import json

    def canonical(value):
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
        return value

    content = {name: canonical(getattr(event, name)) for name in HASHED_FIELDS}
    content["prev_hash"] = prev_hash
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chain_existing(apps, schema_editor):
    CaseEvent = apps.get_model("cases", "CaseEvent")
    previous_case, head = None, ""
    changed = []
    for event in CaseEvent.objects.order_by("case_id", "id").iterator(chunk_size=2000):
        if event.case_id != previous_case:
            previous_case, head = event.case_id, ""
        event.prev_hash = head
        event.hash = head = event_hash(event, event.prev_hash)
        changed.append(event)
        if len(changed) >= 2000:
            CaseEvent.objects.bulk_update(changed, ["prev_hash", "hash"])
            changed = []
    if changed:
        CaseEvent.objects.bulk_update(changed, ["prev_hash", "hash"])


def trigger_install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # A plain cursor: no parameters, so the % of RAISE is not a placeholder.
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(REFUSE)


def trigger_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(ALLOW)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_case_indexes_for_the_command_screen"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="caseevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigger_install, trigger_remove),
    ]
