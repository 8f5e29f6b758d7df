"""The subsidy figures of a period (docs/statistics.md): per policy, per township and per
funding source, applications received, approved (with the amount approved) and paid
(with the amount and the people paid for).

Each figure is defined once, by figure_applications: the report counts its rows, and
the staff list of applications behind a figure (workflows.selectors.applications_filtered,
`?figure=...`) lists the same rows.
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import TypedDict

from django.db.models import Count, Q, QuerySet, Sum

from core.dates import day_start
from rules.models import FundingSource
from workflows.eligibility.facts import CENT
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


# The figures an application list can be narrowed to (?figure=...), with their labels.
FIGURES = {"received": "受理申请", "approved": "批准", "paid": "拨付"}
# What a table groups by: the list filter of the same name selects one row's applications.
GROUPS = {
    "policy": "policy__code",
    "township": "township__code",
    "funding_source": "policy__funding_source",
}


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(
        **{f"{field}__gte": day_start(start), f"{field}__lt": day_start(end + dt.timedelta(1))}
    )


def _approved_ids(start: dt.date, end: dt.date) -> QuerySet:
    # Approved = the supervisor's approval sent it to payment, in the period.
    return ApplicationEvent.objects.filter(
        _between("created_at", start, end), to_state=SubsidyState.AWAITING_PAYMENT
    ).values("application_id")


def figure_applications(
    applications: QuerySet, figure: str, start: dt.date, end: dt.date
) -> QuerySet:
    """The applications one figure counts in the period (days both included):
    received = submitted in it; approved = the supervisor's approval sent them to
    payment in it; paid = paid, with the day of payment in it."""
    if figure == "received":
        return applications.filter(_between("created_at", start, end))
    if figure == "approved":
        return applications.filter(id__in=_approved_ids(start, end))
    if figure == "paid":
        return applications.filter(state=SubsidyState.PAID, paid_on__range=(start, end))
    raise ValueError(f"unknown subsidy figure {figure!r}")


def _labels(by: str, applications: QuerySet) -> dict[str, str]:
    if by == "funding_source":
        return dict(FundingSource.choices)
    label = {"policy": "policy__name", "township": "township__name"}[by]
    return dict(applications.order_by().values_list(GROUPS[by], label).distinct())


def subsidy_figures(
    applications: QuerySet, start: dt.date, end: dt.date, *, by: str
) -> list[SubsidyRow]:
    """One row per policy (by="policy"), township (by="township") or funding source
    (by="funding_source"), for the applications given (already narrowed to what the
    user may read)."""
    key = GROUPS[by]
    counts: dict[str, dict] = defaultdict(dict)

    def tally(queryset, **aggregates):
        for row in queryset.order_by().values(key).annotate(**aggregates):
            counts[row[key]].update({name: row[name] for name in aggregates})

    tally(figure_applications(applications, "received", start, end), received=Count("id"))
    tally(
        figure_applications(applications, "approved", start, end),
        approved=Count("id"),
        approved_amount=Sum("computed_amount"),
    )
    paid = figure_applications(applications, "paid", start, end)
    tally(paid, paid=Count("id"), paid_amount=Sum("paid_amount"))
    people = (
        SubsidyBeneficiary.objects.filter(application__in=paid)
        .order_by()
        .values(f"application__{key}")
        .annotate(n=Count("id"))
    )
    people_by_key = {row[f"application__{key}"]: row["n"] for row in people}
    labels = _labels(by, applications) if counts else {}
    rows = []
    for code in sorted(counts):
        found = counts[code]
        rows.append(
            SubsidyRow(
                key=code,
                label=labels.get(code, code),
                received=found.get("received", 0),
                approved=found.get("approved", 0),
                approved_amount=_yuan(found.get("approved_amount")),
                paid=found.get("paid", 0),
                paid_amount=_yuan(found.get("paid_amount")),
                paid_people=people_by_key.get(code, 0),
            )
        )
    return rows


def _yuan(total: Decimal | None) -> str:
    # SQLite's SUM drops the scale of the amounts (1200 for 1200.00); PostgreSQL keeps it.
    return str(total.quantize(CENT)) if total else "0"
