"""What an applicant sees of their application, with its number and query code.

Applicants have no account. The township staff who enter an application hand its number
and query code to the applicant, who then follows it on /subsidies/status/ or through
GET /api/v1/subsidies/status/{number}/?query_code=... Both show the same thing, built
here: the current step in plain words, the amount and each beneficiary's result with the
ID number masked, and the history by step. Staff names never appear (only the office
that acted), reviewers' approval notes stay internal, and other applications' numbers in
the duplicate-claim reasons are hidden: they belong to someone else.
"""

import re

from django.utils import timezone
from rest_framework import serializers

from core import validators
from workflows.eligibility import yuan
from workflows.models import ACTION_LABELS, SubsidyApplication
from workflows.steps import STEP_LABELS, SubsidyState

S = SubsidyState
STATE_LABELS = dict(SubsidyState.choices)

# The main road of an application, for the progress bar.
ROAD = (
    "intake",
    "township_review",
    "county_review",
    "public_notice",
    "supervisor_approval",
    "payment",
)
ROAD_POSITION = {
    S.SUBMITTED: 0,
    S.TOWNSHIP_REVIEW: 1,
    S.COUNTY_REVIEW: 2,
    S.PUBLIC_NOTICE: 3,
    S.SUPERVISOR_APPROVAL: 4,
    S.AWAITING_PAYMENT: 5,
    S.PAID: len(ROAD),
}
# Actions whose note is written for the applicant (or by the system); approval notes are
# the reviewers' own remarks and stay in the staff pages.
PUBLIC_NOTE_ACTIONS = {
    "submit",
    "auto_reject",
    "return",
    "reject",
    "resubmit",
    "notice_start",
    "notice_end",
}
OTHER_APPLICATIONS = re.compile(r"BT-\d{4}-\d+(?:、BT-\d{4}-\d+)*")


def _public(text: str) -> str:
    """Another application's number tells this applicant nothing they may know."""
    return OTHER_APPLICATIONS.sub("其他", text or "").replace("申请其他", "其他申请")


def current_step_text(application: SubsidyApplication) -> str:
    """The current step in the words an applicant would use."""
    state, township = application.state, application.township.name
    if state == S.SUBMITTED:
        return "申请已提交，正在自动审查。"
    if state == S.TOWNSHIP_REVIEW:
        return f"{township}正在审核您的申请（乡镇审核）。"
    if state == S.COUNTY_REVIEW:
        return "乡镇审核已通过，县人社局正在审核。"
    if state == S.PUBLIC_NOTICE:
        ends = application.notice_ends_on.isoformat() if application.notice_ends_on else "—"
        return f"县人社局审核已通过，正在公示，公示至{ends}止。公示期满无异议后，报主管领导审批。"
    if state == S.SUPERVISOR_APPROVAL:
        return "公示期已满，等待主管领导审批。"
    if state == S.AWAITING_PAYMENT:
        return f"已批准，等待财务拨付，核定金额{yuan(application.computed_amount)}元。"
    if state == S.PAID:
        paid_on = application.paid_on.isoformat() if application.paid_on else ""
        return f"补贴已于{paid_on}拨付，金额{yuan(application.paid_amount or 0)}元。"
    if state == S.RETURNED:
        step = application.returned_from_label
        return (
            f"申请在“{step}”环节被退回补正。请按退回意见准备材料，交{township}工作人员"
            f"修改后重新提交；重新提交后回到“{step}”环节继续审核。"
        )
    if state == S.REJECTED:
        return "不予补贴。理由和依据见下方；如有疑问，请向乡镇工作人员或县人社局咨询（12333）。"
    return application.get_state_display()


def _progress(application: SubsidyApplication) -> list[dict]:
    state = application.state
    if state == S.RETURNED and application.returned_from in ROAD:
        at, mark = ROAD.index(application.returned_from), "returned"
    elif state == S.REJECTED:
        at, mark = _rejected_at(application), "rejected"
    else:
        at, mark = ROAD_POSITION.get(state, 0), "current"
    return [
        {
            "step": step,
            "label": STEP_LABELS[step],
            "status": "done" if i < at else (mark if i == at else "pending"),
        }
        for i, step in enumerate(ROAD)
    ]


