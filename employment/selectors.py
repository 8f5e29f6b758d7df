"""Reads of the ledger: progress against the year's targets, by plant and township, the
1+3+1 services and what falls due, and the monthly dispatch report.

Every figure is computed from the ledger (never typed in), by a few grouped queries
whatever the number of people (docs/employment.md has the formulas):

- re-employment rate = laid-off workers of closed plants employed at the end of the
  period / laid-off workers of closed plants in the ledger by then;
- urban new employment = people of every category but rural labour who became employed
  in the year, each person once; rural labour transferred = rural labour who did.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from cases.models import OPEN_STATES, Case
from core import pii
from core.models import Township, Village
from core.validators import clean_id_number
from employment import access, screen_tally
from employment.models import (
    Category,
    ClosedPlant,
    JobPosting,
    LedgerEntry,
    LedgerEvent,
    Referral,
    ServiceItem,
    Status,
    Target,
)
from employment.progress import Progress, ProgressReport, percent
from employment.service_counts import ServiceCounts, service_counts_by_township

URBAN_CATEGORIES = [c for c in Category.values if c != Category.RURAL_TRANSFER]
RURAL_CATEGORIES = [Category.RURAL_TRANSFER]
# --- lists ------------------------------------------------------------------------------


@dataclass
class LedgerFilters:
    q: str = ""
    township: str = ""
    village: int | None = None
    category: str = ""
    status: str = ""
    plant: int | None = None
    overdue: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> "LedgerFilters":
        def number(key: str) -> int | None:
            value = (params.get(key) or "").strip()
            return int(value) if value.isdigit() else None

        return cls(
            q=(params.get("q") or "").strip()[:50],
            township=(params.get("township") or "").strip()[:32],
            village=number("village"),
            category=params.get("category", "")
            if params.get("category") in Category.values
            else "",
            status=params.get("status", "") if params.get("status") in Status.values else "",
            plant=number("plant"),
            overdue=params.get("overdue") in ("1", "true", "on"),
        )


def ledger_list(user: User, filters: LedgerFilters, *, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    entries = access.entries_visible_to(user, LedgerEntry.objects.all())
    if filters.township:
        entries = entries.filter(township__code=filters.township)
    if filters.village:
        entries = entries.filter(village_id=filters.village)
    if filters.category:
        entries = entries.filter(category=filters.category)
    if filters.status:
        entries = entries.filter(status=filters.status)
    if filters.plant:
        entries = entries.filter(plant_id=filters.plant)
    if filters.overdue:
        entries = entries.filter(Exists(overdue_items(today).filter(entry=OuterRef("pk"))))
    if filters.q:
        try:
            index = pii.blind_index(clean_id_number(filters.q))
        except Exception:  # not an ID number: a name
            entries = entries.filter(person__name__contains=filters.q)
        else:
            entries = entries.filter(person__id_number_index=index)
    open_items = ServiceItem.objects.filter(entry=OuterRef("pk"), done_on__isnull=True)
    return (
        entries.select_related("person", "village", "township", "plant")
        .annotate(
            services_open=Count("services", filter=Q(services__done_on__isnull=True)),
            services_overdue=Count(
                "services", filter=Q(services__done_on__isnull=True, services__due_on__lt=today)
            ),
            next_due=Subquery(open_items.order_by("due_on").values("due_on")[:1]),
        )
        .order_by("township__sort_order", "village__sort_order", "person__name", "id")
    )


def entries_for(user: User) -> QuerySet:
    return access.entries_visible_to(user, LedgerEntry.objects.all())


def entry_detail(user: User, entry_id: int) -> LedgerEntry | None:
    return (
        access.entries_visible_to(user, LedgerEntry.objects.all())
        .select_related("person", "village__township", "plant", "employer", "created_by")
        .filter(pk=entry_id)
        .first()
    )


def entry_history(entry: LedgerEntry) -> list[LedgerEvent]:
    return list(entry.events.select_related("actor").order_by("occurred_on", "id"))


def entry_services(entry: LedgerEntry) -> list[ServiceItem]:
    return list(
        entry.services.select_related("done_by", "referral__posting__employer").order_by(
            "kind", "seq"
        )
    )


def entry_referrals(entry: LedgerEntry) -> list[Referral]:
    return list(entry.referrals.select_related("posting__employer").order_by("-referred_on"))


def villages_for(user: User) -> QuerySet:
    return access.villages_visible_to(user, Village.objects.select_related("township"))


def postings_open() -> QuerySet:
    return (
        JobPosting.objects.filter(is_open=True)
        .select_related("employer", "township")
        .annotate(referred=Count("referrals"))
    )


def plants_for(user: User) -> QuerySet:
    """Every closed plant with its roster's size and how many are back at work."""
    plants = ClosedPlant.objects.select_related("township", "employer")
    return plants.annotate(
        roster=Count("entries"),
        employed=Count("entries", filter=Q(entries__status=Status.EMPLOYED)),
    ).order_by("closed_on", "name")


