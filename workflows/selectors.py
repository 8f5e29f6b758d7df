"""Reads that need thought: policies in force, prior claims, employers, task inboxes.

Core data (employers, townships, roles) is read only here, never written; an employer
and its blacklist entry through core.selectors.
"""

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet, Sum, prefetch_related_objects
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from core import pii, query_codes, roles
from core import selectors as core_selectors
from core.dates import day_start
from core.models import Employer
from rules.models import PolicyCode, PolicyParameter, SubsidyPolicy, in_force
from workflows import eligibility, errors, statistics
from workflows.models import ApplicationEvent, SubsidyApplication, SubsidyBeneficiary
from workflows.steps import STEPS, SubsidyState

# Who works with subsidies at all (whoever does a step), and who may enter applications.
SUBSIDY_ROLES = frozenset(step.role for step in STEPS)
SUBMIT_ROLES = frozenset({roles.TOWNSHIP_REVIEWER, roles.COUNTY_REVIEWER})
OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
# What services._next_number hands out: BT-2026-000123.
APPLICATION_NUMBER = re.compile(r"BT-\d{4}-\d{6,9}")


# --- policies ----------------------------------------------------------------------------


def policies_in_force(on: dt.date) -> list[SubsidyPolicy]:
    """Every policy version in force on the day (rules.models.in_force), in table order."""
    versions = SubsidyPolicy.objects.prefetch_related(
        Prefetch("parameters", queryset=PolicyParameter.objects.order_by("id"))
    ).order_by("id")
    return sorted(in_force(versions, on), key=lambda policy: policy.id)


def policy_for(code: str, period_start: dt.date) -> SubsidyPolicy | None:
    """The version covering the start of the period; else the nearest one, whose own
    dates then explain the refusal (ended, or not yet in force)."""
    versions = list(SubsidyPolicy.objects.filter(code=code).order_by("effective_from"))
    if not versions:
        return None
    covering = in_force(versions, period_start)
    if covering:
        return covering[0]
    started = [v for v in versions if v.effective_from <= period_start]
    return started[-1] if started else versions[0]


def policy_terms(policy: SubsidyPolicy) -> eligibility.PolicyTerms:
    parameters = list(policy.parameters.all())
    return eligibility.PolicyTerms(
        code=policy.code,
        name=policy.name,
        applicant_kinds=tuple(policy.applicant_kinds or ()),
        applicant_sizes=tuple(policy.applicant_sizes or ()),
        citation=policy.citation,
        effective_from=policy.effective_from,
        effective_to=policy.effective_to,
        values={p.key: p.value for p in parameters},
        labels={p.key: p.label for p in parameters},
    )


# --- employers and earlier claims --------------------------------------------------------


def employer_by_uscc(uscc: str) -> Employer | None:
    return core_selectors.employer_by_uscc(uscc)


def employer_facts(employer: Employer | None) -> eligibility.EmployerFacts | None:
    if employer is None:
        return None
    return eligibility.EmployerFacts(
        name=employer.name,
        size_class=employer.size_class,
        blacklisted_until=employer.blacklisted_until,
    )


def prior_claims(
    *, policy_code: str, id_numbers: Iterable[str], exclude_application_id: int | None = None
) -> eligibility.PriorClaims:
    """Months (and one-time grants) of this subsidy that applications not rejected hold
    for these people, whichever employer applied and however far the review has got."""
    rows = (
        SubsidyBeneficiary.objects.filter(
            id_number_index__in=[pii.blind_index(n) for n in id_numbers],
            application__policy__code=policy_code,
            eligible=True,
        )
        .exclude(application__state=SubsidyState.REJECTED)
        .select_related("application")
        .order_by("application__created_at", "application_id", "id")
    )
    if exclude_application_id is not None:
        rows = rows.exclude(application_id=exclude_application_id)
    prior = eligibility.PriorClaims()
    for row in rows:
        held = prior.months.setdefault(row.id_number, {})
        for month in row.months:
            held.setdefault(month, row.application.number)
        prior.once.setdefault(row.id_number, row.application.number)
    return prior


