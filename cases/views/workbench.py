"""The staff workbench: the queue, one case, its transitions and its evidence."""

import functools
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import documents, errors, forms, lifecycle, selectors, services, submissions
from cases.labels import STAGE_LABELS, WORKER_TIMELINE_TEXT
from cases.models import CaseKind, CaseState, Channel, Origin
from config.client_address import client_address
from core import roles
from core.models import Township

PAGE_SIZE = 25


def staff_required(view):
    """Signed in, and in a role that handles cases."""

    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not roles.may_use_workbench(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


# --- badges -------------------------------------------------------------------------------


def deadline_badge(case, today) -> dict | None:
    if not case.is_open or not case.deadline:
        return None
    days = (case.deadline - today).days
    if days < 0:
        return {"css": "overdue", "label": _("已超期%(n)s天") % {"n": -days}, "days": days}
    if days == 0:
        return {"css": "due-1", "label": _("今天到期"), "days": days}
    if days <= 1:
        return {"css": "due-1", "label": _("剩1天"), "days": days}
    if days <= 3:
        return {"css": "due-3", "label": _("剩%(n)s天") % {"n": days}, "days": days}
    return {"css": "on-time", "label": _("按期·剩%(n)s天") % {"n": days}, "days": days}


RISK_LABELS = dict(selectors.RISK_LEVELS)


def risk_badge(case) -> dict:
    level = case.risk_level or "green"
    return {"css": level, "label": f"{_(RISK_LABELS.get(level, level))} {case.risk_score}"}


# --- the queue ------------------------------------------------------------------------------


def _visible_townships(user):
    if roles.is_county_level(user):
        return list(Township.objects.all())
    return list(Township.objects.filter(id__in=roles.township_ids(user)))


@staff_required
def queue(request):
    user, today = request.user, timezone.localdate()
    filters = selectors.QueueFilters.from_query(request.GET)
    page = Paginator(selectors.case_queue(user, filters, today), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [
        {"case": case, "deadline": deadline_badge(case, today), "risk": risk_badge(case)}
        for case in page
    ]
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "rows": rows,
        "page": page,
        "filters": filters,
        "querystring": params.urlencode(),
        "states": CaseState.choices,
        "channels": Channel.choices,
        "kinds": CaseKind.choices,
        "townships": _visible_townships(user),
        "risk_levels": selectors.RISK_LEVELS,
        "sorts": [(key, label) for key, (label, _order) in selectors.SORTS.items()],
        "extensions": selectors.extensions_to_approve(user, today),
        # The intake forms (cases.views.intake): complaints for every case role,
        # inspections for those who may accept one.
        "may_open_inspection": roles.has_any_role(
            user, lifecycle.SPECS["accept"].roles[CaseKind.WAGE_ARREARS]
        ),
        "today": today,
    }
    return render(request, "workbench/queue.html", context)


# --- one case ---------------------------------------------------------------------------------

EVENT_TEXT = {
    "file": "登记投诉",
    "duplicate_linked": "重复投诉并入本案",
    "evidence_added": "上传证据材料",
    "duplicate_submitted": "收到并案投诉（待审核）",
    "submission_evidence_added": "并案投诉附带证据（待审核）",
    "submission_accepted": "采纳并案投诉",
    "submission_declined": "不予采纳并案投诉",
    "phone_change_applied": "核实后更新劳动者手机号",
    "phone_change_declined": "不予采纳手机号变更",
    "open_inspection": "主动立案检查",
    "admin_edit": "后台修改案件",
}
_DATA_LABELS = {
    "channel": "渠道",
    "claimants": "请求人数",
    "claimants_added": "新增请求人",
    "submission_id": "并案投诉编号",
    "evidence_added": "新增证据",
    "phone_changes_pending": "待核实手机号变更",
    "claim_id": "请求人记录",
    "origin": "案件来源",
    "backdated_days": "补录（收到时间早于登记）天数",
    "backdate_reason": "补录原因",
    "township": "移交至乡镇",
    "from_township": "原乡镇",
    "fields": "修改内容",
    "inspectors": "承办监察员",
    "arbitrators": "仲裁员",
    "mediator": "调解员",
    "pay_by": "限期支付日",
    "amount": "金额",
    "hearing_date": "开庭日期",
    "heard_on": "陈述申辩日期",
    "received_on": "收到日期",
    "reason_code": "事由",
    "compensation_percent": "加付赔偿金比例(%)",
    "penalty_amount": "罚款",
    "decision_number": "决定书文号",
    "override_reason": "移送理由",
    "default_award": "缺席裁决",
    "deadline": "新的法定期限",
}
_REASONS = dict(lifecycle.RejectionReason.CHOICES) | dict(lifecycle.RESTART_REASONS)
_ITEMS = dict(lifecycle.AWARD_ITEMS)


def _event_details(event, claim_names) -> list[str]:
    data = event.data or {}
    details = []
    for key, value in data.items():
        if value in (None, "", [], False) or key in ("clock_stage", "evidence_id"):
            continue
        if key == "payments":
            details += [f"{claim_names.get(p['claim'], p['claim'])} {p['amount']}元" for p in value]
        elif key == "instalments":
            details += [f"{i['due_date']} 前付 {i['amount']}元" for i in value]
        elif key == "items":
            details += [
                f"{claim_names.get(i['claim'], i['claim'])} {_ITEMS.get(i['item'], i['item'])} "
                f"{i['amount']}元"
                for i in value
            ]
        elif key == "reason_code":
            details.append(f"{_DATA_LABELS[key]}：{_REASONS.get(value, value)}")
        elif key == "channel":
            details.append(f"{_DATA_LABELS[key]}：{Channel(value).label}")
        elif key in ("township", "from_township"):
            names = dict(Township.objects.values_list("code", "name"))
            details.append(f"{_DATA_LABELS[key]}：{names.get(value, value)}")
        elif key == "origin":
            details.append(f"{_DATA_LABELS[key]}：{Origin(value).label}")
        elif key in ("type", "size"):
            continue
        elif isinstance(value, list):
            details.append(f"{_DATA_LABELS.get(key, key)}：{'、'.join(map(str, value))}")
        else:
            details.append(f"{_DATA_LABELS.get(key, key)}：{value}")
    return details


def _timeline(case) -> list[dict]:
    claim_names = {c.id: c.person.name for c in case.claims.all()}
    states = dict(CaseState.choices)
    rows = []
    for event in case.events.all():
        spec = lifecycle.SPECS.get(event.transition)
        rows.append(
            {
                "event": event,
                "label": spec.label if spec else EVENT_TEXT.get(event.transition, event.transition),
                "worker_text": WORKER_TIMELINE_TEXT.get(event.transition, ""),
                "from": states.get(event.from_state, ""),
                "to": states.get(event.to_state, event.to_state),
                "moved": event.from_state != event.to_state,
                "details": _event_details(event, claim_names),
            }
        )
    return rows


def _case_page(request, case, *, open_form=None, revealed=None, status=200):
    user, today = request.user, timezone.localdate()
    names = selectors.transitions_available(case=case, user=user)
    staff = selectors.staff_choices(case, forms.needed_staff_roles(case, names))
    transition_forms = []
    for name in names:
        if open_form and open_form["name"] == name:
            transition_forms.append(
                forms.transition_form(
                    case,
                    name,
                    staff=staff,
                    data=open_form["data"],
                    errors=open_form["errors"],
                    message=open_form["message"],
                )
            )
        else:
            transition_forms.append(forms.transition_form(case, name, staff=staff))
    claims = list(case.claims.all())
    for claim in claims:  # full values only on the response that recorded their showing
        claim.revealed = {
            field: value
            for (claim_id, field), value in (revealed or {}).items()
            if claim_id == claim.pk
        }
    context = {
        "case": case,
        "claims": claims,
        "may_reveal": roles.has_any_role(user, services.REVEAL_ROLES),
        "may_review": roles.has_any_role(user, submissions.REVIEW_ROLES),
        "pending_submissions": submissions.pending_review(case, claims),
        "phone_changes": [c for c in claims if c.pending_phone],
        "outstanding": sum((c.outstanding for c in claims), Decimal("0")),
        "deadline": deadline_badge(case, today),
        "risk": risk_badge(case),
        "timeline": _timeline(case),
        "transition_forms": transition_forms,
        "documents": documents.available(case),
        "rejection_reason": _REASONS.get(case.rejection_reason, case.rejection_reason),
        "award_items": [
            {**item, "item_label": _ITEMS.get(item["item"], item["item"])}
            for item in case.outcome.get("award_items", [])
        ],
        "instalments": case.outcome.get("instalments", []),
        "clock_stage": STAGE_LABELS.get(case.clock_stage, case.clock_stage),
    }
    return render(request, "workbench/case.html", context, status=status)


def _case_or_404(request, case_number):
    case = selectors.case_for_staff(request.user, case_number)
    if case is None:
        raise Http404(errors.CASE_NOT_FOUND)
    return case


@staff_required
def case_page(request, case_number):
    return _case_page(request, _case_or_404(request, case_number))


@staff_required
@require_POST
def transition_run(request, case_number, name):
    spec = lifecycle.SPECS.get(name)
    try:
        case = selectors.visible_case(user=request.user, case_number=case_number)
    except errors.NotFound as error:
        raise Http404(error.message) from error
    if spec is None or case.kind not in spec.inputs:
        messages.error(request, errors.UNKNOWN_TRANSITION)
        return redirect("workbench-case", case_number=case_number)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.case_transition(
            case_number=case_number,
            name=name,
            actor=request.user,
            data=forms.transition_data(case, name, request.POST),
            expected_version=version,
        )
    except errors.InvalidInput as error:
        open_form = {
            "name": name,
            "data": request.POST,
            "errors": error.errors,
            "message": error.message,
        }
        return _case_page(
            request, _case_or_404(request, case_number), open_form=open_form, status=400
        )
    except errors.DomainError as error:
        # 409 (wrong state, changed meanwhile) and 403: said plainly on the case page.
        messages.error(request, error.message)
        return redirect("workbench-case", case_number=case_number)
    messages.success(request, _("已完成：%(label)s") % {"label": spec.label})
    return redirect("workbench-case", case_number=case_number)


@staff_required
@require_POST
def submission_decide(request, case_number, submission_id):
    """Accept an anonymous duplicate's additions into the case, or decline them."""
    try:
        if request.POST.get("decision") == "accept":
            submissions.submission_accept(
                user=request.user, case_number=case_number, submission_id=submission_id
            )
            messages.success(request, _("已采纳并案投诉。"))
        else:
            submissions.submission_decline(
                user=request.user,
                case_number=case_number,
                submission_id=submission_id,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("已不予采纳并案投诉。"))
    except errors.NotFound as error:
        raise Http404(error.message) from error
    except errors.DomainError as error:
        messages.error(request, error.message)
    return redirect("workbench-case", case_number=case_number)


@staff_required
@require_POST
def phone_change_decide(request, case_number, claim_id):
    """Apply a worker's new phone from an anonymous filing after checking it, or drop it."""
    accept = request.POST.get("decision") == "accept"
    try:
        submissions.phone_change_decide(
            user=request.user, case_number=case_number, claim_id=claim_id, accept=accept
        )
    except errors.NotFound as error:
        raise Http404(error.message) from error
    except errors.DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已更新劳动者手机号。") if accept else _("已不予采纳手机号变更。")
        )
    return redirect("workbench-case", case_number=case_number)


@staff_required
@require_POST
def claimant_reveal(request, case_number, claim_id):
    """Show one claimant's full ID number or phone on this response only (recorded)."""
    field = request.POST.get("field", "")
    try:
        value = services.person_reveal(
            user=request.user,
            case_number=case_number,
            claim_id=claim_id,
            field=field,
            purpose=request.POST.get("purpose", ""),
            ip_address=client_address(request),
        )
    except errors.NotFound as error:
        raise Http404(error.message) from error
    except errors.DomainError as error:
        messages.error(request, error.message)
        return redirect("workbench-case", case_number=case_number)
    messages.info(request, _("本次查看完整个人信息已记录（查看人、时间、案件）。"))
    revealed = {(claim_id, field): value}
    response = _case_page(request, _case_or_404(request, case_number), revealed=revealed)
    add_never_cache_headers(response)  # the full number stays out of every cache
    return response


@staff_required
def evidence_download(request, evidence_id):
    evidence = selectors.evidence_for_staff(request.user, evidence_id)
    if evidence is None:
        raise Http404(errors.CASE_NOT_FOUND)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("文件不存在。") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
