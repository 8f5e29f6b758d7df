"""The approval process of a subsidy application, as one viewflow Flow read top to bottom.

submit -> (no rule allows it: not granted) -> township review -> county HR bureau review
-> public notice (working days on the official calendar) -> supervisor approval ->
finance records the payment -> end.

At every review step the reviewer approves, returns the application for correction (it
goes to the township staff who entered it and then back to the same step), or rejects
it with a reason. Human steps are View tasks whose owner_permission holds the role that
does them and owner_permission_obj the application's township; workflows/services.py
checks both (and the four-eyes rule) before it calls activation.execute(). The person
who entered an application (or corrected and resubmitted it) decides none of its
steps: DecisionView refuses them, and the services check the same before they act.
"""

import datetime as dt

from django.shortcuts import redirect
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock
from viewflow.workflow.flow import Flow

from core import roles
from core.dates import day_start
from rules.calendar import WorkingCalendar, add_period
from rules.models import ClockRule
from workflows import selectors
from workflows.models import ApplicationEvent, SubsidyProcess
from workflows.steps import (  # noqa: F401  (services and tests read them here too)
    APPROVAL_STEPS,
    CORRECTION,
    PAYMENT,
    REVIEW_STEPS,
    STEP,
    STEP_STATES,
    STEPS,
    SubsidyState,
)


def task_page(request, process_pk, task_pk, **kwargs):
    """If the flow's own URLs are ever mounted, every task opens in the staff shell."""
    return redirect("subsidies:task", task_pk)


def _township(process):
    return getattr(process, "subsidyprocess", process).application.township


def _decision(activation) -> str:
    """The decision of the human task this gateway follows."""
    previous = activation.task.previous.order_by("-id").first()
    return (previous.data or {}).get("decision", "") if previous else ""


def _application_of(task):
    process = task.process
    process = getattr(process, "subsidyprocess", process)
    return process.application


def entered_by(user, application) -> bool:
    """Whether the user entered this application or resubmitted it after a correction."""
    return application.pk in selectors.entered_by(user, [application.pk])


class DecisionView(flow.View):
    """A step where someone decides: the role and township of the step's permission, and
    never the person who entered the application. (The roles are groups, not Django
    permissions, so viewflow's own has_perm test would refuse everyone but superusers.)"""

    def may_decide(self, user, task) -> bool:
        if user is None or user.is_anonymous:
            return False
        application = _application_of(task)
        if entered_by(user, application):
            return False
        return task.owner_permission in roles.user_roles(user) and roles.in_jurisdiction(
            user, application.township_id
        )

    def can_assign(self, user, task):
        return not task.owner_id and self.may_decide(user, task)

    def can_execute(self, user, task):
        owner_fits = not task.owner_id or task.owner_id == getattr(user, "pk", None)
        return owner_fits and self.may_decide(user, task)


def _task(step):
    """A human step's node, from its row (workflows/steps.py): who does it, in the
    application's township, and the state the application shows meanwhile."""
    view = flow.View if step.kind == CORRECTION else DecisionView
    after = step.then if step.kind == PAYMENT else f"after_{step.name}"
    return (
        view(task_page)
        .Annotation(title=step.label)
        .Permission(step.role, obj=_township)
        .onCreate(this.enter_step)
        .Next(getattr(this, after))
    )


def _after_review(step):
    """After a review: on to the row's next node, back for correction, or refused."""
    return (
        flow.Switch()
        .Case(getattr(this, step.then), this.approved)
        .Case(this.correction, this.returned)
        .Default(this.refuse)
    )


def _returned_from(name):
    def returned(activation):
        return activation.process.application.returned_from == name

    returned.__name__ = f"returned_by_{name}"
    return returned


def _back_after_correction():
    switch = flow.Switch().Case(this.refuse, this.not_allowed)
    for name in REVIEW_STEPS[:-1]:
        switch = switch.Case(getattr(this, name), _returned_from(name))
    return switch.Default(getattr(this, REVIEW_STEPS[-1]))