def plant_open_cases(plant: ClosedPlant) -> QuerySet:
    """Its open wage and dispute cases, shown beside its roster."""
    return (
        Case.objects.filter(employer_id=plant.employer_id, state__in=OPEN_STATES)
        .order_by("-received_at")
        .only("number", "kind", "state", "received_at", "deadline")
    )


# --- 1+3+1 ------------------------------------------------------------------------------


def overdue_items(today: dt.date) -> QuerySet:
    """The open items due before today (the partial index service_open_due)."""
    return ServiceItem.objects.filter(done_on__isnull=True, due_on__lt=today)


def week_end(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=6 - today.weekday())


def due_this_week(user: User, *, today: dt.date | None = None) -> list[ServiceItem]:
    """Open items due by Sunday (the overdue ones first) of the people the user keeps."""
    today = today or timezone.localdate()
    visible = access.entries_visible_to(user, LedgerEntry.objects.all())
    return list(
        ServiceItem.objects.filter(
            done_on__isnull=True, due_on__lte=week_end(today), entry__in=visible.values("pk")
        )
        .select_related("entry__person", "entry__village")
        .order_by("due_on", "entry_id", "kind", "seq")[:500]
    )


@dataclass
class OverdueEntry:
    entry_id: int
    township_id: int
    village_id: int
    name: str
    items: int
    oldest_due: dt.date


def overdue_items_by_entry(
    today: dt.date, entry_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, dt.date]]:
    """Each overdue person's entry id: (items overdue, the oldest due day). Read from
    the open items' index alone (service_open_due), without joining the people."""
    items = overdue_items(today)
    if entry_ids is not None:
        items = items.filter(entry_id__in=list(entry_ids))
    rows = items.values("entry_id").annotate(items=Count("entry_id"), oldest=Min("due_on"))
    return {r["entry_id"]: (r["items"], r["oldest"]) for r in rows.order_by()}


def overdue_entries(
    *, today: dt.date | None = None, entry_ids: Iterable[int] | None = None
) -> list[OverdueEntry]:
    """People with overdue 1+3+1 items (all of them, or those of entry_ids): the overdue
    items grouped by person, then the people found by their ids."""
    today = today or timezone.localdate()
    overdue = overdue_items_by_entry(today, entry_ids)
    people = LedgerEntry.objects.filter(pk__in=list(overdue)).values_list(
        "pk", "township_id", "village_id", "person__name"
    )
    found = {row[0]: row for row in people.order_by()}
    return [
        OverdueEntry(
            entry_id=entry_id,
            township_id=found[entry_id][1],
            village_id=found[entry_id][2],
            name=found[entry_id][3],
            items=items,
            oldest_due=oldest,
        )
        for entry_id, (items, oldest) in sorted(overdue.items())
        if entry_id in found
    ]


def village_stewards(village_ids: Iterable[int]) -> dict[int, list[int]]:
    through = Village.stewards.through.objects.filter(village_id__in=set(village_ids))
    found: dict[int, list[int]] = {}
    for village_id, user_id in through.values_list("village_id", "user_id"):
        found.setdefault(village_id, []).append(user_id)
    return found


