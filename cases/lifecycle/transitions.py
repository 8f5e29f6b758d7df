"""The life of a case, one row per transition, read top to bottom.

A row says everything about a transition: its name, its label for staff, what the
worker reads in their timeline, the states it runs from and leads to, who may run it on
each track (a track it does not name cannot run it), what it asks for (an input
serializer, cases/lifecycle/inputs.py) and what it changes (an effect function,
cases/lifecycle/effects.py). Everything else is derived from this table: the django-fsm
methods on Case (cases/lifecycle/fsm.py), the role checks (cases/lifecycle/permissions.py),
the likely target shown on buttons, the API's transition list and the workbench forms.

Adding a transition is one row here plus its effect function (docs/architecture.md,
"Adding a case transition").
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cases.lifecycle import effects as fx
from cases.lifecycle import inputs as i
from cases.lifecycle.states import OPEN_STATES, CaseKind, CaseState
from core import roles
from rules import wording

S = CaseState
WA = CaseKind.WAGE_ARREARS
LD = CaseKind.LABOR_DISPUTE

# Who works which part of a track.
INSPECTION = frozenset({roles.INSPECTOR, roles.SUPERVISOR})
DISPUTE_INTAKE = frozenset({roles.ARBITRATOR, roles.MEDIATOR, roles.SUPERVISOR})
TRIBUNAL = frozenset({roles.ARBITRATOR, roles.SUPERVISOR})
MEDIATION = frozenset({roles.MEDIATOR, roles.ARBITRATOR, roles.SUPERVISOR})
# The role that approves an extension when its clock rule names none
# (ClockRule.approver_role, editable in the admin, decides otherwise).
APPROVER = frozenset({roles.SUPERVISOR})

OPEN = tuple(sorted(OPEN_STATES))


@dataclass(frozen=True)
class Decides:
    """A target the effect decides: it returns one of `states`; `usual(case)` is the one a
    button announces before the transition runs."""

    states: tuple[str, ...]
    usual: Callable[[Any], str]


# eq=False: rows compare and hash by identity (their inputs are a dict).
@dataclass(frozen=True, eq=False)
class Transition:
    name: str
    label: str
    source: str | tuple[str, ...]
    # A state, None (the state stays: an act on the case) or Decides(...).
    target: str | Decides | None
    roles: dict[str, frozenset[str]]  # track -> roles that may run it on that track
    worker_text: str  # the worker's timeline (cases.serializers.WORKER_TIMELINE_TEXT)
    # A serializer class, or {track: serializer class}; read as {track: class}.
    inputs: Any = i.NoteInput
    apply: Callable[[fx.Context], Any] = fx.nothing
    # The stage whose period this transition extends once; its approver is the role the
    # clock rule names (cases/lifecycle/permissions.py).
    extends: str = ""

    def __post_init__(self):
        if not isinstance(self.inputs, dict):
            object.__setattr__(self, "inputs", dict.fromkeys(CaseKind.values, self.inputs))

    @property
    def sources(self) -> tuple[str, ...]:
        return self.source if isinstance(self.source, tuple) else (self.source,)

    def likely_target(self, case) -> str:
        """The state this transition leads to from here (the usual one, when the effect
        decides it; the current one, when the state stays)."""
        if isinstance(self.target, Decides):
            return self.target.usual(case)
        return self.target or case.state


TRANSITIONS: tuple[Transition, ...] = (
    # --- intake, both tracks ---------------------------------------------------------------
    Transition(
        "accept",
        "受理/立案",
        source=S.SUBMITTED,
        target=Decides(
            (S.INVESTIGATING, S.ACCEPTED),
            usual=lambda case: S.INVESTIGATING if case.kind == WA else S.ACCEPTED,
        ),
        roles={WA: INSPECTION, LD: TRIBUNAL},
        worker_text="已受理（立案）",
        inputs={WA: i.AcceptInspectionInput, LD: i.AcceptDisputeInput},
        apply=fx.accept,
    ),
    Transition(
        "request_supplement",
        "通知补正材料",
        source=S.SUBMITTED,
        target=S.AWAITING_SUPPLEMENT,
        roles={WA: INSPECTION, LD: DISPUTE_INTAKE},
        worker_text="需要补充材料，请按通知补正",
        inputs=i.ReasonInput,
    ),
    Transition(
        "receive_supplement",
        "收到补正材料",
        source=S.AWAITING_SUPPLEMENT,
        target=S.SUBMITTED,
        roles={WA: INSPECTION, LD: DISPUTE_INTAKE},
        worker_text="已收到补充材料",
        inputs=i.SupplementReceivedInput,
        apply=fx.receive_supplement,
    ),
    Transition(
        "reject",
        "不予受理",
        source=(S.SUBMITTED, S.AWAITING_SUPPLEMENT),
        target=S.REJECTED,
        roles={WA: INSPECTION, LD: TRIBUNAL},
        worker_text="不予受理",
        inputs=i.RejectInput,
        apply=fx.reject,
    ),
    Transition(
        "convert_track",
        "转为另一程序（监察/仲裁）",
        source=(S.SUBMITTED, S.AWAITING_SUPPLEMENT, S.INVESTIGATING, S.ACCEPTED, S.MEDIATING),
        target=S.SUBMITTED,
        roles={WA: INSPECTION, LD: DISPUTE_INTAKE},
        worker_text="已转到更合适的程序办理",
        inputs=i.ReasonInput,
        apply=fx.convert_track,
    ),
    Transition(
        "withdraw",
        "劳动者撤回",
        source=OPEN,
        target=S.WITHDRAWN,
        roles={WA: INSPECTION, LD: MEDIATION},
        worker_text="已撤回",
    ),
    # A case filed under the wrong township moves to the right one (state unchanged).
    Transition(
        "transfer_township",
        "移交其他乡镇办理",
        source=OPEN,
        target=None,
        roles={WA: APPROVER, LD: APPROVER},
        worker_text="已移交案件所在乡镇办理",
        inputs=i.TransferTownshipInput,
        apply=fx.transfer_township,
    ),
    # --- labor inspection track (wage arrears) ---------------------------------------------
    Transition(
        "hear_employer",
        "听取单位陈述申辩",
        source=(S.INVESTIGATING, S.ORDERED),
        target=None,
        roles={WA: INSPECTION},
        worker_text="已听取用人单位陈述",
        inputs=i.HearEmployerInput,
        apply=fx.hear_employer,
    ),
    Transition(
        "extend_investigation",
        wording.text("延长调查期限（{p}）", p=lambda: wording.period("investigation_extension")),
        source=S.INVESTIGATING,
        target=None,
        roles={WA: APPROVER},
        worker_text="调查期限依法延长",
        inputs=i.ReasonInput,
        apply=fx.extend,
        extends="investigation_extension",
    ),
    Transition(
        "order_payment",
        "责令限期支付",
        source=S.INVESTIGATING,
        target=S.ORDERED,
        roles={WA: INSPECTION},
        worker_text="已责令用人单位限期支付",
        inputs=i.OrderPaymentInput,
        apply=fx.order_payment,
    ),
    Transition(
        "record_payment",
        "登记支付/追回工资",
        source=(S.INVESTIGATING, S.ORDERED, S.PENALIZED, S.SETTLED, S.AWARDED),
        target=Decides(
            (S.INVESTIGATING, S.ORDERED, S.PENALIZED, S.PAID, S.SETTLED, S.AWARDED),
            usual=lambda case: S.PAID if case.kind == WA else case.state,
        ),
        roles={WA: INSPECTION, LD: MEDIATION},
        worker_text="已登记支付款项",
        inputs=i.RecordPaymentInput,
        apply=fx.record_payment,
    ),
    Transition(
        "penalize",
        "加付赔偿金/行政处罚",
        source=S.ORDERED,
        target=S.PENALIZED,
        roles={WA: INSPECTION},
        worker_text="已对用人单位作出处罚",
        inputs=i.PenalizeInput,
        apply=fx.penalize,
    ),
    Transition(
        "transfer_to_police",
        "移送公安机关",
        source=(S.INVESTIGATING, S.ORDERED, S.PENALIZED),
        target=S.TRANSFERRED,
        roles={WA: INSPECTION},
        worker_text="已移送公安机关",
        inputs=i.TransferInput,
        apply=fx.transfer_to_police,
    ),
    Transition(
        "revoke",
        "撤销立案",
        source=S.INVESTIGATING,
        target=S.WITHDRAWN,
        roles={WA: INSPECTION},
        worker_text="已撤销立案",
        inputs=i.ReasonInput,
    ),
    # --- dispute track (mediation and arbitration) -----------------------------------------
    Transition(
        "compose_tribunal",
        "组成仲裁庭并通知",
        source=(S.ACCEPTED, S.MEDIATING, S.HEARING),
        target=None,
        roles={LD: TRIBUNAL},
        worker_text="已组成仲裁庭",
        inputs=i.ComposeTribunalInput,
        apply=fx.compose_tribunal,
    ),
    Transition(
        "start_mediation",
        "开始调解",
        source=S.ACCEPTED,
        target=S.MEDIATING,
        roles={LD: MEDIATION},
        worker_text="开始调解",
        inputs=i.StartMediationInput,
        apply=fx.start_mediation,
    ),
    Transition(
        "settle",
        "达成调解协议",
        source=(S.MEDIATING, S.HEARING),
        target=S.SETTLED,
        roles={LD: MEDIATION},
        worker_text="已达成调解协议",
        inputs=i.SettleInput,
        apply=fx.settle,
    ),
    Transition(
        "fail_mediation",
        "调解不成，转入仲裁审理",
        source=S.MEDIATING,
        target=S.HEARING,
        roles={LD: MEDIATION},
        worker_text="调解未成，进入仲裁审理",
        apply=fx.enter_hearing,
    ),
    Transition(
        "refer_to_hearing",
        "不调解，直接审理",
        source=S.ACCEPTED,
        target=S.HEARING,
        roles={LD: TRIBUNAL},
        worker_text="进入仲裁审理",
        apply=fx.enter_hearing,
    ),
    Transition(
        "schedule_hearing",
        "确定开庭日期",
        source=S.HEARING,
        target=None,
        roles={LD: TRIBUNAL},
        worker_text="已确定开庭日期",
        inputs=i.HearingDateInput,
        apply=fx.schedule_hearing,
    ),
    Transition(
        "postpone_hearing",
        "延期开庭",
        source=S.HEARING,
        target=None,
        roles={LD: TRIBUNAL},
        worker_text="开庭已延期",
        inputs=i.PostponeInput,
        apply=fx.postpone_hearing,
    ),
    Transition(
        "suspend",
        "中止审理",
        source=(S.ACCEPTED, S.HEARING),
        target=S.SUSPENDED,
        roles={LD: TRIBUNAL},
        worker_text="审理中止",
        inputs=i.ReasonInput,
        apply=fx.suspend,
    ),
    Transition(
        "resume",
        "恢复审理",
        source=S.SUSPENDED,
        target=Decides(
            (S.ACCEPTED, S.HEARING), usual=lambda case: case.suspended_from or S.HEARING
        ),
        roles={LD: TRIBUNAL},
        worker_text="恢复审理",
        apply=fx.resume,
    ),
    Transition(
        "restart_clock",
        "重新计算审理期限",
        source=(S.ACCEPTED, S.MEDIATING, S.HEARING),
        target=None,
        roles={LD: TRIBUNAL},
        worker_text="审理期限重新计算",
        inputs=i.RestartInput,
        apply=fx.restart_clock,
    ),
    Transition(
        "extend_award",
        wording.text("延长审理期限（{p}）", p=lambda: wording.period("award_extension")),
        source=(S.ACCEPTED, S.MEDIATING, S.HEARING),
        target=None,
        roles={LD: APPROVER},
        worker_text="审理期限依法延长",
        inputs=i.ReasonInput,
        apply=fx.extend,
        extends="award_extension",
    ),
    Transition(
        "award",
        "作出裁决",
        source=S.HEARING,
        target=S.AWARDED,
        roles={LD: TRIBUNAL},
        worker_text="已作出裁决",
        inputs=i.AwardInput,
        apply=fx.award,
    ),
    Transition(
        "deem_withdrawn",
        "申请人无故不到庭，按撤回处理",
        source=S.HEARING,
        target=S.WITHDRAWN,
        roles={LD: TRIBUNAL},
        worker_text="申请人未到庭，按撤回处理",
        apply=fx.deem_withdrawn,
    ),
    # --- the end of both tracks ------------------------------------------------------------
    Transition(
        "close",
        "结案",
        source=(S.PAID, S.PENALIZED, S.TRANSFERRED, S.SETTLED, S.AWARDED),
        target=S.CLOSED,
        roles={WA: INSPECTION, LD: MEDIATION},
        worker_text="已结案",
        apply=fx.close,
    ),
)

BY_NAME: dict[str, Transition] = {t.name: t for t in TRANSITIONS}


def likely_target(case, name: str) -> str:
    """The state a transition leads to from here (for transitions that decide it, the
    usual outcome; a transition that keeps the state names the current one)."""
    transition = BY_NAME.get(name)
    return transition.likely_target(case) if transition else case.state
