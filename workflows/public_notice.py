"""The public notice (公示) is public: a page without sign-in lists the applications in
notice (applicant, policy, amount, masked beneficiaries, last day), and anyone may
lodge an objection with a contact.

An objection stops the notice's clock: the process's timer (flows.SubsidyFlow.
public_notice) is unscheduled, so the notice cannot end while the objection is open,
and the application waits for the county reviewer. The reviewer records the outcome:
dismissed, the clock runs again and the notice ends later by the working days it was
stopped; upheld, the application is refused with the reason and its approval ends.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core import roles
from core.dates import day_start
from core.validators import mask_id_number, mask_name
from rules.calendar import WorkingCalendar, add_period
from rules.models import ClockRule
from workflows import errors
from workflows.models import ApplicationEvent, NoticeObjection, SubsidyApplication
from workflows.steps import SubsidyState

# Messages (constants the tests import).
OBJECTION_NOT_IN_NOTICE = "该申请不在公示期内，不能提出异议。"
OBJECTION_CONTACT_REQUIRED = "请留下联系电话或地址，以便核实。"
OBJECTION_TEXT_REQUIRED = "请写明异议的事实和理由。"
OBJECTION_DECIDED = "该异议已处理。"
OBJECTION_REVIEWER_ONLY = "只有县人社局审核员可以处理公示异议。"
OBJECTION_OUTCOME_UNKNOWN = "处理结果只能是“异议不成立”或“异议成立”。"
OBJECTION_NOTE_REQUIRED = "请写明处理意见。"


def applications_in_notice():
    return (
        SubsidyApplication.objects.filter(state=SubsidyState.PUBLIC_NOTICE)
        .select_related("policy")
        .prefetch_related("beneficiaries")
        .order_by("notice_ends_on", "number")
    )


def public_rows() -> list[dict]:
    """What the public page shows: nothing that identifies a beneficiary fully."""
    rows = []
    for application in applications_in_notice():
        paused = application.objections.filter(outcome=NoticeObjection.Outcome.PENDING).exists()
        rows.append(
            {
                "number": application.number,
                "applicant": application.applicant_name,
                "policy": application.policy.name,
                "amount": application.computed_amount,
                "beneficiaries": [
                    f"{mask_name(b.name)}（{mask_id_number(b.id_number)}）"
                    for b in application.beneficiaries.all()
                    if b.eligible
                ],
                "last_day": application.notice_ends_on,
                "paused": paused,
            }
        )
    return rows


def _timer_tasks(application):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    process = getattr(application, "process", None)
    if process is None:
        return Task.objects.none()
    return Task.objects.filter(process=process, flow_task_type="TIMER", status=STATUS.SCHEDULED)


def _event(application, action, note, actor=None, data=None, from_state=None):
    return ApplicationEvent.objects.create(
        application=application,
        actor=actor,
        step="public_notice",
        action=action,
        from_state=from_state or application.state,
        to_state=application.state,
        note=note,
        data=data or {},
    )


def objection_lodge(*, number: str, name: str, contact: str, text: str) -> NoticeObjection:
    """Anyone lodges an objection: the notice's clock stops at once."""
    contact, text, name = (contact or "").strip(), (text or "").strip(), (name or "").strip()
    if not contact or len(contact) > 100:
        raise errors.InvalidInput(
            OBJECTION_CONTACT_REQUIRED, {"contact": [OBJECTION_CONTACT_REQUIRED]}
        )
    if not text or len(text) > 2000:
        raise errors.InvalidInput(OBJECTION_TEXT_REQUIRED, {"text": [OBJECTION_TEXT_REQUIRED]})
    if "\x00" in f"{number}{name}{contact}{text}":
        raise errors.InvalidInput(OBJECTION_TEXT_REQUIRED, {"text": [OBJECTION_TEXT_REQUIRED]})
    with transaction.atomic():
        application = (
            SubsidyApplication.objects.select_for_update()
            .filter(number=(number or "").strip().upper(), state=SubsidyState.PUBLIC_NOTICE)
            .first()
        )
        if application is None:
            raise errors.Conflict(OBJECTION_NOT_IN_NOTICE)
        objection = NoticeObjection.objects.create(
            application=application, name=name[:50], contact=contact, text=text
        )
        _timer_tasks(application).update(scheduled=None)  # the clock stops
        _event(
            application,
            "objection",
            "公示期间收到异议，公示暂停，待县人社局审核。",
            data={"objection": objection.pk},
        )
    return objection


