"""Reads for the staff pages: the queue, one case with everything on it, extensions.

Each read runs a fixed number of queries whatever the number of cases, claimants and
events (tests/cases/test_workbench_queries.py holds them to it).
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import (
    Aggregate,
    Count,
    DecimalField,
    Exists,
    F,
    Field,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases import errors, lifecycle, search, statistics
from cases.models import OPEN_STATES, Case, CaseEvent, CaseKind, CaseState, Channel, Claim, Evidence
from cases.serializers import describe_fields
from core import query_codes, roles
from core.dates import day_start
from core.models import Employer

S = CaseState

RISK_LEVELS = [("green", "绿色"), ("yellow", "黄色"), ("orange", "橙色"), ("red", "红色")]
SORTS = {
    "deadline": ("期限最近在前", [F("deadline").asc(nulls_last=True)]),
    "-deadline": ("期限最远在前", [F("deadline").desc(nulls_last=True)]),
    "-received_at": ("最新收到在前", [F("received_at").desc()]),
    "-risk_score": ("风险从高到低", [F("risk_score").desc()]),
}
DEFAULT_SORT = "deadline"


# The state filter's two groups besides the single states; the queue opens on OPEN.
OPEN_CASES = "open"
ALL_CASES = "all"
DATE_INVALID = "日期格式应为 年-月-日（如 2026-01-31），该条件未使用。"
PERIOD_INVALID = "统计口径需要起止日期（起始不晚于截止），该条件未使用。"


def _date(value: str, problems: list[str]) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(DATE_INVALID)
        return None


def _figure(params: Mapping[str, Any], problems: list[str]) -> tuple[str, statistics.Period | None]:
    figure = params.get("figure", "")
    if figure not in statistics.FIGURES:
        return "", None
    start = _date(params.get("period_from", ""), problems)
    end = _date(params.get("period_to", ""), problems)
    if start is None or end is None or end < start:
        problems.append(PERIOD_INVALID)
        return "", None
    return figure, statistics.Period(start, end)


def _flag(params: Mapping[str, Any], name: str) -> bool:
    return params.get(name) in ("1", "true", "on")


@dataclass
class QueueFilters:
    state: str = OPEN_CASES
    kind: str = ""
    township: str = ""
    channel: str = ""
    risk_level: str = ""
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    collective: bool = False
    overdue: bool = False
    mine: bool = False
    q: str = ""
    sort: str = DEFAULT_SORT
    # A figure of the statistics (cases/statistics.py) and its period: the cases counted.
    figure: str = ""
    period: statistics.Period | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def figure_label(self) -> str:
        return statistics.FIGURES[self.figure].label if self.figure else ""

    @classmethod
    def from_query(cls, params: Mapping[str, Any]) -> "QueueFilters":
        sort = params.get("sort", DEFAULT_SORT)
        state = params.get("state", OPEN_CASES)
        problems: list[str] = []
        figure, period = _figure(params, problems)
        if figure and "state" not in params:
            state = ALL_CASES  # a figure counts closed cases too
        return cls(
            figure=figure,
            period=period,
            state=state if state in (OPEN_CASES, ALL_CASES, *CaseState.values) else OPEN_CASES,
            kind=params.get("kind", "") if params.get("kind") in CaseKind.values else "",
            township=params.get("township", "").strip()[:32],
            channel=params.get("channel", "") if params.get("channel") in Channel.values else "",
            risk_level=params.get("risk_level", "")
            if params.get("risk_level") in dict(RISK_LEVELS)
            else "",
            received_from=_date(params.get("received_from", ""), problems),
            received_to=_date(params.get("received_to", ""), problems),
            collective=_flag(params, "collective"),
            overdue=_flag(params, "overdue"),
            mine=_flag(params, "mine"),
            q=params.get("q", "").strip()[:100],
            sort=sort if sort in SORTS else DEFAULT_SORT,
            problems=sorted(set(problems)),
        )


def _own_condition(user: User) -> Q:
    through_inspectors = Case.inspectors.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    through_arbitrators = Case.arbitrators.through.objects.filter(
        case_id=OuterRef("pk"), user_id=user.pk
    )
    return Q(Exists(through_inspectors)) | Q(Exists(through_arbitrators)) | Q(mediator_id=user.pk)


def cases_with_totals(user: User) -> QuerySet:
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


def _mine(user: User) -> SqlCase:
    """0 for the user's own cases, 1 for the others."""
    return SqlCase(
        When(_own_condition(user), then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )


def staff_cases(user: User) -> QuerySet:
    """Cases the user may read, with totals, and `mine` = 0 for their own cases."""
    return cases_with_totals(user).annotate(mine=_mine(user))


def _claim_totals_of_each_case() -> dict[str, Any]:
    """cases_with_totals' figures, each a subquery over the case's own claims.

    Unlike a join with the claims grouped by case, the paginator's count leaves them out
    (it counts the cases alone) and PostgreSQL works them out for the page's rows only,
    after the ORDER BY ... LIMIT: a search that finds 200 cases no longer reads and
    groups the claims of all 200 to show 25."""
    amount = DecimalField(max_digits=14, decimal_places=2)
    claims = Claim.objects.filter(case_id=OuterRef("pk")).order_by().values("case_id")

    def of_claims(aggregate: Aggregate, output_field: Field) -> Subquery:
        return Subquery(claims.annotate(value=aggregate).values("value"), output_field=output_field)

    return {
        "claimant_count": Coalesce(
            of_claims(Count("pk"), IntegerField()), Value(0), output_field=IntegerField()
        ),
        "claimed_total": Coalesce(
            of_claims(Sum("amount_claimed"), amount), Value(0), output_field=amount
        ),
        "recovered_total": Coalesce(
            of_claims(Sum("amount_recovered"), amount), Value(0), output_field=amount
        ),
    }


# The columns of a case the queue's rows show (templates/workbench/queue.html, the
# deadline and risk badges of cases.views.workbench).
QUEUE_COLUMNS = (
    "number",
    "kind",
    "state",
    "township",
    "employer",
    "project_name",
    "is_collective",
    "deadline",
    "risk_level",
    "risk_score",
)


def queue_cases(user: User) -> QuerySet:
    """staff_cases for a page of the queue: the same figures, worked out per case, and
    only the columns the queue shows."""
    # The employers in a query of their own for the page's cases, not joined to every
    # case found before the sort (each of those on a page of its own, read from disk
    # when not cached). The other columns (the description, the clock's and the risk's
    # JSON) are neither sent nor decoded: a search's page carries 25 cases.
    return (
        roles.cases_visible_to(user, Case.objects.all())
        .only(*QUEUE_COLUMNS)
        .select_related("township")
        .prefetch_related("employer")
        .annotate(**_claim_totals_of_each_case(), mine=_mine(user))
    )


def case_queue(user: User, filters: QueueFilters, today: dt.date | None = None) -> Any:
    """The queue: collective cases first, then own cases, then the township's, in the
    chosen order. Open cases unless the filter says otherwise."""
    return _queue_of(queue_cases(user), filters, today)


def _queue_of(queryset: QuerySet, filters: QueueFilters, today: dt.date | None) -> QuerySet:
    """The queue's filters and order over `queryset` (staff_cases or queue_cases)."""
    today = today or timezone.localdate()
    if filters.state == OPEN_CASES:
        queryset = queryset.filter(state__in=OPEN_STATES)
    elif filters.state != ALL_CASES:
        queryset = queryset.filter(state=filters.state)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.township:
        queryset = queryset.filter(township__code=filters.township)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.risk_level:
        queryset = queryset.filter(risk_level=filters.risk_level)
    if filters.received_from:
        queryset = queryset.filter(received_at__gte=day_start(filters.received_from))
    if filters.received_to:
        next_day = filters.received_to + dt.timedelta(days=1)
        queryset = queryset.filter(received_at__lt=day_start(next_day))
    if filters.collective:
        queryset = queryset.filter(is_collective=True)
    if filters.overdue:
        queryset = queryset.filter(state__in=OPEN_STATES, deadline__lt=today)
    if filters.mine:
        queryset = queryset.filter(mine=0)
    if filters.q:
        queryset = queryset.filter(search.search_condition(filters.q))
    if filters.figure and filters.period:
        queryset = statistics.figure_cases(queryset, filters.figure, filters.period)
    # Collective cases first (LDMAL art.7 and the arbitration rules give them priority),
    # then the user's own, then the chosen order.
    return queryset.order_by("-is_collective", "mine", *SORTS[filters.sort][1], "id")


def case_for_staff(user: User, case_number: str) -> Case | None:
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


def ledger_cases(user: User, filters: QueueFilters) -> QuerySet[Case]:
    """The queue's cases for the Excel ledger, with every claimant."""
    # The totals as one join grouped by case: the ledger lists every case of the queue.
    return _queue_of(staff_cases(user), filters, None).prefetch_related(
        Prefetch("claims", queryset=Claim.objects.select_related("person").order_by("id"))
    )


def evidence_for_staff(user: User, evidence_id: int) -> Evidence | None:
    visible = roles.cases_visible_to(user, Case.objects.all())
    return Evidence.objects.filter(pk=evidence_id, case__in=visible).select_related("case").first()


def staff_choices(case: Case, needed_roles: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
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
# transition: (track, states it runs from, the stage it extends), from the lifecycle table
_EXTENSIONS = {
    t.name: (kind, list(t.sources), t.extends)
    for t in lifecycle.TRANSITIONS
    if t.extends
    for kind in t.roles
}


def extensions_to_approve(user: User, today: dt.date | None = None, limit: int = 50) -> list[dict]:
    """Open cases whose deadline is near and whose one extension this user may approve."""
    today = today or timezone.localdate()
    items = []
    for name, (kind, states, stage) in _EXTENSIONS.items():
        # The approver is data (ClockRule.approver_role): ask once per transition.
        if not lifecycle.role_allows(name, SimpleNamespace(kind=kind), user):
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
    items.sort(
        key=lambda item: (not item["case"].is_collective, item["case"].deadline, item["case"].id)
    )
    return items[:limit]


# --- one case: the worker's and the staff's way in ---------------------------------------

# The lock scope of the case look-ups (core.query_codes): portal, API, uploads alike.
LOOKUP_SCOPE = "case"


def worker_case(case_number: str, query_code: str) -> Case:
    """The case for a number and its code; a wrong code looks like an unknown number, and
    so does a number locked after too many wrong codes (core.query_codes)."""
    case_number = (case_number or "").strip().upper()
    if "\x00" in f"{case_number}{query_code}":  # PostgreSQL refuses NUL in text
        raise errors.NotFound(errors.UNKNOWN_CASE_OR_CODE)
    case = Case.objects.filter(number=case_number).select_related("township", "employer").first()
    matches = query_codes.query_code_matches(case.query_code_hash if case else None, query_code)
    if query_codes.lookup_locked(scope=LOOKUP_SCOPE, number=case_number):
        raise errors.NotFound(errors.UNKNOWN_CASE_OR_CODE)
    if case is None or not matches:
        query_codes.lookup_failure_record(scope=LOOKUP_SCOPE, number=case_number)
        raise errors.NotFound(errors.UNKNOWN_CASE_OR_CODE)
    query_codes.lookup_success_record(scope=LOOKUP_SCOPE, number=case_number)
    return case


def visible_case(*, user: User, case_number: str, for_update: bool = False) -> Case:
    queryset = roles.cases_visible_to(user, Case.objects.all())
    if for_update:
        queryset = queryset.select_for_update()
    case = queryset.filter(number=case_number).first()
    if case is None:
        raise errors.NotFound(errors.CASE_NOT_FOUND)
    return case


def transitions_available(*, case: Case, user: User) -> list[str]:
    """Names of the transitions this user may run on the case now."""
    return [
        t.name for t in case.get_available_user_state_transitions(user) if t.name in lifecycle.SPECS
    ]


def case_detail(user: User, case_number: str) -> Case:
    """One case the user may read, with everything on it (the API's case detail)."""
    case = case_for_staff(user, case_number)
    if case is None:
        raise errors.NotFound(errors.CASE_NOT_FOUND)
    return case


def transition_options(*, user: User, case_number: str) -> list[dict]:
    """What the user may do to the case now: each transition's name, likely target state,
    label and input fields."""
    case = visible_case(user=user, case_number=case_number)
    options = []
    for name in transitions_available(case=case, user=user):
        spec = lifecycle.SPECS[name]
        options.append(
            {
                "name": name,
                "target": lifecycle.likely_target(case, name),
                "label": spec.label,
                "fields": describe_fields(spec.inputs[case.kind]),
            }
        )
    return options


# --- the API's lists ----------------------------------------------------------------------

API_ORDERINGS = {"deadline", "-deadline", "received_at", "-received_at", "-risk_score"}


def cases_listed(user: User, params: Mapping[str, Any]) -> QuerySet:
    """The API's case list: comma-separated filters of state, kind, risk level and
    township code; overdue; a search in number, employer and project; an ordering."""
    queryset = cases_with_totals(user)
    for name, lookup in (
        ("state", "state"),
        ("kind", "kind"),
        ("risk_level", "risk_level"),
        ("township", "township__code"),
    ):
        if params.get(name):
            queryset = queryset.filter(**{f"{lookup}__in": params[name].split(",")})
    if params.get("overdue") in ("true", "1"):
        queryset = queryset.filter(state__in=OPEN_STATES, deadline__lt=timezone.localdate())
    if params.get("q"):
        q = params["q"].strip()
        queryset = queryset.filter(search.search_condition(q, claimants=False))
    ordering = params.get("ordering")
    return queryset.order_by(ordering if ordering in API_ORDERINGS else "-received_at", "id")


def employers_matching(text: str) -> QuerySet:
    """Employers by part of the name or the whole credit code, by name."""
    queryset = Employer.objects.select_related("township").order_by("name", "id")
    text = text.strip()
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(uscc__iexact=text))
    return queryset
