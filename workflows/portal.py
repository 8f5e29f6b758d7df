"""The applicant's status page: no account, the application number and query code.

Like the worker portal's case status (cases/views/portal.py): the number and code are
posted once; an application proven in this browser session stays visible in it, so the
code never travels in a URL. Look-ups share the complaint look-up's per-IP rate limit.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from core.throttling import rate_limited
from workflows import errors, selectors
from workflows.applicant_status import applicant_status

SESSION_APPLICATIONS = "subsidy_applications"
MAX_SESSION_APPLICATIONS = 20


def _remember(request, number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_APPLICATIONS, []) if n != number]
    request.session[SESSION_APPLICATIONS] = [number, *numbers][:MAX_SESSION_APPLICATIONS]


@require_http_methods(["GET", "POST"])
@rate_limited("lookup")
def lookup(request):
    number = request.POST.get("number", request.GET.get("number", "")).strip().upper()
    if request.method == "GET":
        return render(request, "workflows/applicant_lookup.html", {"number": number})
    try:
        application = selectors.application_for_applicant(number, request.POST.get("query_code"))
    except errors.NotFound:
        context = {"number": number, "not_found": True}
        return render(request, "workflows/applicant_lookup.html", context, status=404)
    _remember(request, application.number)
    return redirect("subsidies:status", number=application.number)


@never_cache  # names and amounts: not to be kept by a shared phone's cache or a proxy
@rate_limited("lookup")
def status(request, number):
    # Only an application proven with its code in this session; anything else is sent to
    # the look-up form, whether the number exists or not.
    if number not in request.session.get(SESSION_APPLICATIONS, []):
        return redirect(reverse("subsidies:status-lookup") + "?" + urlencode({"number": number}))
    application = selectors.application_proven_in_session(number)
    if application is None:
        return redirect("subsidies:status-lookup")
    return render(
        request, "workflows/applicant_status.html", {"view": applicant_status(application)}
    )
