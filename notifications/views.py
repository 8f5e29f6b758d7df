"""Staff pages: the command screen (/screen/) and the alerts list (/alerts/)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import render

from cases import roles
from notifications import push, selectors, services
from notifications.risk import current_rules


def _staff_only(request):
    if not selectors.is_staff(request.user):
        raise PermissionDenied


@login_required
def command_screen(request):
    _staff_only(request)
    config = {
        "summary_url": "/api/v1/dashboard/summary/",
        "alerts_url": "/api/v1/alerts/",
        "socket_path": "/ws/alerts/",
        "login_url": "/accounts/login/?next=/screen/",
    }
    return render(request, "notifications/screen.html", {"screen_config": config})


@login_required
def alert_list(request):
    _staff_only(request)
    alerts = selectors.alerts_latest(request.user, limit=100)
    payloads = [push.alert_payload(a) for a in reversed(alerts)]
    return render(
        request,
        "notifications/alerts.html",
        {
            "alerts": payloads,
            "whole_county": selectors.sees_whole_county(request.user),
            "escalate_minutes": current_rules().escalate_after_minutes,
            "alerts_config": {
                "alerts": payloads,
                "last_id": max((a.pk for a in alerts), default=0),
                "socket_path": "/ws/alerts/",
                "may_acknowledge": roles.has_any_role(request.user, services.ACK_ROLES),
                "csrf_token": get_token(request),
            },
        },
    )
