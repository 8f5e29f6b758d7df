"""The public notice page (no sign-in) and the county reviewer's objections page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse

from core import roles
from core.throttling import rate_limited
from workflows import errors, public_notice


@rate_limited("lookup", methods=("GET",))
def notice_page(request):
    context = {
        "rows": public_notice.public_rows(),
        "lodged": request.session.pop("objection_lodged", ""),
        "error": request.session.pop("objection_error", ""),
        "error_number": request.session.pop("objection_error_number", ""),
    }
    return render(request, "workflows/public_notice.html", context)


@rate_limited("objections", methods=("POST",))
def objection_lodge(request, number):
    if request.method != "POST":
        return redirect("public-notice")
    try:
        public_notice.objection_lodge(
            number=number,
            name=request.POST.get("name", ""),
            contact=request.POST.get("contact", ""),
            text=request.POST.get("text", ""),
        )
    except errors.DomainError as failure:
        request.session["objection_error"] = failure.message
        request.session["objection_error_number"] = number
    else:
        request.session["objection_lodged"] = number
    return redirect(reverse("public-notice") + f"#n-{number}")


@login_required
def objections_page(request):
    if roles.COUNTY_REVIEWER not in roles.user_roles(request.user):
        return render(request, "workflows/forbidden.html", status=403)
    error = ""
    if request.method == "POST":
        try:
            public_notice.objection_decide(
                objection_id=int(request.POST.get("objection") or 0),
                actor=request.user,
                outcome=request.POST.get("outcome", ""),
                note=request.POST.get("note", ""),
            )
        except errors.DomainError as failure:
            error = failure.message
        else:
            return redirect("notice-objections")
    context = {"objections": list(public_notice.pending_objections()), "error": error}
    return render(request, "workflows/objections.html", context, status=400 if error else 200)
