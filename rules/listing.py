"""Reads of the enforcement lists' conditions (rules.models.ListingCriterion).

A listing's conditions on a day come as groups: every group must be met, one condition
of a group is enough. Kept per process like the other rule tables (rules.memo).
"""

import datetime as dt

from django.utils import timezone

from rules import memo
from rules.models import ListingCriterion, in_force


class CriteriaMissing(LookupError):
    """No condition of the listing is in force on the day: nothing may be listed."""


def listing_groups(listing: str, on: dt.date | None = None) -> list[list[ListingCriterion]]:
    """The conditions in force on `on`, as groups ordered by their number."""
    on = on or timezone.localdate()
    rows = memo.remember("listing-criteria", lambda: list(ListingCriterion.objects.all()))
    newest: dict[str, ListingCriterion] = {}
    for row in in_force([r for r in rows if r.listing == listing], on):
        newest.setdefault(row.condition, row)  # in_force gives the newest first
    groups: dict[int, list[ListingCriterion]] = {}
    for row in sorted(newest.values(), key=lambda r: (r.group, r.condition)):
        groups.setdefault(row.group, []).append(row)
    if not groups:
        raise CriteriaMissing(f"no {listing} condition is in force on {on}")
    return [groups[number] for number in sorted(groups)]
