"""Which roles may run which transition, per track. Jurisdiction is checked as well."""

from core import roles

WA = "wage_arrears"
LD = "labor_dispute"

_INSPECTION = frozenset({roles.INSPECTOR, roles.SUPERVISOR})
_DISPUTE_INTAKE = frozenset({roles.ARBITRATOR, roles.MEDIATOR, roles.SUPERVISOR})
_TRIBUNAL = frozenset({roles.ARBITRATOR, roles.SUPERVISOR})
_MEDIATION = frozenset({roles.MEDIATOR, roles.ARBITRATOR, roles.SUPERVISOR})
_APPROVER = frozenset({roles.SUPERVISOR})

TRANSITION_ROLES: dict[str, dict[str, frozenset[str]]] = {
    "accept": {WA: _INSPECTION, LD: frozenset({roles.ARBITRATOR, roles.SUPERVISOR})},
    "request_supplement": {WA: _INSPECTION, LD: _DISPUTE_INTAKE},
    "receive_supplement": {WA: _INSPECTION, LD: _DISPUTE_INTAKE},
    "reject": {WA: _INSPECTION, LD: _TRIBUNAL},
    "convert_track": {WA: _INSPECTION, LD: _DISPUTE_INTAKE},
    "withdraw": {WA: _INSPECTION, LD: _MEDIATION},
    "hear_employer": {WA: _INSPECTION},
    "order_payment": {WA: _INSPECTION},
    "record_payment": {WA: _INSPECTION, LD: _MEDIATION},
    "penalize": {WA: _INSPECTION},
    "transfer_to_police": {WA: _INSPECTION},
    "revoke": {WA: _INSPECTION},
    "extend_investigation": {WA: _APPROVER},
    "transfer_township": {WA: _APPROVER, LD: _APPROVER},
    "close": {WA: _INSPECTION, LD: _MEDIATION},
    "compose_tribunal": {LD: _TRIBUNAL},
    "start_mediation": {LD: _MEDIATION},
    "settle": {LD: _MEDIATION},
    "fail_mediation": {LD: _MEDIATION},
    "refer_to_hearing": {LD: _TRIBUNAL},
    "schedule_hearing": {LD: _TRIBUNAL},
    "postpone_hearing": {LD: _TRIBUNAL},
    "suspend": {LD: _TRIBUNAL},
    "resume": {LD: _TRIBUNAL},
    "restart_clock": {LD: _TRIBUNAL},
    "extend_award": {LD: _APPROVER},
    "award": {LD: _TRIBUNAL},
    "deem_withdrawn": {LD: _TRIBUNAL},
}


# Extensions are approved by the role the clock rule names (data, editable in the admin).
EXTENSION_STAGES = {
    "extend_investigation": "investigation_extension",
    "extend_award": "award_extension",
}


def role_allows(name: str, case, user) -> bool:
    allowed = TRANSITION_ROLES.get(name, {}).get(case.kind, frozenset())
    if allowed and name in EXTENSION_STAGES:
        from django.utils import timezone

        from cases.clocks import RuleMissing, rule_for

        try:
            approver = rule_for(EXTENSION_STAGES[name], timezone.localdate()).approver_role
        except RuleMissing:
            return False
        allowed = frozenset({approver or roles.SUPERVISOR})
    return roles.has_any_role(user, allowed)


def may(name: str):
    """django-fsm permission callable: the role for this track, in this township."""

    def check(case, user) -> bool:
        return role_allows(name, case, user) and roles.in_jurisdiction(user, case.township_id)

    check.__name__ = f"may_{name}"
    return check
