"""The steps of a subsidy application's approval, one row per human step.

A row says who does the step (the role stored on the task as its owner_permission),
what the application's state is while the step is open, its label, what may be decided
there, whether an approval there counts for the four-eyes rule, and which node follows
an approval. The flow (workflows/flows.py) builds its task nodes, their annotations and
permissions from these rows; the services, serializers, views and templates read the
same rows. Adding an approval step is one row here plus its node in the flow.
"""

from dataclasses import dataclass

from django.db import models

from core import roles


class SubsidyState(models.TextChoices):
    SUBMITTED = "submitted", "已提交"
    TOWNSHIP_REVIEW = "township_review", "乡镇审核中"
    COUNTY_REVIEW = "county_review", "县人社局审核中"
    PUBLIC_NOTICE = "public_notice", "公示中"
    SUPERVISOR_APPROVAL = "supervisor_approval", "待主管领导审批"
    AWAITING_PAYMENT = "awaiting_payment", "已批准，待拨付"
    PAID = "paid", "已拨付"
    RETURNED = "returned", "退回补正"
    REJECTED = "rejected", "不予补贴"


# What a step asks of the person doing it.
REVIEW = "review"  # approve, return for correction, or reject
PAYMENT = "payment"  # record the payment
CORRECTION = "correction"  # the township corrects and resubmits (a form, no decision)


@dataclass(frozen=True)
class Step:
    name: str  # the flow's node
    label: str
    role: str
    state: str  # the application's state while the step is open
    kind: str = REVIEW
    then: str = ""  # the node that follows an approval

    @property
    def decisions(self) -> tuple[str, ...]:
        return {REVIEW: ("approve", "return", "reject"), PAYMENT: ("approve",)}.get(self.kind, ())

    @property
    def four_eyes(self) -> bool:
        """An approval here counts for the four-eyes rule, and whoever entered the
        application may not do it."""
        return self.kind != CORRECTION


S = SubsidyState

STEPS: tuple[Step, ...] = (
    Step(
        "township_review",
        "乡镇审核",
        role=roles.TOWNSHIP_REVIEWER,
        state=S.TOWNSHIP_REVIEW,
        then="county_review",
    ),
    Step(
        "county_review",
        "县人社局审核",
        role=roles.COUNTY_REVIEWER,
        state=S.COUNTY_REVIEW,
        then="open_notice",  # the public notice, then the supervisor
    ),
    Step(
        "supervisor_approval",
        "主管领导审批",
        role=roles.SUPERVISOR,
        state=S.SUPERVISOR_APPROVAL,
        then="payment",
    ),
    Step(
        "payment",
        "财务拨付",
        role=roles.FINANCE,
        state=S.AWAITING_PAYMENT,
        kind=PAYMENT,
        then="paid",
    ),
    # A returned application: the township corrects it; it goes back to the step that
    # returned it.
    Step(
        "correction",
        "退回补正",
        role=roles.TOWNSHIP_REVIEWER,
        state=S.RETURNED,
        kind=CORRECTION,
    ),
)

STEP = {step.name: step for step in STEPS}
REVIEW_STEPS = tuple(s.name for s in STEPS if s.kind == REVIEW)
# Steps at which an approval counts for the four-eyes rule.
APPROVAL_STEPS = tuple(s.name for s in STEPS if s.four_eyes)
STEP_STATES = {s.name: s.state for s in STEPS}
STEP_ROLES = {s.name: s.role for s in STEPS}

# Every node an event can name: the human steps and the automatic ones around them.
STEP_LABELS = {
    "submit": "提交申请",
    "intake": "自动审查",
    "public_notice": "公示",
    "refuse": "不予补贴",
    **{s.name: s.label for s in STEPS},
}
