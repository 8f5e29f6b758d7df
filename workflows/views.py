"""Subsidy pages in the staff shell: inbox, entry form, task page, detail, policy table.

Views only collect input, call a service (which calls activation.execute()) and
redirect; every rule lives in workflows/services.py and workflows/eligibility/.
Viewflow's own views are not used: they bring their own Material layout, and these
pages must look like the rest of the staff shell.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from viewflow.workflow.models import Task

from config import form_errors
from core import roles
from core.downloads import XLSX
from workflows import errors, exports, forms, selectors, services
from workflows import serializers as io
from workflows.steps import CORRECTION, PAYMENT, STEP, STEP_LABELS, SubsidyState

LIST_ROWS = 200  # shown on the page; the totals and the export cover every match


def _render(request, template, context=None, status=200):
    """Every subsidy page gets what the shared sub-navigation needs."""
    context = {
        "may_submit": roles.has_any_role(request.user, selectors.SUBMIT_ROLES),
        **(context or {}),
    }
    return render(request, template, context, status=status)


def subsidy_staff(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.may_work_on_subsidies(request.user):
            return _render(request, "workflows/forbidden.html", status=403)
        try:
            return view(request, *args, **kwargs)
        except errors.NotFound as error:
            return _render(
                request, "workflows/forbidden.html", {"message": error.message}, status=404
            )

    return wrapper


@subsidy_staff
def inbox(request):
    services.notices_close_due()
    tasks = io.tasks_output(selectors.tasks_for(request.user), request.user)
    waiting = (
        selectors.applications_visible_to(request.user)
        .filter(state=SubsidyState.PUBLIC_NOTICE)
        .order_by("notice_ends_on")[:20]
    )
    return _render(
        request,
        "workflows/inbox.html",
        {
            "tasks": tasks,
            "in_notice": waiting,
        },
    )


@subsidy_staff
def application_list(request):
    form = forms.ApplicationFilterForm(request.GET, user=request.user)
    queryset = selectors.applications_filtered(request.user, form.filters())
    return _render(
        request,
        "workflows/application_list.html",
        {
            "form": form,
            "applications": queryset[:LIST_ROWS],
            "totals": selectors.application_totals(queryset),
            "shown": LIST_ROWS,
            "query": request.GET.urlencode(),
        },
    )


@subsidy_staff
def application_export(request):
    form = forms.ApplicationFilterForm(request.GET, user=request.user)
    queryset = selectors.applications_filtered(request.user, form.filters())
    content = exports.application_list_workbook(
        queryset[: exports.MAX_ROWS], selectors.application_totals(queryset)
    )
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="subsidies-{stamp}.xlsx"'
    return response


@subsidy_staff
def application_new(request):
    if not roles.has_any_role(request.user, selectors.SUBMIT_ROLES):
        return _render(
            request, "workflows/forbidden.html", {"message": errors.SUBMIT_FORBIDDEN}, status=403
        )
    form = forms.ApplicationForm(request.POST or None, user=request.user)
    rows = forms.BeneficiaryFormSet(request.POST or None, prefix="b")
    problems = []
    if request.method == "POST":
        payload = _payload(form, rows, problems)
        if payload is not None:
            try:
                application = services.application_submit(data=payload, actor=request.user)
            except errors.DomainError as error:
                problems.append(error.message)
            else:
                _announce(request, application)
                return redirect("subsidies:detail", application.pk)
    return _render(
        request,
        "workflows/application_form.html",
        {"form": form, "rows": rows, "problems": problems, "title": "录入补贴申请"},
    )


def _payload(form, rows, problems):
    """Both forms valid and the API's rules satisfied -> ApplicationData; else None."""
    if not (form.is_valid() and rows.is_valid()):
        problems.append("请按提示修改标红的项目。")
        return None
    people = [row.payload() for row in rows if row.has_changed() and row.cleaned_data]
    check = io.CorrectionInput(data=form.payload(people))
    if not check.is_valid():
        problems.extend(form_errors.sentences(check.errors, FIELD_LABELS))
        return None
    return check.to_data()


FIELD_LABELS = {
    **{name: str(field.label) for name, field in forms.ApplicationForm.base_fields.items()},
    **{name: str(field.label) for name, field in forms.BeneficiaryForm.base_fields.items()},
    "applicant": "申请人",
    "kind": "申请主体类型",
    "name": "名称/姓名",
    "beneficiaries": "补贴对象",
    "non_field_errors": "",
}


