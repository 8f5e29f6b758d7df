"""Which roles may run which transition, per track (the rows' `roles`); jurisdiction is
checked as well. An extension is approved by the role its clock rule names (data,
editable in the admin)."""

from django.utils import timezone

from cases.clocks import RuleMissing, rule_for
from cases.lifecycle.transitions import BY_NAME, TRANSITIONS
from core import roles

# name -> track -> roles; derived from the table.
TRANSITION_ROLES: dict[str, dict[str, frozenset[str]]] = {t.name: t.roles for t in TRANSITIONS}

# name -> the stage it extends.
EXTENSION_STAGES = {t.name: t.extends for t in TRANSITIONS if t.extends}


def role_allows(name: str, case, user) -> bool:
    transition = BY_NAME.get(name)
    allowed = transition.roles.get(case.kind, frozenset()) if transition else frozenset()
    if allowed and transition.extends:
        try:
            approver = rule_for(transition.extends, timezone.localdate()).approver_role
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
