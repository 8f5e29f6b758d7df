"""The subsidy figures of a period (docs/statistics.md): per policy and per township,
applications received, approved (with the amount approved) and paid (with the amount
and the people paid for)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from workflows.models import ApplicationEvent, SubsidyBeneficiary
from workflows.steps import SubsidyState


class SubsidyRow(TypedDict):
    key: str
    label: str
    received: int
    approved: int
    approved_amount: str
    paid: int
    paid_amount: str
    paid_people: int


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(
        **{f"{field}__gte": _midnight(start), f"{field}__lt": _midnight(end + dt.timedelta(1))}
    )


def _approved_ids(start: dt.date, end: dt.date) -> QuerySet:
    # Approved = the supervisor's approval sent it to payment, in the period.
    return ApplicationEvent.objects.filter(
        _between("created_at", start, end), to_state=SubsidyState.AWAITING_PAYMENT
    ).values("application_id")


def subsidy_figures(
    applications: QuerySet, start: dt.date, end: dt.date, *, by: str
) -> list[SubsidyRow]:
    """One row per policy (by="policy") or township (by="township"), for the
    applications given (already narrowed to what the user may read)."""
    key, label = {
        "policy": ("policy__code", "policy__name"),
        "township": ("township__code", "township__name"),
    }[by]
    rows: dict[str, SubsidyRow] = {}
    labels: dict[str, str] = {}
    counts: dict[str, dict] = defaultdict(dict)

    def tally(queryset, **aggregates):
        for row in queryset.values(key, label).annotate(**aggregates):
            labels[row[key]] = row[label]
            counts[row[key]].update({name: row[name] for name in aggregates})

    tally(applications.filter(_between("created_at", start, end)), received=Count("id"))
    tally(
        applications.filter(id__in=_approved_ids(start, end)),
        approved=Count("id"),
        approved_amount=Sum("computed_amount"),
    )
    paid = applications.filter(state=SubsidyState.PAID, paid_on__range=(start, end))
    tally(paid, paid=Count("id"), paid_amount=Sum("paid_amount"))
    people = (
        SubsidyBeneficiary.objects.filter(application__in=paid)
        .values(f"application__{key}")
        .annotate(n=Count("id"))
    )
    people_by_key = {row[f"application__{key}"]: row["n"] for row in people}
    for code in sorted(counts):
        found = counts[code]
        rows[code] = SubsidyRow(
            key=code,
            label=labels[code],
            received=found.get("received", 0),
            approved=found.get("approved", 0),
            approved_amount=str(found.get("approved_amount") or Decimal("0")),
            paid=found.get("paid", 0),
            paid_amount=str(found.get("paid_amount") or Decimal("0")),
            paid_people=people_by_key.get(code, 0),
        )
    return list(rows.values())