def objection_decide(
    *, objection_id: int, actor, outcome: str, note: str, today: dt.date | None = None
):
    """The county reviewer records the outcome; only then can the application go on."""
    from workflows.flows import SubsidyFlow  # noqa: F401  (the timer's flow is loaded)

    today = today or timezone.localdate()
    if roles.COUNTY_REVIEWER not in roles.user_roles(actor):
        raise errors.Forbidden(OBJECTION_REVIEWER_ONLY)
    if outcome not in (NoticeObjection.Outcome.DISMISSED, NoticeObjection.Outcome.UPHELD):
        raise errors.InvalidInput(
            OBJECTION_OUTCOME_UNKNOWN, {"outcome": [OBJECTION_OUTCOME_UNKNOWN]}
        )
    if not (note or "").strip():
        raise errors.InvalidInput(OBJECTION_NOTE_REQUIRED, {"note": [OBJECTION_NOTE_REQUIRED]})
    with transaction.atomic():
        objection = NoticeObjection.objects.select_for_update().filter(pk=objection_id).first()
        if objection is None:
            raise errors.NotFound("没有这条异议。")
        if objection.outcome != NoticeObjection.Outcome.PENDING:
            raise errors.Conflict(OBJECTION_DECIDED)
        application = SubsidyApplication.objects.select_for_update().get(
            pk=objection.application_id
        )
        objection.outcome, objection.decided_by = outcome, actor
        objection.decided_at, objection.decision_note = timezone.now(), note.strip()
        objection.save(update_fields=["outcome", "decided_by", "decided_at", "decision_note"])
        still_open = application.objections.filter(outcome=NoticeObjection.Outcome.PENDING).exists()
        if outcome == NoticeObjection.Outcome.UPHELD:
            _refuse(application, actor, note.strip())
        elif not still_open and application.state == SubsidyState.PUBLIC_NOTICE:
            _resume(application, objection, actor, note.strip(), today)
        else:
            _event(application, "objection_dismissed", f"异议不成立：{note.strip()}", actor=actor)
    return objection


def _resume(application, objection, actor, note, today):
    """The clock runs again: the notice ends later by the working days it stood still."""
    calendar = WorkingCalendar()
    stopped_on = timezone.localdate(objection.created_at)
    lost = 0
    day = stopped_on
    while day < today:
        day += dt.timedelta(days=1)
        if calendar.is_working_day(day):
            lost += 1
    ends = application.notice_ends_on
    if lost:
        ends = add_period(ends, lost, ClockRule.DayKind.WORKING, calendar)
    application.notice_ends_on = ends
    application.save(update_fields=["notice_ends_on", "updated_at"])
    moment = day_start(ends + dt.timedelta(days=1))
    _timer_tasks(application).update(scheduled=moment)
    _event(
        application,
        "objection_dismissed",
        f"异议不成立：{note}。公示恢复，至{ends.isoformat()}止。",
        actor=actor,
    )


def _refuse(application, actor, note):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import PROCESS, STATUS

    from_state = application.state
    application.state = SubsidyState.REJECTED
    application.rejection_reason = f"公示期间异议成立：{note}"
    application.save(update_fields=["state", "rejection_reason", "updated_at"])
    process = getattr(application, "process", None)
    if process is not None:
        Task.objects.filter(process=process, status__in=[STATUS.SCHEDULED, STATUS.NEW]).update(
            status=STATUS.CANCELED, finished=timezone.now()
        )
        type(process).objects.filter(pk=process.pk).update(
            status=PROCESS.CANCELED, finished=timezone.now()
        )
    _event(
        application,
        "objection_upheld",
        f"异议成立，不予补贴：{note}",
        actor=actor,
        from_state=from_state,
    )


def pending_objections():
    return NoticeObjection.objects.filter(outcome=NoticeObjection.Outcome.PENDING).select_related(
        "application", "application__policy"
    )