def services_summary(entries: QuerySet | None, *, today: dt.date) -> dict:
    """1+3+1 of these entries (None: the whole ledger): items owed, done, overdue; people
    served in full."""
    items = ServiceItem.objects.all()
    owed = LedgerEntry.objects.all()
    if entries is not None:
        items = items.filter(entry__in=entries.values("pk"))
        owed = owed.filter(pk__in=entries.values("pk"))
    counts = items.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(done_on__isnull=False)),
        overdue=Count("id", filter=Q(done_on__isnull=True, due_on__lt=today)),
        overdue_people=Count(
            "entry", filter=Q(done_on__isnull=True, due_on__lt=today), distinct=True
        ),
    )
    owed = owed.filter(Exists(ServiceItem.objects.filter(entry=OuterRef("pk"))))
    people = {
        "owed": owed.count(),
        "complete": owed.exclude(
            Exists(ServiceItem.objects.filter(entry=OuterRef("pk"), done_on__isnull=True))
        ).count(),
    }
    return {
        "items_total": counts["total"],
        "items_done": counts["done"],
        "items_overdue": counts["overdue"],
        "people_overdue": counts["overdue_people"],
        "people_owed": people["owed"],
        "people_complete": people["complete"],
        "completion": percent(people["complete"], people["owed"]),
    }


# --- progress against the targets -------------------------------------------------------


def _status_at(end: dt.date) -> Subquery:
    last = LedgerEvent.objects.filter(entry=OuterRef("pk"), occurred_on__lte=end).order_by(
        "-occurred_on", "-id"
    )
    return Subquery(last.values("status")[:1])


def progress(*, year: int | None = None, end: dt.date | None = None) -> ProgressReport:
    """The year's figures as they stood at the end date (today by default)."""
    today = timezone.localdate()
    end = end or today
    year = year or end.year
    end = min(end, dt.date(year, 12, 31))
    laid_off = LedgerEntry.objects.filter(
        category=Category.LAID_OFF, plant__isnull=False, entered_on__lte=end
    )
    if end >= today:
        # The present: the status column (kept with every event) is the status at the end.
        laid_off = laid_off.annotate(end_status=F("status"))
    else:
        laid_off = laid_off.annotate(end_status=_status_at(end))
    rows = laid_off.values("township_id", "plant_id").annotate(
        n=Count("id"), employed=Count("id", filter=Q(end_status=Status.EMPLOYED))
    )
    report = ProgressReport(
        year=year,
        end=end,
        target=Target.objects.filter(year=year).first(),
        county=Progress(),
    )
    for row in rows.order_by():
        for bucket in (
            report.county,
            report.townships.setdefault(row["township_id"], Progress(row["township_id"])),
            report.plants.setdefault(row["plant_id"], Progress()),
        ):
            bucket.laid_off += row["n"]
            bucket.reemployed += row["employed"]
    became_employed = (
        LedgerEvent.objects.filter(
            kind=LedgerEvent.Kind.STATUS,
            status=Status.EMPLOYED,
            occurred_on__gte=dt.date(year, 1, 1),
            occurred_on__lte=end,
        )
        .values("entry__township_id", "entry__category")
        .annotate(people=Count("entry", distinct=True))
        .order_by()
    )
    for became in became_employed:
        township = report.townships.setdefault(
            became["entry__township_id"], Progress(became["entry__township_id"])
        )
        if became["entry__category"] == Category.RURAL_TRANSFER:
            township.rural_transfer += became["people"]
            report.county.rural_transfer += became["people"]
        else:
            township.urban_new += became["people"]
            report.county.urban_new += became["people"]
    return report


# --- the command screen -----------------------------------------------------------------


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


SCREEN_CACHE_KEY = "employment:screen:{day}"
# A safety net only: every ledger change clears the figures (screen_summary_forget).
SCREEN_CACHE_SECONDS = 60


