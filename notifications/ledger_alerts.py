"""Alerts about the re-employment ledger: a person whose 1+3+1 services are overdue.

One open alert per person (Alert.ledger_entry, reason service_overdue), addressed to the
township (its group) and to the stewards of the person's village (notify_users). A ledger
change is checked at once (ledger_changed): a done item resolves its person's alert, a
person entered already overdue gets one, without waiting for a scan.

The scan runs every minute and looks only at what can have changed since its last run
(its mark, kept in the cache): the items that fell due since the day it last ran, and the
items created since (a person entered, perhaps back-dated; ids are not handed out in
commit order, so an item of a long transaction can commit below the mark: the services
tell ledger_changed about every person they add, imports included, and the hourly
reconcile catches the rest). What it finds is compared with
those people's open alerts. Items are only ever done through the services, which resolve
at once; anything else (an edit in the database, a lost signal, a lost mark) is put right
by the full reconcile, which compares every overdue person with every open alert: when
there is no mark, once an hour, and in the nightly full scan. So the minute's run costs
what changed, not how many people are overdue (docs/performance.md, benchmark 7).
"""

import datetime as dt
import logging
from functools import partial

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.dispatch import receiver
from django.utils import timezone

from core.models import Township, Village
from employment import referrals as ledger_referrals
from employment import selectors as ledger
from employment import signals
from employment.models import Referral, ServiceItem
from notifications import push, sms
from notifications.models import Alert
from rules.models import RiskLevel

logger = logging.getLogger(__name__)

REASON = Alert.Reason.SERVICE_OVERDUE
MESSAGE = "{name}（{village}）的1+3+1服务有{items}项已超期，最早应于{due}完成。"
MARK_KEY = "ledger-overdue-scan-mark"
FULL_RECONCILE_EVERY = dt.timedelta(hours=1)


def service_overdue_scan(*, now: dt.datetime | None = None, full: bool = False) -> list[int]:
    """Raise an alert for each person newly overdue; resolve the ones caught up. `full`:
    compare every overdue person (the nightly scan); otherwise only what changed since the
    last run, unless the last full reconcile is an hour old or the mark is lost."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    newest_item = ServiceItem.objects.aggregate(newest=Max("pk"))["newest"] or 0
    mark = _mark_read()
    full = full or not _mark_usable(mark, now, today, newest_item)
    if full:
        caught_up, newly = _compare_everyone(today)
    else:
        caught_up, newly = _compare_entries(_changed_entries(mark, today), today)
    try:
        raised = _apply(caught_up, newly, today=today, now=now)
    except RaisedElsewhere:
        logger.info("1+3+1 overdue: raced with a ledger change; the next run compares again")
        return []  # the mark stays where it was, so the next run reads the same changes
    _mark_write(
        {"day": today, "newest_item": newest_item, "full_at": now if full else mark["full_at"]}
    )
    return raised


def service_overdue_check(*, entry_ids, now: dt.datetime | None = None) -> list[int]:
    """These people's alerts brought up to date at once (after a ledger change): resolved
    if nothing of theirs is overdue any more, raised if they are newly overdue (a person
    entered with a back-dated day)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    for _attempt in range(2):
        caught_up, newly = _compare_entries(set(entry_ids), today)
        try:
            return _apply(caught_up, newly, today=today, now=now)
        except RaisedElsewhere:  # the scan raised one a moment ago: compare once more
            continue
    return []


class RaisedElsewhere(Exception):
    """Another process raised one of these people's alerts at the same moment."""


def _one_open_alert_rule(error: IntegrityError) -> bool:
    # PostgreSQL names the constraint; SQLite names its columns.
    text = str(error)
    return "alert_one_open_per_ledger_entry_and_reason" in text or (
        "notifications_alert.ledger_entry_id" in text
    )


