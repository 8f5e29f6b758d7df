"""Labels for subsidy codes in templates."""

from django import template

from workflows.eligibility import rule_label as _rule_label

register = template.Library()


@register.filter
def rule_label(code: str) -> str:
    """A rule's name as a person reads it (policy_in_force -> 政策有效期)."""
    return _rule_label(code)