def screen_summary(today: dt.date | None = None) -> dict:
    """The employment panel of the command screen (notifications' summary calls this).

    The summary is computed again on every case change; these figures change only with
    the ledger (and the day, for what is overdue), so they are kept in the cache until
    the next ledger change: a case change costs the screen no ledger query.
    """
    today = today or timezone.localdate()
    key = SCREEN_CACHE_KEY.format(day=today.isoformat())
    try:
        cached = cache.get(key)
    except Exception:  # cache (Redis) down: compute
        cached = None
    if cached is not None:
        return cached
    figures = _screen_summary(today)
    try:
        cache.set(key, figures, SCREEN_CACHE_SECONDS)
    except Exception:
        pass
    return figures


def screen_summary_forget() -> None:
    try:
        cache.delete(SCREEN_CACHE_KEY.format(day=timezone.localdate().isoformat()))
    except Exception:
        pass  # the figures expire by themselves


def _screen_summary(today: dt.date) -> dict:
    """The present from the tallies (employment.screen_tally); a past day from the rows."""
    if today != timezone.localdate():
        return screen_summary_rows(today)
    return _screen_figures(*screen_tally.figures(today))


def screen_summary_rows(today: dt.date) -> dict:
    """The figures from the rows: the reference the tallies are checked against."""
    # One pass over the items for the townships and the county (service_counts).
    return _screen_figures(progress(year=today.year, end=today), *service_counts_by_township(today))


def _screen_figures(
    report: ProgressReport, by_township: dict[int, ServiceCounts], all_items: ServiceCounts
) -> dict:
    target = report.target
    townships = {t.pk: t for t in Township.objects.order_by("sort_order", "code")}
    services = {
        **asdict(all_items),
        "completion": percent(all_items.people_complete, all_items.people_owed),
    }
    services_by_township = {
        pk: {"total": c.items_total, "done": c.items_done, "overdue": c.items_overdue}
        for pk, c in by_township.items()
    }
    plants = {p.pk: p for p in ClosedPlant.objects.order_by("closed_on", "name")}
    county = report.county
    return {
        "year": report.year,
        "targets": {
            "reemployment_rate": _number(target.reemployment_rate) if target else None,
            "urban_new": target.urban_new if target else None,
            "rural_transfer": target.rural_transfer if target else None,
        },
        "reemployment": {
            "laid_off": county.laid_off,
            "reemployed": county.reemployed,
            "rate": _number(county.rate),
        },
        "urban_new": county.urban_new,
        "rural_transfer": county.rural_transfer,
        "by_plant": [
            {
                "name": plant.name,
                "laid_off": report.plants.get(pk, Progress()).laid_off,
                "reemployed": report.plants.get(pk, Progress()).reemployed,
                "rate": _number(report.plants.get(pk, Progress()).rate),
            }
            for pk, plant in plants.items()
        ],
        "by_township": [
            {
                "code": t.code,
                "name": t.name,
                "laid_off": report.townships.get(pk, Progress()).laid_off,
                "reemployed": report.townships.get(pk, Progress()).reemployed,
                "rate": _number(report.townships.get(pk, Progress()).rate),
                "urban_new": report.townships.get(pk, Progress()).urban_new,
                "rural_transfer": report.townships.get(pk, Progress()).rural_transfer,
                "services_total": services_by_township.get(pk, {}).get("total", 0),
                "services_done": services_by_township.get(pk, {}).get("done", 0),
                "services_overdue": services_by_township.get(pk, {}).get("overdue", 0),
            }
            for pk, t in townships.items()
        ],
        "services": {
            key: (_number(value) if isinstance(value, Decimal) else value)
            for key, value in services.items()
        },
    }


def screen_summary_for_year(year: int) -> dict:
    """The same figures for a past year, as they stood at its end."""
    today = timezone.localdate()
    if year >= today.year:
        return screen_summary(today)
    return _screen_summary(dt.date(year, 12, 31))
