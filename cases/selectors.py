"""Reads for the staff pages: the queue, one case with everything on it, extensions.

Each read runs a fixed number of queries whatever the number of cases, claimants and
events (tests/cases/test_workbench_queries.py holds them to it).
"""

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import permissions, roles
from cases.models import OPEN_STATES, Case, CaseEvent, CaseKind, CaseState, Claim, Evidence

S = CaseState

RISK_LEVELS = [("green", "绿色"), ("yellow", "黄色"), ("orange", "橙色"), ("red", "红色")]
SORTS = {
    "deadline": ("期限最近在前", [F("deadline").asc(nulls_last=True)]),
    "-deadline": ("期限最远在前", [F("deadline").desc(nulls_last=True)]),
    "-received_at": ("最新收到在前", [F("received_at").desc()]),
    "-risk_score": ("风险从高到低", [F("risk_score").desc()]),
}
DEFAULT_SORT = "deadline"


@dataclass
class QueueFilters:
    state: str = ""
    kind: str = ""
    township: str = ""
    risk_level: str = ""
    overdue: bool = False
    mine: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT

    @classmethod
    def from_query(cls, params) -> "QueueFilters":
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            state=params.get("state", "") if params.get("state") in CaseState.values else "",
            kind=params.get("kind", "") if params.get("kind") in CaseKind.values else "",
            township=params.get("township", "").strip()[:32],
            risk_level=params.get("risk_level", "")
            if params.get("risk_level") in dict(RISK_LEVELS)
            else "",
            overdue=params.get("overdue") in ("1", "true", "on"),
            mine=params.get("mine") in ("1", "true", "on"),
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
        )


def _own_condition(user) -> Q:
    through_inspectors = Case.inspectors.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    through_arbitrators = Case.arbitrators.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    return Q(Exists(through_inspectors)) | Q(Exists(through_arbitrators)) | Q(mediator_id=user.pk)


def cases_with_totals(user):
    """Cases the user may read, with their claimant count and claimed/recovered totals."""
    amount = DecimalField(max_digits=14, decimal_places=2)
    return (
        roles.cases_visible_to(user, Case.objects.all())
        .select_related("township", "employer")
        .annotate(
            claimant_count=Count("claims", distinct=True),
            claimed_total=Coalesce(Sum("claims__amount_claimed"), Value(0), output_field=amount),
            recovered_total=Coalesce(
                Sum("claims__amount_recovered"), Value(0), output_field=amount
            ),
        )
    )


def staff_cases(user):
    """Cases the user may read, with totals, and `mine` = 0 for their own cases."""
    return cases_with_totals(user).annotate(
        mine=SqlCase(
            When(_own_condition(user), then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )


def case_queue(user, filters: QueueFilters, today: dt.date | None = None):
    """The queue: own cases first, then the township's, in the chosen order."""
    today = today or timezone.localdate()
    queryset = staff_cases(user)
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.township:
        queryset = queryset.filter(township__code=filters.township)
    if filters.risk_level:
        queryset = queryset.filter(risk_level=filters.risk_level)
    if filters.overdue:
        queryset = queryset.filter(state__in=OPEN_STATES, deadline__lt=today)
    if filters.mine:
        queryset = queryset.filter(mine=0)
    if filters.q:
        q = filters.q
        queryset = queryset.filter(
            Q(number__icontains=q) | Q(employer__name__icontains=q) | Q(project_name__icontains=q)
        )
    return queryset.order_by("mine", *SORTS[filters.sort][1], "id")


def case_for_staff(user, case_number: str) -> Case | None:
    """One case with its claims, events, evidence and assigned staff (fixed queries)."""
    return (
        staff_cases(user)
        .select_related("mediator")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.select_related("person").order_by("id")),
            Prefetch(
                "events",
                queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "id"),
            ),
            Prefetch("evidence", queryset=Evidence.objects.of_case().order_by("id")),
            "inspectors",
            "arbitrators",
        )
        .filter(number=case_number)
        .first()
    )


def ledger_cases(user, filters: QueueFilters):
    """The queue's cases for the Excel ledger, with every claimant."""
    return case_queue(user, filters).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("person").order_by("id"))
    )


def evidence_for_staff(user, evidence_id: int) -> Evidence | None:
    visible = roles.cases_visible_to(user, Case.objects.all())
    return Evidence.objects.filter(pk=evidence_id, case__in=visible).select_related("case").first()


def staff_choices(case: Case, needed_roles) -> dict[str, list[tuple[str, str]]]:
    """Active staff of each role who work the case's township: (username, display)."""
    User = get_user_model()
    choices: dict[str, list[tuple[str, str]]] = {}
    for role in needed_roles:
        users = (
            User.objects.filter(groups__name=role, is_active=True)
            .filter(
                Q(staff_profile__county_level=True)
                | Q(staff_profile__townships=case.township_id)
                | Q(is_superuser=True)
            )
            .distinct()
            .order_by("username")
        )
        choices[role] = [
            (u.username, f"{u.get_full_name() or u.username}（{u.username}）") for u in users
        ]
    return choices


# --- extensions waiting for a supervisor ------------------------------------------------

EXTENSION_WINDOW_DAYS = 10
_EXTENSIONS = {
    # transition: (kind, states it runs from, the stage it extends)
    "extend_investigation": (CaseKind.WAGE_ARREARS, [S.INVESTIGATING], "investigation_extension"),
    "extend_award": (
        CaseKind.LABOR_DISPUTE,
        [S.ACCEPTED, S.MEDIATING, S.HEARING],
        "award_extension",
    ),
}


def extensions_to_approve(user, today: dt.date | None = None, limit: int = 50) -> list[dict]:
    """Open cases whose deadline is near and whose one extension this user may approve."""
    today = today or timezone.localdate()
    items = []
    for name, (kind, states, stage) in _EXTENSIONS.items():
        # The approver is data (ClockRule.approver_role): ask once per transition.
        if not permissions.role_allows(name, SimpleNamespace(kind=kind), user):
            continue
        horizon = today + dt.timedelta(days=EXTENSION_WINDOW_DAYS)
        candidates = (
            roles.cases_visible_to(user, Case.objects.all())
            .filter(kind=kind, state__in=states, deadline__isnull=False, deadline__lte=horizon)
            .select_related("township", "employer")
            .order_by("deadline", "id")[: limit * 2]
        )
        for case in candidates:
            if stage in case.extended_stages:
                continue
            if name == "extend_award" and case.clock_stage != "award":
                continue
            items.append({"case": case, "transition": name, "days_left": case.days_left(today)})
    items.sort(key=lambda item: (item["case"].deadline, item["case"].id))
    return items[:limit]
