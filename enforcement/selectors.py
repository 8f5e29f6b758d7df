"""Reads of the blacklist and the publications for the pages and the API."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from cases.models import Case
from core import roles
from core.models import normalize_name
from enforcement import criteria, errors
from enforcement.models import ACTIVE_STATES, BlacklistEntry, EntryState, Publication
from rules import listing


def may_read(user: Any) -> bool:
    """The case roles read the list (it is about the cases they handle)."""
    return roles.may_use_workbench(user)


def may_decide(user: Any) -> bool:
    return roles.has_any_role(user, {roles.SUPERVISOR})


def may_draft(user: Any) -> bool:
    return roles.has_any_role(user, {roles.INSPECTOR, roles.SUPERVISOR})


@dataclass
class EntryFilters:
    state: str = ""
    township: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params: Any) -> "EntryFilters":
        state = params.get("state", "")
        return cls(
            state=state if state in EntryState.values else "",
            township=params.get("township", "")[:32],
            q=params.get("q", "").strip()[:100],
        )


def entries(filters: EntryFilters) -> QuerySet:
    found = BlacklistEntry.objects.select_related(
        "employer", "case", "case__township", "proposed_by", "decided_by"
    )
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.township:
        found = found.filter(case__township__code=filters.township)
    if filters.q:
        found = found.filter(employer__normalized_name__contains=normalize_name(filters.q))
    return found


def entry_detail(entry_id: int) -> BlacklistEntry:
    entry = (
        BlacklistEntry.objects.select_related("employer", "case", "case__township")
        .prefetch_related("responsible_persons", "events")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise errors.NotFound(errors.ENTRY_NOT_FOUND)
    return entry


@dataclass
class CaseStanding:
    """The blacklist as seen from one case: its active entry, or whether the case could
    be proposed now and what is missing."""

    entry: BlacklistEntry | None
    assessment: criteria.Assessment | None
    may_propose: bool


def case_standing(case: Case, user: Any, on: dt.date | None = None) -> CaseStanding:
    on = on or timezone.localdate()
    entry = BlacklistEntry.objects.filter(case=case, state__in=ACTIVE_STATES).first()
    if entry is not None or case.kind != "wage_arrears":
        return CaseStanding(entry, None, False)
    try:
        assessment = criteria.blacklist_assessment(case, on)
    except listing.CriteriaMissing:
        return CaseStanding(None, None, False)
    proposer = roles.has_any_role(user, {roles.INSPECTOR}) and roles.in_jurisdiction(
        user, case.township_id
    )
    return CaseStanding(None, assessment, proposer and assessment.met)


def publications() -> QuerySet:
    return Publication.objects.select_related("drafted_by", "approved_by").order_by(
        "-year", "-quarter"
    )


def publication_detail(publication_id: int) -> Publication:
    publication = (
        Publication.objects.select_related("drafted_by", "approved_by")
        .prefetch_related("items")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise errors.NotFound(errors.PUBLICATION_NOT_FOUND)
    return publication
