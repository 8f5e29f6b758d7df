"""Every write that matters to a subsidy application.

application_submit   store an application, explain its eligibility, start its process
application_correct  the township's corrected resubmission of a returned application
task_decide          approve / return / reject at a review step, record the payment
notices_close_due    end the public notices whose working days have passed

Each runs in one transaction. Decisions take the flow's lock on the process row
(select_for_update on PostgreSQL), so two people acting on one task at once are
serialised and the second is told the first has already decided.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from core import roles
from core import selectors as core_selectors
from core.models import Township
from rules.models import ApplicantKind, PolicyCode, SubsidyPolicy
from workflows import eligibility, errors, selectors
from workflows.flows import SubsidyFlow, _event
from workflows.models import (
    ApplicationEvent,
    ApplicationNumberSequence,
    SubsidyApplication,
    SubsidyBeneficiary,
)
from workflows.steps import APPROVAL_STEPS, CORRECTION, PAYMENT, STEP, STEP_LABELS, STEP_ROLES

logger = logging.getLogger(__name__)

DECISIONS = {"approve": "同意", "return": "退回补正", "reject": "不予补贴"}


@dataclass(frozen=True)
class Applicant:
    kind: str
    name: str
    township: Township
    uscc: str = ""
    size_class: str = ""
    id_number: str = ""
    phone: str = ""


@dataclass(frozen=True)
class ApplicationData:
    policy_code: str
    applicant: Applicant
    period_start: dt.date
    period_end: dt.date
    beneficiaries: list[eligibility.Person]
    requested_amount: Decimal | None = None


# --- submission --------------------------------------------------------------------------


def application_submit(
    *, data: ApplicationData, actor: User, is_demo: bool = False
) -> SubsidyApplication:
    """Store the application with its rule-by-rule eligibility and start its approval.

    An application no rule allows is stored too, as `rejected` with its reasons.
    """
    _check_may_submit(actor, data.applicant.township)
    with transaction.atomic():
        policy = _lock_policy(data.policy_code, data.period_start)
        application = SubsidyApplication(
            number=_next_number(),
            policy=policy,
            township=data.applicant.township,
            submitted_by=actor,
            is_demo=is_demo,
        )
        _fill(application, data)
        application.save()
        _store_and_evaluate(application, data)
        _event(application, "submit", "submit", "", _summary(application), actor=actor)
        SubsidyFlow.start.run(application=application, actor=actor)
    application.refresh_from_db()
    return application


def application_correct(
    *, application_id: int, data: ApplicationData, actor: User, note: str = ""
) -> SubsidyApplication:
    """The township's correction of a returned application: stored, re-evaluated, and
    sent back to the step that returned it (or refused, if no rule allows it now)."""
    application = selectors.applications_visible_to(actor).filter(pk=application_id).first()
    if application is None:
        raise errors.NotFound(errors.APPLICATION_NOT_FOUND)
    task = (
        selectors.open_tasks()
        .filter(process__subsidyprocess__application=application, flow_task=SubsidyFlow.correction)
        .first()
    )
    if task is None:
        raise errors.Conflict(errors.NOT_RETURNED)
    _check_may_submit(actor, data.applicant.township)

    def work(activation: Any) -> tuple[SubsidyApplication, str, str]:
        _lock_policy(data.policy_code, data.period_start)
        fresh = activation.process.application
        fresh.policy = selectors.policy_for(data.policy_code, data.period_start)
        fresh.township = data.applicant.township
        _fill(fresh, data)
        fresh.save()
        fresh.beneficiaries.all().delete()
        _store_and_evaluate(fresh, data)
        return fresh, "resubmit", note or "已按退回意见补正后重新提交。"

    return _run_task(task.pk, actor, "correction", work, decision="resubmit")


def _check_may_submit(actor: User, township: Township) -> None:
    if not roles.has_any_role(actor, selectors.SUBMIT_ROLES) or not roles.in_jurisdiction(
        actor, township.id
    ):
        raise errors.Forbidden(errors.SUBMIT_FORBIDDEN)


def _lock_policy(code: str, period_start: dt.date) -> SubsidyPolicy:
    """Submissions of one subsidy queue on its policy rows, so two applications naming the
    same person are checked one after the other and cannot both claim the same months."""
    list(SubsidyPolicy.objects.select_for_update().filter(code=code).values_list("id"))
    policy = selectors.policy_for(code, period_start)
    if policy is None:
        raise errors.InvalidInput(
            errors.UNKNOWN_POLICY.format(code=code),
            {"policy": [errors.UNKNOWN_POLICY.format(code=code)]},
        )
    return policy


def _fill(application: SubsidyApplication, data: ApplicationData) -> None:
    applicant = data.applicant
    employer = selectors.employer_by_uscc(applicant.uscc)
    application.applicant_kind = applicant.kind
    application.applicant_name = applicant.name
    application.applicant_uscc = applicant.uscc
    application.applicant_id_number = applicant.id_number
    application.applicant_phone = applicant.phone
    application.size_class = applicant.size_class
    application.employer = employer
    application.period_start = data.period_start
    application.period_end = data.period_end
    application.requested_amount = data.requested_amount


def beneficiaries_of(data: ApplicationData) -> list[eligibility.Person]:
    """An entrepreneur applying as an individual is the beneficiary when none is listed."""
    applicant = data.applicant
    if (
        not data.beneficiaries
        and applicant.kind == ApplicantKind.INDIVIDUAL
        and data.policy_code in (PolicyCode.STARTUP, PolicyCode.RENT, PolicyCode.STARTUP_LOAN)
    ):
        return [
            eligibility.Person(
                name=applicant.name,
                id_number=applicant.id_number,
                hire_date=data.period_start,
            )
        ]
    return list(data.beneficiaries)


def _store_and_evaluate(application: SubsidyApplication, data: ApplicationData) -> None:
    people = beneficiaries_of(data)
    policy = application.policy
    terms = selectors.policy_terms(policy)
    prior = selectors.prior_claims(
        policy_code=policy.code,
        id_numbers=[p.id_number for p in people],
        exclude_application_id=application.pk,
    )
    employer = (
        selectors.employer_facts(application.employer)
        if application.applicant_kind != ApplicantKind.INDIVIDUAL
        else None
    )
    try:
        result = eligibility.evaluate(
            terms,
            eligibility.Application(
                policy_code=policy.code,
                applicant_kind=application.applicant_kind,
                applicant_name=application.applicant_name,
                size_class=application.size_class,
                period_start=application.period_start,
                period_end=application.period_end,
                beneficiaries=tuple(people),
                requested_amount=application.requested_amount,
            ),
            prior=prior,
            employer=employer,
            today=timezone.localdate(),
        )
    except KeyError as error:
        raise errors.Conflict(
            errors.POLICY_PARAMETER_MISSING.format(detail=error.args[0])
        ) from error
    for position, person_result in enumerate(result.people):
        person = person_result.person
        SubsidyBeneficiary.objects.create(
            application=application,
            position=position,
            name=person.name,
            id_number=person.id_number,
            hire_date=person.hire_date,
            contract_months=person.contract_months,
            hard_to_employ=person.hard_to_employ,
            graduation_year=person.graduation_year,
            insurance_months=person.insurance_months,
            insurance_paid=person.insurance_paid,
            destination=person.destination,
            eligible=person_result.eligible,
            amount=person_result.amount if person_result.eligible else Decimal("0"),
            months=person_result.months if person_result.eligible else [],
            reasons=person_result.reasons,
            rules=[r.as_dict() for r in person_result.rules],
        )
    application.computed_amount = result.amount
    application.eligibility = [r.as_dict() for r in result.rules]
    application.evaluated_at = timezone.now()
    application.save(update_fields=["computed_amount", "eligibility", "evaluated_at", "updated_at"])


def _summary(application: SubsidyApplication) -> str:
    verdict = "符合条件" if application.is_allowed else "不符合条件"
    return f"{application.policy.name}：自动审查{verdict}，核定金额{eligibility.yuan(application.computed_amount)}元。"


def _next_number() -> str:
    year = timezone.localdate().year
    sequence, _ = ApplicationNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"BT-{year}-{sequence.last:06d}"


# --- decisions ---------------------------------------------------------------------------


def task_decide(
    *,
    task_id: int,
    actor: User,
    decision: str,
    note: str = "",
    paid_amount: Decimal | None = None,
    paid_on: dt.date | None = None,
    payment_reference: str = "",
) -> SubsidyApplication:
    """Approve, return or reject at a review step; at the payment step, record it."""
    if decision not in DECISIONS:
        raise errors.InvalidInput(errors.UNKNOWN_DECISION, {"decision": [errors.UNKNOWN_DECISION]})
    note = (note or "").strip()
    if decision in ("return", "reject") and not note:
        raise errors.InvalidInput(errors.NOTE_REQUIRED, {"note": [errors.NOTE_REQUIRED]})

    def work(activation: Any) -> tuple[SubsidyApplication, str, str]:
        step = activation.flow_task.name
        application = activation.process.application
        if STEP[step].kind == CORRECTION:
            raise errors.Conflict(errors.CORRECTION_USE_FORM)
        if STEP[step].kind == PAYMENT:
            if decision != "approve":
                raise errors.InvalidInput(
                    errors.PAYMENT_ONLY_APPROVE, {"decision": [errors.PAYMENT_ONLY_APPROVE]}
                )
            amount = application.computed_amount if paid_amount is None else paid_amount
            if amount > application.computed_amount:
                message = errors.PAID_AMOUNT_TOO_HIGH.format(
                    amount=eligibility.yuan(application.computed_amount)
                )
                raise errors.InvalidInput(message, {"paid_amount": [message]})
            application.paid_amount = amount
            application.paid_on = paid_on or timezone.localdate()
            application.payment_reference = payment_reference
            application.save(
                update_fields=["paid_amount", "paid_on", "payment_reference", "updated_at"]
            )
            detail = f"拨付{eligibility.yuan(amount)}元，凭证号{payment_reference or '未填'}。"
            return application, "pay", (note + " " + detail).strip()
        if decision == "approve":
            _check_approvable(application)
        elif decision == "return":
            application.returned_from, application.return_note = step, note
            application.save(update_fields=["returned_from", "return_note", "updated_at"])
        else:
            application.rejection_reason = f"{STEP_LABELS[step]}：{note}"
            application.save(update_fields=["rejection_reason", "updated_at"])
        return application, decision, note

    return _run_task(task_id, actor, None, work, decision=decision)


def _check_approvable(application: SubsidyApplication) -> None:
    listed_until = core_selectors.blacklisted_until(application.employer_id)
    if listed_until:
        raise errors.Conflict(errors.BLACKLISTED_NOW.format(until=listed_until))
    if application.computed_amount <= 0:
        raise errors.Conflict(errors.NOTHING_TO_APPROVE)


def _run_task(
    task_id: int,
    actor: User,
    expected_step: str | None,
    work: Callable[[Any], tuple[SubsidyApplication, str, str]],
    decision: str = "approve",
) -> SubsidyApplication:
    """Lock the process, check who may act, let `work` save the record, then execute."""
    task = Task.objects.filter(pk=task_id, process__flow_class=SubsidyFlow).first()
    if task is None or task.flow_task_type != "HUMAN":
        raise errors.NotFound(errors.TASK_NOT_FOUND)
    if not selectors.applications_visible_to(actor).filter(process__pk=task.process_id).exists():
        raise errors.NotFound(errors.TASK_NOT_FOUND)
    try:
        # The flow lock opens the transaction itself (outermost, so a NOWAIT miss can be
        # retried); everything below commits or rolls back with it.
        with task.activation() as activation:
            step = activation.flow_task.name
            if expected_step and step != expected_step:
                raise errors.Conflict(errors.NOT_RETURNED)
            _check_may_act(activation, actor, decision)
            application = activation.process.application
            from_state = application.state
            application, action, note = work(activation)
            if activation.task.status == STATUS.NEW:
                activation.assign(actor)
            activation.start(None)
            activation.task.data = {
                **(activation.task.data or {}),
                "decision": decision,
                "note": note,
            }
            # The decision is recorded before the flow moves on, so the history reads in
            # order (decision, then what the flow did: notice, refusal ...); the state it
            # led to is filled in once the flow has run, in the same transaction.
            event = _event(
                application,
                step,
                action,
                from_state,
                note,
                actor=actor,
                data={"task": activation.task.pk, "decision": decision},
            )
            activation.execute()
            application.refresh_from_db()
            ApplicationEvent.objects.filter(pk=event.pk).update(to_state=application.state)
            return application
    except FlowLockFailed as error:
        raise errors.Conflict(errors.TASK_BUSY) from error


def _check_may_act(activation: Any, actor: User, decision: str) -> None:
    task, step = activation.task, activation.flow_task.name
    application = activation.process.application
    if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
        done = ApplicationEvent.objects.filter(data__task=task.pk).select_related("actor").first()
        done_by = done.actor if done else None
        who = (done_by.get_full_name() or done_by.get_username()) if done_by else "他人"
        what = DECISIONS.get(done.data.get("decision"), "已办理") if done else "已办理"
        raise errors.Conflict(errors.TASK_DONE.format(who=who, decision=what))
    role = STEP_ROLES[step]
    if role not in roles.user_roles(actor) or not roles.in_jurisdiction(
        actor, application.township_id
    ):
        raise errors.Forbidden(errors.STEP_FORBIDDEN.format(step=STEP_LABELS[step]))
    if step in APPROVAL_STEPS and application.pk in selectors.entered_by(actor, [application.pk]):
        raise errors.Forbidden(errors.ENTERED_BY_YOU)
    if decision == "approve" and step in APPROVAL_STEPS:
        earlier = approved_steps(application, actor, excluding=step)
        if earlier:
            raise errors.Forbidden(errors.SAME_PERSON.format(step=STEP_LABELS[earlier[0]]))


def approved_steps(application: SubsidyApplication, actor: User, excluding: str = "") -> list[str]:
    """The steps of this application the user has approved (four-eyes rule)."""
    steps = (
        ApplicationEvent.objects.filter(
            application=application, actor=actor, action__in=("approve", "pay")
        )
        .exclude(step=excluding)
        .values_list("step", flat=True)
    )
    return list(dict.fromkeys(steps))


def may_act(task: Task, actor: User) -> bool:
    """Whether the user's role and township fit the task and they did not enter the
    application (for the inbox and the page)."""
    application = selectors.application_of(task)
    step = task.flow_task.name
    if step in APPROVAL_STEPS and application.pk in selectors.entered_by(actor, [application.pk]):
        return False
    return STEP_ROLES.get(step) in roles.user_roles(actor) and roles.in_jurisdiction(
        actor, application.township_id
    )


# --- the public notice -------------------------------------------------------------------


def notices_close_due() -> int:
    """End every public notice whose last working day has passed; returns how many.

    Run every few minutes by Celery beat (workflows.tasks) or cron
    (`manage.py subsidy_notices`); the inbox also runs it, so an installation without a
    scheduler still moves on. Safe to run concurrently: each timer fires under its
    process lock.
    """
    return fire_due_timers()
