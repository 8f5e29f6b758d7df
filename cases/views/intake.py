"""Workbench intake: a complaint received by any channel, and an inspection opened on
the inspector's own initiative. The forms are cases.intake_forms; the services are the
ones every other path files through (cases.filing)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import filing, lifecycle
from cases.intake_forms import InspectionForm, StaffComplaintForm, now_local_input
from cases.models import CaseKind
from cases.views.workbench import staff_required
from core import roles
from rules import parameters as rules

# Who may open an inspection: whoever may accept a wage-arrears case.
INSPECTION_ROLES = lifecycle.SPECS["accept"].roles[CaseKind.WAGE_ARREARS]


def may_open_inspection(user) -> bool:
    return roles.has_any_role(user, INSPECTION_ROLES)


def _tolerance() -> int:
    return rules.int_parameter("backdate_tolerance_days")


@staff_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    if request.method == "GET":
        return _complaint_page(request, StaffComplaintForm(request=request))
    form = StaffComplaintForm(request.POST, request=request)
    if request.POST.get("add_row") or request.POST.get("add_rows"):
        return _complaint_page(request, form)
    if form.is_valid():
        result = filing.complaint_file_validated(data=form.validated, actor=request.user)
        if result.created:
            messages.success(
                request,
                _("已登记投诉 %(number)s，查询码已通过短信发给劳动者。")
                % {"number": result.case.number},
            )
        else:
            messages.warning(
                request,
                _("该劳动者对同一单位已有在办案件 %(number)s，本次投诉已并入该案。")
                % {"number": result.case.number},
            )
        return redirect("workbench-case", case_number=result.case.number)
    return _complaint_page(request, form, status=400)


def _complaint_page(request, form, status=200):
    context = {
        "form": form,
        "collective": form.collective_rules(),
        "tolerance": _tolerance(),
        "now": now_local_input(),
    }
    return render(request, "workbench/complaint_new.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    if not may_open_inspection(request.user):
        return render(request, "workbench/forbidden.html", status=403)
    if request.method == "GET":
        return _inspection_page(request, InspectionForm(request=request))
    form = InspectionForm(request.POST, request=request)
    if form.save():
        messages.success(
            request, _("已主动立案 %(number)s，调查期限已开始计算。") % {"number": form.case.number}
        )
        return redirect("workbench-case", case_number=form.case.number)
    return _inspection_page(request, form, status=400)


def _inspection_page(request, form, status=200):
    context = {"form": form, "tolerance": _tolerance(), "now": now_local_input()}
    return render(request, "workbench/inspection_new.html", context, status=status)
