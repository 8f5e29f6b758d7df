"""Staff pages: the command screen (/screen/) and the alerts list (/alerts/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases import errors
from core import roles
from notifications import audience, selectors, services
from notifications.models import Alert
from notifications.risk import current_rules
from rules.models import RiskLevel

ALERTS_PER_PAGE = 50
ACKNOWLEDGED = "已确认预警。"


def _staff_only(request):
    if not audience.is_staff(request.user):
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
    user = request.user
    filters = selectors.AlertFilters.from_query(request.GET)
    page = Paginator(selectors.alert_list(user, filters), ALERTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    params = request.GET.copy()
    params.pop("page", None)
    may_acknowledge = roles.has_any_role(user, services.ACK_ROLES)
    case_links = roles.may_use_workbench(user)  # the case page opens for case roles only
    return render(
        request,
        "notifications/alerts.html",
        {
            "alerts": page.object_list,
            "page": page,
            "filters": filters,
            "querystring": params.urlencode(),
            "levels": RiskLevel.choices,
            "reasons": Alert.Reason.choices,
            "statuses": Alert.Status.choices,
            "townships": selectors.alert_townships(user),
            "may_acknowledge": may_acknowledge,
            "case_links": case_links,
            "note_max": services.ACK_NOTE_MAX,
            "whole_county": audience.sees_whole_county(user),
            "escalate_minutes": current_rules().escalate_after_minutes,
            "alerts_config": {
                "last_id": selectors.alert_last_id(user),
                # New alerts appear live on the first page, when they pass the filters.
                "live": page.number == 1,
                "filters": filters.as_dict(),
                # The alerts page shows no figures: it asks for none (notifications.audience).
                "socket_path": "/ws/alerts/?figures=0",
                "may_acknowledge": may_acknowledge,
                "case_links": case_links,
                "note_max": services.ACK_NOTE_MAX,
                "csrf_token": get_token(request),
            },
        },
    )


@login_required
@require_POST
def alert_acknowledge(request, alert_id):
    """The page's acknowledge form (works without JavaScript); back to the same list."""
    _staff_only(request)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "/alerts/"
    try:
        services.alert_acknowledge(
            alert_id=alert_id, user=request.user, note=request.POST.get("note", "")
        )
    except errors.NotFound as error:
        raise Http404(error.message) from error
    except errors.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ACKNOWLEDGED)
    return redirect(back)