def _apply(caught_up: list[int], newly: set[int], *, today: dt.date, now: dt.datetime):
    """Resolve the alerts caught_up, raise one for each person newly overdue; the ids of
    the alerts raised. RaisedElsewhere when the scan and a ledger change's check raced
    for the same person: nothing of this run is kept, the caller compares again."""
    new = ledger.overdue_entries(today=today, entry_ids=newly) if newly else []
    if not (caught_up or new):
        return []  # the usual minute: nothing changed, no transaction
    try:
        with transaction.atomic():
            if caught_up:
                Alert.objects.filter(pk__in=caught_up).update(
                    status=Alert.Status.RESOLVED, resolved_at=now
                )
            raised = _raise(new, now) if new else []
    except IntegrityError as error:
        if _one_open_alert_rule(error):
            raise RaisedElsewhere from error
        raise
    if raised:
        transaction.on_commit(partial(push.alerts_send, raised))
        logger.info("1+3+1 overdue: %s alerts raised, %s resolved", len(raised), len(caught_up))
    return [alert.pk for alert in raised]


def mark_key() -> str:
    # The database's name in the key: two deployments sharing one Redis keep their own.
    return f"{MARK_KEY}:{connection.settings_dict['NAME']}"


def _mark_read() -> dict | None:
    try:
        return cache.get(mark_key())
    except Exception:  # the cache (Redis) is down: compare everyone, as with no mark
        logger.warning("1+3+1 scan mark unreadable; comparing every overdue person")
        return None


def _mark_write(mark: dict) -> None:
    try:
        cache.set(mark_key(), mark, None)
    except Exception:  # the next run compares everyone
        logger.warning("1+3+1 scan mark not kept")


def _mark_usable(mark, now: dt.datetime, today: dt.date, newest_item: int) -> bool:
    """A mark of this database, at most an hour after its full reconcile: anything else
    (none, malformed, from the future, ahead of the items as after a restore) means
    compare everyone."""
    try:
        return (
            mark["day"] <= today
            and now - FULL_RECONCILE_EVERY < mark["full_at"] <= now
            and 0 <= mark["newest_item"] <= newest_item
        )
    except (KeyError, TypeError):
        return False


def _open_alerts():
    return Alert.objects.filter(reason=REASON, status=Alert.Status.OPEN)


def _compare_everyone(today: dt.date) -> tuple[list[int], set[int]]:
    """Open alerts of people no longer overdue, and people overdue without one: two
    anti-joins in the database, so only what differs comes back."""
    overdue = ledger.overdue_items(today)
    caught_up = list(
        _open_alerts()
        .exclude(Exists(overdue.filter(entry_id=OuterRef("ledger_entry_id"))))
        .values_list("pk", flat=True)
        .order_by()
    )
    newly = set(
        overdue.exclude(Exists(_open_alerts().filter(ledger_entry_id=OuterRef("entry_id"))))
        .values_list("entry_id", flat=True)
        .order_by()
    )
    return caught_up, newly


def _changed_entries(mark: dict, today: dt.date) -> set[int]:
    """The people whose items fell due since the mark's day (an index range of the open
    items) or were created since its newest item."""
    changed = Q(pk__gt=mark["newest_item"])
    if mark["day"] < today:
        changed |= Q(done_on__isnull=True, due_on__gte=mark["day"], due_on__lt=today)
    items = ServiceItem.objects.filter(changed)
    return set(items.values_list("entry_id", flat=True).order_by())


def _compare_entries(entry_ids: set[int], today: dt.date) -> tuple[list[int], set[int]]:
    """The comparison of _compare_everyone for these people only."""
    if not entry_ids:
        return [], set()  # the usual minute: nothing fell due, nobody entered
    still = set(ledger.overdue_items_by_entry(today, entry_ids))
    alerted = dict(
        _open_alerts()
        .filter(ledger_entry_id__in=entry_ids)
        .values_list("ledger_entry_id", "pk")
        .order_by()
    )
    caught_up = [pk for entry_id, pk in alerted.items() if entry_id not in still]
    return caught_up, still - set(alerted)


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


# --- listening to the ledger (employment.signals, sent after commit) ---------------------


@receiver(signals.ledger_changed, dispatch_uid="notifications.ledger_changed")
def on_ledger_changed(sender, entry_ids, **kwargs):
    """A done item resolves its alert at once, a person entered already overdue raises
    one; the screen's figures follow every change (forced: ledger changes are a person's
    work, not a flood)."""
    try:
        service_overdue_check(entry_ids=entry_ids)
    except Exception:  # the change is committed; the scan's reconcile puts it right
        logger.exception("1+3+1 alert check failed for %s", entry_ids)
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
