"""Deemed withdrawal and default awards need a hearing notice duly served (DOMAIN:
Hearing, award and service; LDMAL art.36).

Service records live in the notifications app, which cases never imports: it registers
the function that answers (notifications.apps). With nothing registered the answer is
"not served", so the guard fails closed.
"""

from collections.abc import Callable

from cases import errors

APPLICANT = "worker"  # the applicant: the workers of the case
RESPONDENT = "employer"

PARTY_LABELS = {APPLICANT: "申请人", RESPONDENT: "被申请人"}

# (case, party) -> True when every such party has a completed hearing-notice service.
_served: list[Callable] = []


def served_check_register(check: Callable) -> None:
    if check not in _served:
        _served.append(check)


def hearing_notice_served(case, party: str) -> bool:
    return any(check(case, party) for check in _served)


def require_hearing_notice_served(case, *, party: str, action: str) -> None:
    if not hearing_notice_served(case, party):
        message = errors.HEARING_NOTICE_NOT_SERVED.format(party=PARTY_LABELS[party], action=action)
        raise errors.Conflict(message)


def deem_withdrawn_check(ctx) -> None:
    """The precondition of deem_withdrawn (the applicant absent)."""
    require_hearing_notice_served(ctx.case, party=APPLICANT, action="按撤回处理")


def default_award_check(ctx) -> None:
    """The precondition of a default award (the respondent absent)."""
    if ctx.data.get("default_award"):
        require_hearing_notice_served(ctx.case, party=RESPONDENT, action="缺席裁决")