class SubsidyFlow(Flow):
    """补贴申请审批

    乡镇审核 → 县人社局审核 → 公示 → 主管领导审批 → 财务拨付。
    """

    process_class = SubsidyProcess
    # Locks the process row (SELECT ... FOR UPDATE NOWAIT, retried) on PostgreSQL; on
    # SQLite the IMMEDIATE transaction already serialises writers.
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_application).Next(this.intake)
    intake = flow.If(this.is_allowed).Then(this.township_review).Else(this.refuse)

    township_review = _task(STEP["township_review"])
    after_township_review = _after_review(STEP["township_review"])

    county_review = _task(STEP["county_review"])
    after_county_review = _after_review(STEP["county_review"])

    open_notice = flow.Function(this.start_public_notice).Next(this.public_notice)
    public_notice = flow.Timer(this.notice_over_at).Next(this.close_notice)
    close_notice = flow.Function(this.end_public_notice).Next(this.supervisor_approval)

    supervisor_approval = _task(STEP["supervisor_approval"])
    after_supervisor_approval = _after_review(STEP["supervisor_approval"])

    payment = _task(STEP["payment"])
    paid = flow.Function(this.mark_paid).Next(this.end)

    correction = _task(STEP["correction"])
    # Back to the step that returned it (the last review step when none is recorded).
    after_correction = _back_after_correction()

    refuse = flow.Function(this.reject_application).Next(this.end)
    end = flow.End()

    # --- what the nodes do -----------------------------------------------------------

    def start_application(self, activation, application, actor=None):
        activation.process.application = application
        activation.task.owner = actor
        return application

    def is_allowed(self, activation):
        return activation.process.application.is_allowed

    def not_allowed(self, activation):
        return not activation.process.application.is_allowed

    def approved(self, activation):
        return _decision(activation) == "approve"

    def returned(self, activation):
        return _decision(activation) == "return"

    def enter_step(self, activation):
        application = activation.process.application
        application.state = STEP_STATES[activation.flow_task.name]
        application.save(update_fields=["state", "updated_at"])

    def start_public_notice(self, activation):
        application = activation.process.application
        parameter = application.policy.parameters.get(key="notice_working_days")
        calendar = WorkingCalendar()
        started = timezone.localdate()
        ends = add_period(started, int(parameter.value), ClockRule.DayKind.WORKING, calendar)
        application.notice_started_on, application.notice_ends_on = started, ends
        application.state = SubsidyState.PUBLIC_NOTICE
        application.save(
            update_fields=["notice_started_on", "notice_ends_on", "state", "updated_at"]
        )
        note = (
            f"公示{int(parameter.value)}个工作日，{started.isoformat()}起，至{ends.isoformat()}止。"
        )
        unknown = _unknown_years(calendar, started, ends)
        if unknown:
            years = "、".join(str(y) for y in sorted(unknown))
            note += f"（{years}年官方节假日尚未录入，暂按周末推算）"
        _event(application, "public_notice", "notice_start", SubsidyState.COUNTY_REVIEW, note)

    def notice_over_at(self, activation):
        """The moment the notice is over: the start of the day after its last day."""
        ends = activation.process.application.notice_ends_on
        return day_start(ends + dt.timedelta(days=1))

    def end_public_notice(self, activation):
        application = activation.process.application
        application.state = SubsidyState.SUPERVISOR_APPROVAL
        application.save(update_fields=["state", "updated_at"])
        _event(
            application,
            "public_notice",
            "notice_end",
            SubsidyState.PUBLIC_NOTICE,
            f"公示期于{application.notice_ends_on.isoformat()}届满。",
        )

    def mark_paid(self, activation):
        application = activation.process.application
        application.state = SubsidyState.PAID
        application.save(update_fields=["state", "updated_at"])

    def reject_application(self, activation):
        application = activation.process.application
        from_state = application.state
        application.state = SubsidyState.REJECTED
        automatic = not application.rejection_reason
        if automatic:
            failed = [r["reason"].rstrip("。") for r in application.eligibility if not r["passed"]]
            application.rejection_reason = (
                "；".join(failed) + "。" if failed else "没有可补贴的对象。"
            )
        application.save(update_fields=["state", "rejection_reason", "updated_at"])
        if automatic:
            _event(application, "intake", "auto_reject", from_state, application.rejection_reason)


def _unknown_years(calendar, first, last) -> set[int]:
    """Years of the notice the official calendar does not know (weekends-only guess)."""
    if hasattr(calendar, "unknown_years"):
        return set(calendar.unknown_years(first, last))
    return set(getattr(calendar, "fallback_years", ()))


def _event(application, step, action, from_state, note, actor=None, data=None):
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        step=step,
        action=action,
        from_state=from_state,
        to_state=application.state,
        note=note,
        data=data or {},
    )