def _announce(request, application):
    # The query code is the applicant's only way to follow the application: say it here,
    # where the township staff who entered it can hand it over.
    follow = (
        f"请把申请编号{application.number}和查询码{application.query_code}交给申请人，"
        "凭此在“补贴申请进度查询”页面查看每一步的办理情况。"
    )
    if application.state == SubsidyState.REJECTED:
        messages.error(
            request,
            f"申请{application.number}已登记，但不符合补贴条件，状态为“不予补贴”。理由见下方逐条审查。"
            + follow,
        )
    else:
        messages.success(
            request,
            f"申请{application.number}已提交，核定金额{application.computed_amount}元，"
            f"当前：{application.get_state_display()}。" + follow,
        )


@subsidy_staff
def application_detail(request, application_id):
    application = selectors.application_detail(request.user, application_id)
    task = selectors.open_task_of(application)
    return _render(
        request,
        "workflows/application_detail.html",
        {
            "application": application,
            "task": task,
            "task_label": STEP_LABELS.get(task.flow_task.name) if task else "",
            "may_act": bool(task and services.may_act(task, request.user)),
        },
    )


@subsidy_staff
def task_page(request, task_id):
    task = Task.objects.filter(pk=task_id).select_related("process").first()
    application = None
    if task is not None and hasattr(task.process, "subsidyprocess"):
        application = (
            selectors.applications_visible_to(request.user)
            .filter(pk=task.process.subsidyprocess.application_id)
            .first()
        )
    if application is None:
        raise errors.NotFound(errors.TASK_NOT_FOUND)
    application = selectors.application_detail(request.user, application.pk)
    step = task.flow_task.name
    if STEP[step].kind == CORRECTION:
        return _correction(request, task, application)
    if request.method == "POST":
        return _decide(request, task, step)
    summary = io.task_output(task, request.user)
    return _render(
        request,
        "workflows/task.html",
        {
            "task": task,
            "step": step,
            "step_kind": STEP[step].kind,
            "step_label": STEP_LABELS.get(step, step),
            "application": application,
            "summary": summary,
            "open": task.status in selectors.OPEN_TASK,
            "may_act": services.may_act(task, request.user),
            "decision_form": forms.DecisionForm(),
            "payment_form": forms.PaymentForm(
                initial={
                    "paid_amount": application.computed_amount,
                    "paid_on": timezone.localdate(),
                }
            ),
        },
    )


def _decide(request, task, step):
    form = (
        forms.PaymentForm(request.POST)
        if STEP[step].kind == PAYMENT
        else forms.DecisionForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, "；".join(form_errors.sentences(form.errors, FIELD_LABELS)))
        return redirect("subsidies:task", task.pk)
    data = form.cleaned_data
    try:
        application = services.task_decide(
            task_id=task.pk,
            actor=request.user,
            decision=data.get("decision", "approve"),
            note=data.get("note", ""),
            paid_amount=data.get("paid_amount"),
            paid_on=data.get("paid_on"),
            payment_reference=data.get("payment_reference", ""),
        )
    except errors.DomainError as error:
        messages.error(request, error.message)
        return redirect("subsidies:task", task.pk)
    messages.success(
        request,
        f"已办理“{STEP_LABELS[step]}”。申请{application.number}：{application.get_state_display()}。",
    )
    return redirect("subsidies:inbox")


def _correction(request, task, application):
    may_act = services.may_act(task, request.user) and task.status in selectors.OPEN_TASK
    if not may_act:
        # The correction form is prefilled with full ID numbers (the township needs them
        # to edit the rows); everyone else reads the application with them masked.
        messages.info(request, "该补正任务由申请所在乡镇的审核人员办理，您只能查看申请。")
        return redirect("subsidies:detail", application.pk)
    if request.method == "POST":
        form = forms.ApplicationForm(request.POST, user=request.user, correcting=True)
        rows = forms.BeneficiaryFormSet(request.POST, prefix="b")
        problems = []
        payload = _payload(form, rows, problems)
        if payload is not None:
            try:
                services.application_correct(
                    application_id=application.pk,
                    data=payload,
                    actor=request.user,
                    note=form.cleaned_data.get("note", ""),
                )
            except errors.DomainError as error:
                problems.append(error.message)
            else:
                application.refresh_from_db()
                messages.success(
                    request,
                    f"申请{application.number}已补正并重新提交，当前：{application.get_state_display()}。",
                )
                return redirect("subsidies:detail", application.pk)
    else:
        head, people = forms.initial_from(application)
        form = forms.ApplicationForm(initial=head, user=request.user, correcting=True)
        rows = forms.BeneficiaryFormSet(initial=people, prefix="b")
        problems = []
    return _render(
        request,
        "workflows/application_form.html",
        {
            "form": form,
            "rows": rows,
            "problems": problems,
            "title": f"补正申请 {application.number}",
            "application": application,
        },
    )


@login_required
def policy_table(request):
    policies = selectors.policies_in_force(timezone.localdate())
    return _render(request, "workflows/policies.html", {"policies": policies})
