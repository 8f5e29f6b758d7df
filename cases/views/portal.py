"""The worker portal: file a complaint, see the confirmation, check a case's status.

No account: a worker proves a case is theirs with its number and query code. A case
they filed or looked up in this browser session stays visible in the session, so the
code never travels in a URL.
"""

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from cases import errors, intake, kept_uploads, selectors, services
from cases.forms import FILES_TO_RESELECT, ComplaintForm
from cases.models import CaseState
from cases.serializers import WorkerCaseView
from cases.views.common import EvidenceSizeLimit, too_large_message
from core.throttling import rate_limited

SESSION_CASES = "portal_cases"
SESSION_FILED = "portal_filed"
MAX_SESSION_CASES = 20

S = CaseState
# What each state means for the worker, in plain words.
STATE_EXPLAINED = {
    S.SUBMITTED: gettext_lazy("投诉已收到。工作人员会在法定期限内决定是否受理，并通知您。"),
    S.AWAITING_SUPPLEMENT: gettext_lazy(
        "需要您补充材料。请按通知把材料交给工作人员；收到后重新计算受理期限。"
    ),
    S.REJECTED: gettext_lazy("不予受理。原因和可以采取的其他途径以书面通知为准。"),
    S.INVESTIGATING: gettext_lazy("已立案，劳动保障监察员正在调查。"),
    S.ORDERED: gettext_lazy("已责令用人单位在期限内支付工资。"),
    S.PAID: gettext_lazy("用人单位已支付拖欠的工资。"),
    S.PENALIZED: gettext_lazy("用人单位逾期未付，已被处罚并须加付赔偿金。"),
    S.TRANSFERRED: gettext_lazy("涉嫌拒不支付劳动报酬罪，案件已移送公安机关。"),
    S.ACCEPTED: gettext_lazy("劳动人事争议仲裁委员会已受理您的申请。"),
    S.MEDIATING: gettext_lazy("正在调解：工作人员会联系双方协商解决。"),
    S.SETTLED: gettext_lazy("已达成调解协议，用人单位正在按协议付款。"),
    S.HEARING: gettext_lazy("正在仲裁审理。开庭时间会另行通知。"),
    S.SUSPENDED: gettext_lazy("审理暂时中止，中止期间不计入审理期限。"),
    S.AWARDED: gettext_lazy("仲裁委员会已作出裁决。"),
    S.CLOSED: gettext_lazy("案件已办结。"),
    S.WITHDRAWN: gettext_lazy("案件已撤回。"),
}


def _remember(request, case_number: str) -> None:
    numbers = [n for n in request.session.get(SESSION_CASES, []) if n != case_number]
    request.session[SESSION_CASES] = [case_number, *numbers][:MAX_SESSION_CASES]


