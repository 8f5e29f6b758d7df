"""Staff pages: the command screen (/screen/) and the alerts list (/alerts/)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from notifications import push, selectors


def _staff_only(request):
    if not selectors.is_staff(request.user):
        raise PermissionDenied


@login_required
def command_screen(request):
    _staff_only(request)
    return render(request, "notifications/screen.html", {})


@login_required
def alert_list(request):
    _staff_only(request)
    alerts = selectors.alerts_latest(request.user, limit=100)
    return render(
        request,
        "notifications/alerts.html",
        {
            "alerts": [push.alert_payload(a) for a in reversed(alerts)],
            "last_id": max((a.pk for a in alerts), default=0),
            "whole_county": selectors.sees_whole_county(request.user),
        },
    )
