"""Alerts about the re-employment ledger: a person whose 1+3+1 services are overdue.

One open alert per person (Alert.ledger_entry, reason service_overdue), addressed to the
township (its group) and to the stewards of the person's village (notify_users). The
scan reads the overdue items in one grouped query (employment.selectors.overdue_entries),
raises what is new, and resolves the alerts of people no longer overdue; a ledger change
resolves at once (ledger_changed), so a done item does not wait for the next scan.
"""

import datetime as dt
import logging
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.dispatch import receiver
from django.utils import timezone

from core.models import Township, Village
from employment import referrals as ledger_referrals
from employment import selectors as ledger
from employment import signals
from employment.models import Referral
from notifications import push, sms
from notifications.models import Alert
from rules.models import RiskLevel

logger = logging.getLogger(__name__)

REASON = Alert.Reason.SERVICE_OVERDUE
MESSAGE = "{name}（{village}）的1+3+1服务有{items}项已超期，最早应于{due}完成。"


def service_overdue_scan(*, now: dt.datetime | None = None) -> list[int]:
    """Raise an alert for each person newly overdue; resolve the ones caught up."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # Every minute: the database compares the overdue items with the open alerts (two
    # anti-joins on indexes) and only what changed comes back, not every person overdue
    # with their name (docs/performance.md).
    open_alerts = Alert.objects.filter(reason=REASON, status=Alert.Status.OPEN)
    overdue = ledger.overdue_items(today)
    caught_up = list(
        open_alerts.exclude(Exists(overdue.filter(entry_id=OuterRef("ledger_entry_id"))))
        .values_list("pk", flat=True)
        .order_by()
    )
    newly = set(
        overdue.exclude(Exists(open_alerts.filter(ledger_entry_id=OuterRef("entry_id"))))
        .values_list("entry_id", flat=True)
        .order_by()
    )
    new = ledger.overdue_entries(today=today, entry_ids=newly) if newly else []
    if not (caught_up or new):
        return []  # the usual minute: nothing changed, no transaction
    with transaction.atomic():
        if caught_up:
            Alert.objects.filter(pk__in=caught_up).update(
                status=Alert.Status.RESOLVED, resolved_at=now
            )
        raised = _raise(new, now) if new else []
    if raised:
        transaction.on_commit(partial(push.alerts_send, raised))
        logger.info("1+3+1 overdue: %s alerts raised, %s resolved", len(raised), len(caught_up))
    return [alert.pk for alert in raised]


def _raise(rows, now) -> list[Alert]:
    villages = dict(
        Village.objects.filter(pk__in={r.village_id for r in rows}).values_list("pk", "name")
    )
    alerts = Alert.objects.bulk_create(
        [
            Alert(
                ledger_entry_id=row.entry_id,
                township_id=row.township_id,
                reason=REASON,
                level=RiskLevel.YELLOW,
                message=MESSAGE.format(
                    name=row.name,
                    village=villages.get(row.village_id, ""),
                    items=row.items,
                    due=row.oldest_due.isoformat(),
                )[:500],
                deadline=row.oldest_due,
                created_at=now,
            )
            for row in rows
        ],
        ignore_conflicts=False,
    )
    stewards = ledger.village_stewards(r.village_id for r in rows)
    through = Alert.notify_users.through
    links = []
    by_entry = {row.entry_id: row for row in rows}
    for alert in alerts:
        ids = stewards.get(by_entry[alert.ledger_entry_id].village_id, [])
        alert.notify_ids = ids
        links += [through(alert_id=alert.pk, user_id=user_id) for user_id in ids]
    through.objects.bulk_create(links, ignore_conflicts=True)
    # push.alert_payload reads the township (code, name): one query for all of them.
    townships = {t.pk: t for t in Township.objects.filter(pk__in={a.township_id for a in alerts})}
    for alert in alerts:
        alert.township = townships[alert.township_id]
    return alerts


def service_overdue_resolve(*, entry_ids, now: dt.datetime | None = None) -> int:
    """Resolve the open alerts of these people if nothing of theirs is overdue any more."""
    if not entry_ids:
        return 0
    now = now or timezone.now()
    today = timezone.localdate(now)
    still = {row.entry_id for row in ledger.overdue_entries(today=today, entry_ids=entry_ids)}
    done = set(entry_ids) - still
    if not done:
        return 0
    return Alert.objects.filter(
        reason=REASON, status=Alert.Status.OPEN, ledger_entry_id__in=done
    ).update(status=Alert.Status.RESOLVED, resolved_at=now)


# --- listening to the ledger (employment.signals, sent after commit) ---------------------


@receiver(signals.ledger_changed, dispatch_uid="notifications.ledger_changed")
def on_ledger_changed(sender, entry_ids, **kwargs):
    """A done item resolves its alert at once; the screen's figures follow every change
    (forced: ledger changes are a person's work, not a flood)."""
    try:
        service_overdue_resolve(entry_ids=entry_ids)
    except Exception:  # the change is committed; the next scan resolves it
        logger.exception("1+3+1 alert resolve failed for %s", entry_ids)
    push.summary_push(force=True)


@receiver(signals.referral_sms_requested, dispatch_uid="notifications.referral_sms")
def on_referral_sms_requested(sender, referral_id, **kwargs):
    referral = (
        Referral.objects.filter(pk=referral_id)
        .select_related("entry__person", "posting__employer")
        .first()
    )
    if referral is None or not referral.entry.person.phone:
        return
    message = sms.sms_send(
        phone=referral.entry.person.phone,
        text=ledger_referrals.referral_sms_text(referral),
        purpose="employment_referral",
    )
    if message.status != message.Status.FAILED:
        ledger_referrals.referral_sms_sent(referral_id=referral.pk)
