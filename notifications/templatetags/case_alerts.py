"""The alerts panel of the staff case page: the case's alerts still open or
acknowledged, and the national platform's clues with their handling deadlines.

{% load case_alerts %}{% case_alerts_panel case %}: cases must not import this app, so
the case page asks for the panel through the template, as for the notices panel."""

import datetime as dt

from django import template
from django.utils import timezone

from cases.models import Channel
from notifications.clue_alerts import warn_until
from notifications.models import Alert
from rules.parameters import ParameterMissing

register = template.Library()

SHOWN = 20


@register.inclusion_tag("notifications/_case_alerts.html")
def case_alerts_panel(case):
    today = timezone.localdate()
    clues = list(case.source_references.filter(channel=Channel.PLATFORM).order_by("platform_due"))
    if any(c.platform_due for c in clues):
        try:
            near = warn_until(today)
        except ParameterMissing:  # deleted in the admin: overdue still shows
            near = today - dt.timedelta(days=1)
        for clue in clues:
            due = clue.platform_due
            clue.due_state = (
                ""
                if due is None or not case.is_open
                else ("overdue" if due < today else ("soon" if due <= near else ""))
            )
    alerts = list(
        Alert.objects.filter(case=case)
        .exclude(status=Alert.Status.RESOLVED)
        .select_related("source_reference")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    return {"case": case, "clues": clues, "alerts": alerts}