@csrf_exempt
def complaint(request):
    # The size guard must be in place before anything reads the body, and the CSRF
    # check reads it: so CSRF is checked inside, after the handler is installed.
    if request.method == "POST":
        guard = EvidenceSizeLimit(request)
        request.upload_handlers.insert(0, guard)
        request._evidence_guard = guard
    return _complaint(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
@rate_limited("complaints", methods=("POST",))
@rate_limited("lookup", methods=("GET",))
def _complaint(request):
    if request.method == "GET":
        return _form_page(request, ComplaintForm(request=request), [])
    form = ComplaintForm(request.POST, request=request)
    uploads = request.FILES.getlist("evidence")
    guard = getattr(request, "_evidence_guard", None)
    evidence_errors = [too_large_message(guard.too_large)] if guard and guard.too_large else []
    # Files kept from an earlier try of this form, minus those the worker removed.
    kept_uploads.kept_remove(request, request.POST.getlist("remove_evidence"))
    kept = kept_uploads.kept_list(request, request.POST.getlist("kept_evidence"))
    adding_rows = request.POST.get("add_row") or request.POST.get("add_rows")
    filing_error = ""
    if not adding_rows and form.is_valid() and not evidence_errors:
        files = kept_uploads.kept_open(kept)
        try:
            filed = intake.portal_complaint_file(data=form.validated, uploads=[*files, *uploads])
        except errors.DomainError as error:
            filing_error = error.message
        else:
            kept_uploads.kept_remove(request, [item.token for item in kept])
            if filed.created:  # never a case this browser has not proven its own
                _remember(request, filed.case_number)
            request.session[SESSION_FILED] = {
                "number": filed.case_number,
                "code": filed.query_code,
                "created": filed.created,
                "sms": filed.sms_sent_to,
            }
            return redirect("portal-filed")
        finally:
            for file in files:
                file.close()
    # The page comes back: keep what was chosen this time, so it need not be chosen again.
    added, refused = kept_uploads.kept_save(request, uploads)
    # A file the filing refused is named by kept_save; anything else, as the filing said.
    evidence_errors += refused or ([filing_error] if filing_error else [])
    status = 200 if adding_rows else 400
    return _form_page(request, form, evidence_errors, kept=[*kept, *added], status=status)


def guard_names(request) -> list[str]:
    guard = getattr(request, "_evidence_guard", None)
    return guard.too_large if guard else []


def _form_page(request, form, evidence_errors, *, kept=(), status=200):
    context = {
        "form": form,
        "evidence_errors": evidence_errors,
        "error_total": form.error_count + len(evidence_errors),
        "kept": kept,
        # Only a file too large to keep must be chosen again.
        "reselect": str(FILES_TO_RESELECT) if any(guard_names(request)) else "",
        "collective": form.collective_rules(),
        "max_bytes": settings.EVIDENCE_MAX_BYTES,
        "max_mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "portal/complaint.html", context, status=status)


@rate_limited("lookup")
def filed(request):
    info = request.session.get(SESSION_FILED)
    if not info:
        return redirect("portal-complaint")
    return render(request, "portal/filed.html", {"filed": info})


@require_http_methods(["GET", "POST"])
@rate_limited("lookup")
def lookup(request):
    number = request.POST.get("case_number", request.GET.get("case_number", "")).strip().upper()
    if request.method == "GET":
        return render(request, "portal/lookup.html", {"case_number": number})
    try:
        case = selectors.worker_case(number, request.POST.get("query_code", ""))
    except errors.NotFound:
        context = {"case_number": number, "not_found": True}
        return render(request, "portal/lookup.html", context, status=404)
    _remember(request, case.number)
    return redirect("portal-status", case_number=case.number)


CODE_RESEND_NUMBER_REQUIRED = gettext_lazy("请填写案件编号。")
CODE_RESEND_CONTACT_REQUIRED = gettext_lazy("请填写投诉时登记的手机号或身份证号。")


@require_http_methods(["GET", "POST"])
@rate_limited("code_resend", methods=("POST",))
@rate_limited("lookup", methods=("GET",))
def code_resend(request):
    """A worker who lost the query code gets a new one texted to the phone on the case.

    The page answers the same whether or not the number and the phone or ID number
    match a case: it must not tell a stranger which cases or workers exist.
    """
    number = request.POST.get("case_number", request.GET.get("case_number", "")).strip().upper()
    context = {"case_number": number, "errors": {}}
    if request.method == "GET":
        return render(request, "portal/code_resend.html", context)
    contact = request.POST.get("contact", "").strip()
    if not number:
        context["errors"]["case_number"] = CODE_RESEND_NUMBER_REQUIRED
    if not contact:
        context["errors"]["contact"] = CODE_RESEND_CONTACT_REQUIRED
    if context["errors"]:
        return render(request, "portal/code_resend.html", context, status=400)
    services.query_code_resend(case_number=number[:40], contact=contact[:40])
    return render(request, "portal/code_resend.html", {**context, "asked": True})


@rate_limited("lookup")
def status(request, case_number):
    # Only a case proven with its code in this session; anything else looks unknown.
    if case_number not in request.session.get(SESSION_CASES, []):
        return redirect(reverse("portal-lookup") + f"?case_number={case_number}")
    case = _worker_case_from_session(case_number)
    if case is None:
        return redirect("portal-lookup")
    view = WorkerCaseView(case).data
    timeline = [
        {**item, "time": parse_datetime(t) if isinstance(t := item["time"], str) else t}
        for item in view["timeline"]
    ]
    days_left = view["days_left"]
    context = {
        "case": view,
        "explained": STATE_EXPLAINED.get(case.state, ""),
        "is_open": case.is_open,
        "overdue_days": -days_left if days_left is not None and days_left < 0 else 0,
        "timeline": list(reversed(timeline)),
        "dates": view["dates"],
        "amounts": view["amounts"],
        "claims": view["claims"],
    }
    return render(request, "portal/status.html", context)


def _worker_case_from_session(case_number):
    from cases.models import Case

    return (
        Case.objects.filter(number=case_number)
        .select_related("township", "employer")
        .prefetch_related("claims__person", "events")
        .first()
    )
