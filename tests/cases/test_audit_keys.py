"""The case history chain is keyed: a row forged by someone who can write the table but
does not hold LABORCASE_AUDIT_KEYS is detected, keys rotate, and migration 0009 signed
the chains of the plain SHA-256 scheme without signing over a break."""

import hashlib
import importlib
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from cases import audit
from cases.models import CaseEvent
from tests.factories import claimant, file_case

pytestmark = pytest.mark.django_db

KEYED = importlib.import_module("cases.migrations.0011_case_event_keyed_chain")


def verify() -> tuple[bool, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit_chain", stdout=out, stderr=err)
    except CommandError as error:
        return False, err.getvalue() + str(error)
    return True, out.getvalue()


def plain_sha256(event, prev_hash: str) -> str:
    """The unkeyed scheme: what an attacker without the key can compute."""
    content = {name: audit._canonical(getattr(event, name)) for name in audit.HASHED_FIELDS}
    content["prev_hash"] = prev_hash
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def forged_close(case) -> CaseEvent:
    head = audit.chain_head(case.pk)
    return CaseEvent(
        case=case,
        actor_label="劳动者",
        transition="close",
        from_state=case.state,
        to_state="closed",
        note="已结案",
        data={},
        created_at=timezone.now(),
        prev_hash=head,
    )


def insert(event: CaseEvent) -> CaseEvent:
    """As someone with write access to the table would: a plain INSERT, no trigger fires."""
    event.save()
    return event


def test_it_detects_an_event_appended_with_a_correct_unkeyed_hash():
    case = file_case(claimants=[claimant(0)])
    event = forged_close(case)
    event.hash = plain_sha256(event, event.prev_hash)
    insert(event)

    ok, output = verify()

    assert not ok
    assert f"event id={event.pk} (#2 in its chain): {audit.UNKEYED}" in output


def test_it_detects_an_event_signed_with_a_guessed_key_under_the_real_key_id():
    case = file_case(claimants=[claimant(0)])
    event = forged_close(case)
    event.key_id = audit.current_key_id()  # public: every row shows it
    event.hash = audit.hmac.new(
        b"a guess", b"whatever the attacker signs", audit.hashlib.sha256
    ).hexdigest()
    insert(event)

    ok, output = verify()

    assert not ok
    assert f"event id={event.pk} (#2 in its chain): {audit.CONTENT_CHANGED}" in output


def test_it_detects_an_event_signed_with_a_key_of_its_own(settings):
    case = file_case(claimants=[claimant(0)])
    event = forged_close(case)
    own_key = "the attacker's own key"
    event.key_id = audit.key_id_of(own_key)
    event.hash = KEYED.keyed_hash(event, event.prev_hash, own_key, event.key_id)
    insert(event)

    ok, output = verify()

    assert not ok
    assert f"event id={event.pk} (#2 in its chain): {audit.UNKNOWN_KEY}" in output


def test_the_key_signs_every_event_and_stays_out_of_the_database():
    case = file_case(claimants=[claimant(0)])
    event = CaseEvent.objects.get(case=case)
    key = audit.audit_keys()[event.key_id]

    assert event.key_id == audit.current_key_id()
    assert event.hash == audit.event_hash(event, "")
    assert event.hash != plain_sha256(event, "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cases_caseevent")
        dumped = repr(cursor.fetchall())
    assert key.decode() not in dumped


def test_keys_rotate_and_audit_resign_moves_every_chain_to_the_newest(settings):
    old_key = settings.LABORCASE_AUDIT_KEYS[0]
    first = file_case(claimants=[claimant(0)])
    settings.LABORCASE_AUDIT_KEYS = ["a new audit key, long and random", old_key]
    second = file_case(employer="另一家公司", claimants=[claimant(1)])
    old_id, new_id = audit.key_id_of(old_key), audit.current_key_id()
    assert CaseEvent.objects.get(case=first).key_id == old_id
    assert CaseEvent.objects.get(case=second).key_id == new_id
    assert verify()[0]  # both keys known: both verify

    settings.LABORCASE_AUDIT_KEYS = ["a new audit key, long and random"]
    ok, output = verify()
    assert not ok and audit.UNKNOWN_KEY in output  # dropped too early

    settings.LABORCASE_AUDIT_KEYS = ["a new audit key, long and random", old_key]
    out = StringIO()
    call_command("audit_resign", stdout=out)
    assert "re-signed 1 events" in out.getvalue()
    settings.LABORCASE_AUDIT_KEYS = ["a new audit key, long and random"]
    assert verify()[0]
    assert set(CaseEvent.objects.values_list("key_id", flat=True)) == {new_id}


def test_audit_resign_leaves_a_broken_chain_broken(settings):
    case = file_case(claimants=[claimant(0)])
    event = forged_close(case)
    event.hash = plain_sha256(event, event.prev_hash)
    insert(event)
    settings.LABORCASE_AUDIT_KEYS = ["a new audit key", *settings.LABORCASE_AUDIT_KEYS]

    with pytest.raises(CommandError, match="1 broken chain"):
        call_command("audit_resign", stdout=StringIO(), stderr=StringIO())

    ok, output = verify()
    assert not ok and f"event id={event.pk}" in output


def _rewrite(change):
    """Change stored events (PostgreSQL: with the append-only trigger off, as the owner)."""
    audit._append_only_trigger(connection, enable=False)
    try:
        change()
    finally:
        audit._append_only_trigger(connection, enable=True)


def _as_before_0009(events):
    """Rewrite the chain as migration 0004 left it: plain SHA-256, no key id."""
    head = ""
    for event in events:
        event.prev_hash, event.key_id = head, ""
        event.hash = head = plain_sha256(event, head)
    _rewrite(lambda: CaseEvent.objects.bulk_update(events, ["prev_hash", "hash", "key_id"]))


def test_migration_0009_signs_intact_chains_and_not_a_broken_one():
    intact = file_case(claimants=[claimant(0)])
    broken = file_case(employer="另一家公司", claimants=[claimant(1)])
    file_case(employer="另一家公司", claimants=[claimant(1), claimant(2)])  # linked: 2 events
    _as_before_0009(list(CaseEvent.objects.filter(case=intact)))
    _as_before_0009(list(CaseEvent.objects.filter(case=broken).order_by("id")))
    # A row edited before the migration: signing the chain must not make it valid.
    edited = CaseEvent.objects.filter(case=broken).order_by("id").last()
    _rewrite(lambda: CaseEvent.objects.filter(pk=edited.pk).update(note="改过"))

    class Editor:
        pass

    Editor.connection = connection

    KEYED.sign_existing(apps, Editor())

    ok, output = verify()
    assert not ok
    assert (
        f"case {broken.number}: event id={edited.pk} (#2 in its chain): {audit.UNKEYED}" in output
    )
    assert intact.number not in output