# --- applications and tasks --------------------------------------------------------------


def may_work_on_subsidies(user: User) -> bool:
    return roles.has_any_role(user, SUBSIDY_ROLES | {roles.ADMINISTRATOR})


def applications_visible_to(user: User) -> QuerySet:
    queryset = SubsidyApplication.objects.select_related("policy", "township")
    if not may_work_on_subsidies(user):
        return queryset.none()
    if roles.is_county_level(user):
        return queryset
    return queryset.filter(township_id__in=roles.township_ids(user))


def application_detail(user: User, application_id: int) -> SubsidyApplication:
    """One application the user may see, with its people and its history (the API's
    detail and the detail and task pages)."""
    application = (
        applications_visible_to(user)
        .prefetch_related(
            Prefetch(
                "beneficiaries", queryset=SubsidyBeneficiary.objects.order_by("position", "id")
            ),
            Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor")),
        )
        .select_related("employer")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise errors.NotFound(errors.APPLICATION_NOT_FOUND)
    return application


def applications_filtered(user: User, filters: dict) -> QuerySet:
    """The user's applications with the list's search and filters (keys of
    forms.ApplicationFilterForm), newest first."""
    queryset = applications_visible_to(user).select_related("submitted_by")
    text = (filters.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(number__icontains=text) | Q(applicant_name__icontains=text))
    if filters.get("policy"):
        queryset = queryset.filter(policy__code=filters["policy"])
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("township"):
        queryset = queryset.filter(township__code=filters["township"])
    if filters.get("date_from"):
        queryset = queryset.filter(created_at__gte=day_start(filters["date_from"]))
    if filters.get("date_to"):
        queryset = queryset.filter(
            created_at__lt=day_start(filters["date_to"] + dt.timedelta(days=1))
        )
    if filters.get("funding_source"):
        queryset = queryset.filter(policy__funding_source=filters["funding_source"])
    if filters.get("figure") and filters.get("period_from") and filters.get("period_to"):
        # The report's own definition of the figure: the list shows what was counted.
        queryset = statistics.figure_applications(
            queryset, filters["figure"], filters["period_from"], filters["period_to"]
        )
    return queryset.order_by("-created_at", "-id")


def applications_listed(user: User, *, state: str | None, policy: str | None) -> QuerySet:
    """The API's application list: comma-separated states and policy codes, newest first."""
    queryset = applications_visible_to(user)
    if state:
        queryset = queryset.filter(state__in=_known("state", state, SubsidyState))
    if policy:
        queryset = queryset.filter(policy__code__in=_known("policy", policy, PolicyCode))
    return queryset.order_by("-created_at", "-id")


def _known(name: str, raw: str, choices: type[models.TextChoices]) -> list[str]:
    """A comma-separated filter of choice values; anything else is a 400, never a query
    (a NUL byte in it made PostgreSQL raise)."""
    values = [v.strip() for v in raw.split(",") if v.strip()]
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        message = f"{name} 只能是：{'、'.join(choices.values)}。"
        raise errors.InvalidInput(message, {name: [message]})
    return values


def application_totals(queryset: QuerySet) -> dict:
    """Count, computed and paid amounts of a filtered list (one query)."""
    totals = queryset.order_by().aggregate(
        count=Count("id"), computed=Sum("computed_amount"), paid=Sum("paid_amount")
    )
    cent = Decimal("0.01")  # SQLite's SUM drops the scale of a decimal column
    return {
        "count": totals["count"],
        "computed": Decimal(totals["computed"] or 0).quantize(cent),
        "paid": Decimal(totals["paid"] or 0).quantize(cent),
    }


def open_tasks() -> QuerySet:
    # The subsidy flow's tasks are those of a SubsidyProcess (its process_class): no
    # import of workflows.flows, which reads through this module.
    return (
        Task.objects.filter(
            process__subsidyprocess__isnull=False,
            flow_task_type="HUMAN",
            status__in=OPEN_TASK,
        )
        .select_related(
            "process__subsidyprocess__application__policy",
            "process__subsidyprocess__application__township",
        )
        .order_by("created", "id")
    )


# Events by which a person enters an application's content (never a decision).
ENTRY_ACTIONS = ("submit", "resubmit")


def tasks_for(user: User) -> list[Task]:
    """The user's inbox: open tasks of a step their role does, in their townships."""
    user_roles = roles.user_roles(user)
    if not user_roles:
        return []
    queryset = open_tasks().filter(owner_permission__in=user_roles)
    if not roles.is_county_level(user):
        queryset = queryset.filter(
            process__subsidyprocess__application__township_id__in=roles.township_ids(user)
        )
    return list(queryset)


def application_of(task: Task) -> SubsidyApplication:
    return task.process.subsidyprocess.application


def approvals_by(user: User, application_ids: Iterable[int]) -> dict[int, list[str]]:
    """Steps each application's user approved (or paid), for the four-eyes hint."""
    rows = ApplicationEvent.objects.filter(
        application_id__in=list(application_ids), actor=user, action__in=("approve", "pay")
    ).values_list("application_id", "step")
    result: dict[int, list[str]] = {}
    for application_id, step in rows:
        result.setdefault(application_id, []).append(step)
    return result


def entered_by(user: User, application_ids: Iterable[int]) -> set[int]:
    """Of these applications, those the user entered or corrected and resubmitted: the
    person who entered an application decides none of its steps."""
    ids = list(application_ids)
    if not getattr(user, "pk", None) or not ids:
        return set()
    submitted = SubsidyApplication.objects.filter(pk__in=ids, submitted_by=user).values_list(
        "pk", flat=True
    )
    resubmitted = ApplicationEvent.objects.filter(
        application_id__in=ids, actor=user, action__in=ENTRY_ACTIONS
    ).values_list("application_id", flat=True)
    return set(submitted) | set(resubmitted)


def open_task_of(application: SubsidyApplication) -> Task | None:
    return open_tasks().filter(process__subsidyprocess__application=application).first()


# --- the applicant's own view ------------------------------------------------------------


# The lock scope of the applicant look-ups (core.query_codes): page and API alike.
LOOKUP_SCOPE = "subsidy"


def application_for_applicant(number: str, query_code: str) -> SubsidyApplication:
    """The application for a number and its code; a wrong code looks like an unknown number
    (same message, the code's hash compared in constant time, nothing more read before the
    check), and so does a number locked after too many wrong codes (core.query_codes)."""
    number = (number or "").strip().upper()
    # Anything not shaped like a number (a NUL byte would make PostgreSQL raise) is
    # unknown without asking the database.
    well_formed = APPLICATION_NUMBER.fullmatch(number)
    application = _applicant_queryset().filter(number=number).first() if well_formed else None
    stored = application.query_code_hash if application else None
    matches = query_codes.query_code_matches(stored, query_code or "")
    if query_codes.lookup_locked(scope=LOOKUP_SCOPE, number=number):
        raise errors.NotFound(errors.UNKNOWN_APPLICATION_OR_CODE)
    if application is None or not matches:
        if well_formed:
            query_codes.lookup_failure_record(scope=LOOKUP_SCOPE, number=number)
        raise errors.NotFound(errors.UNKNOWN_APPLICATION_OR_CODE)
    query_codes.lookup_success_record(scope=LOOKUP_SCOPE, number=number)
    return _with_details(application)


def application_proven_in_session(number: str) -> SubsidyApplication | None:
    """An application whose code this browser session has already given (the page's caller
    checks the session)."""
    if not APPLICATION_NUMBER.fullmatch(number):
        return None
    application = _applicant_queryset().filter(number=number).first()
    return _with_details(application) if application else None


def _applicant_queryset() -> QuerySet:
    return SubsidyApplication.objects.select_related("policy", "township")


def _with_details(application: SubsidyApplication) -> SubsidyApplication:
    prefetch_related_objects(
        [application],
        Prefetch("beneficiaries", queryset=SubsidyBeneficiary.objects.order_by("position", "id")),
        Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
    )
    return application