def _rejected_at(application) -> int:
    """The step that refused: a reviewer's, else the automatic check at intake."""
    for event in reversed(application.events.all()):
        if event.action == "reject" and event.step in ROAD:
            return ROAD.index(event.step)
    return 0


def _history(application: SubsidyApplication) -> list[dict]:
    items = []
    for event in application.events.all():
        step, action = STEP_LABELS.get(event.step, event.step), ACTION_LABELS.get(event.action, "")
        if event.action == "pay":
            note = f"拨付{yuan(application.paid_amount or 0)}元。"
        elif event.action in PUBLIC_NOTE_ACTIONS:
            note = _public(event.note)
        else:
            note = ""
        items.append(
            {
                "time": timezone.localtime(event.created_at),
                "step": event.step,
                "action": event.action,
                "text": step if action in ("", step) else f"{step}：{action}",
                "note": note,
                "state": event.to_state,
                "state_label": STATE_LABELS.get(event.to_state, ""),
            }
        )
    return items


def applicant_status(application: SubsidyApplication) -> dict:
    """Everything the applicant may see, for the page and the API alike."""
    policy, state = application.policy, application.state
    returned = state == S.RETURNED
    rejected = state == S.REJECTED
    return {
        "number": application.number,
        "policy": policy.code,
        "policy_name": policy.name,
        "citation": policy.citation,
        "applicant_name": application.applicant_name,
        "township": application.township.name,
        "state": state,
        "state_label": application.get_state_display(),
        "current_step": current_step_text(application),
        "progress": _progress(application),
        "submitted_at": timezone.localtime(application.created_at),
        "period_start": application.period_start,
        "period_end": application.period_end,
        "computed_amount": application.computed_amount,
        "notice_started_on": application.notice_started_on,
        "notice_ends_on": application.notice_ends_on,
        "paid_amount": application.paid_amount if state == S.PAID else None,
        "paid_on": application.paid_on if state == S.PAID else None,
        "returned_from": application.returned_from_label if returned else "",
        "return_note": application.return_note if returned else "",
        "rejection_reason": _public(application.rejection_reason) if rejected else "",
        "eligibility": [
            {"rule": r["rule"], "passed": r["passed"], "reason": _public(r["reason"])}
            for r in application.eligibility
        ],
        "beneficiaries": [
            {
                "name": b.name,
                "id_number": validators.mask_id_number(b.id_number),
                "eligible": b.eligible,
                "amount": b.amount,
                "months": len(b.months),
                "reasons": [_public(r) for r in b.reasons],
            }
            for b in application.beneficiaries.all()
        ],
        "history": _history(application),
    }


# --- the API's shape (drf-spectacular reads it; the view serialises through it) ------------


class _ProgressStep(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    status = serializers.ChoiceField(["done", "current", "pending", "returned", "rejected"])


class _Rule(serializers.Serializer):
    rule = serializers.CharField()
    passed = serializers.BooleanField()
    reason = serializers.CharField()


class _Beneficiary(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="掩码，只保留前3位和后4位")
    eligible = serializers.BooleanField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    months = serializers.IntegerField(help_text="计入补贴的月数")
    reasons = serializers.ListField(child=serializers.CharField())


class _HistoryItem(serializers.Serializer):
    time = serializers.DateTimeField()
    step = serializers.CharField()
    action = serializers.CharField()
    text = serializers.CharField()
    note = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()


class ApplicantStatusOutput(serializers.Serializer):
    number = serializers.CharField()
    policy = serializers.CharField()
    policy_name = serializers.CharField()
    citation = serializers.CharField()
    applicant_name = serializers.CharField()
    township = serializers.CharField()
    state = serializers.ChoiceField(SubsidyState.choices)
    state_label = serializers.CharField()
    current_step = serializers.CharField(help_text="当前环节的通俗说明")
    progress = _ProgressStep(many=True)
    submitted_at = serializers.DateTimeField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    computed_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    notice_started_on = serializers.DateField(allow_null=True)
    notice_ends_on = serializers.DateField(allow_null=True)
    paid_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    returned_from = serializers.CharField(help_text="退回补正时：退回的环节")
    return_note = serializers.CharField(help_text="退回补正时：审核人的退回意见")
    rejection_reason = serializers.CharField(help_text="不予补贴时：理由")
    eligibility = _Rule(many=True)
    beneficiaries = _Beneficiary(many=True)
    history = _HistoryItem(many=True)
