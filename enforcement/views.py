"""The blacklist and publication pages (staff, Chinese): lists, detail with history and
actions, the proposal from a case, the quarterly publication and its exports."""

import functools
from urllib.parse import quote

from csp.decorators import csp_update
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from cases import selectors as case_selectors
from core.errors import DomainError
from core.models import Township
from enforcement import errors, exports, publications, selectors, services
from enforcement.models import EntryState, NoticeHow, Publication, ResponsiblePerson

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERSON_ROWS = 3  # rows of the responsible-person form (blank rows are left out)


def reader_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.may_read(request.user):
            return render(request, "workbench/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _acted(request, act, success: str, back: str):
    """Run one service; its refusal becomes a message on the page it came from."""
    try:
        act()
    except DomainError as error:
        details = [m for ms in error.errors.values() for m in _flat(ms)]
        messages.error(request, "；".join([error.message, *details[:5]]))
    else:
        messages.success(request, success)
    return redirect(back)


def _flat(value):
    if isinstance(value, dict):
        return [m for v in value.values() for m in _flat(v)]
    if isinstance(value, list | tuple):
        return [m for v in value for m in _flat(v)]
    return [str(value)]


# --- the blacklist -----------------------------------------------------------------------


@reader_required
def blacklist_list(request):
    filters = selectors.EntryFilters.from_query(request.GET)
    page = Paginator(selectors.entries(filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enforcement/blacklist_list.html",
        {
            "filters": filters,
            "page": page,
            "states": EntryState.choices,
            "townships": Township.objects.all(),
        },
    )


@reader_required
def blacklist_detail(request, entry_id):
    try:
        entry = selectors.entry_detail(entry_id)
    except errors.NotFound:
        return render(request, "enforcement/not_found.html", status=404)
    context = {
        "entry": entry,
        "events": entry.events.all(),
        "may_decide": selectors.may_decide(request.user),
        "person_roles": ResponsiblePerson.Role.choices,
        "person_rows": range(PERSON_ROWS),
        "notice_ways": NoticeHow.choices,
        "owed": services.case_owed(entry.case),
        "today": timezone.localdate(),
    }
    return render(request, "enforcement/blacklist_detail.html", context)


@reader_required
@require_http_methods(["GET", "POST"])
def blacklist_propose(request, case_number):
    try:
        case = case_selectors.visible_case(user=request.user, case_number=case_number)
    except DomainError:
        return render(request, "enforcement/not_found.html", status=404)
    if request.method == "POST":
        try:
            entry = services.blacklist_propose(
                case_number=case.number, actor=request.user, reasons=request.POST.get("reasons", "")
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "已提请列入失信联合惩戒名单，待主管领导审批。")
            return redirect("enforcement:blacklist-detail", entry.pk)
    standing = selectors.case_standing(case, request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "enforcement/blacklist_propose.html",
        {"case": case, "standing": standing, "reasons": request.POST.get("reasons", "")},
        status=status,
    )


def _persons(post) -> list[dict]:
    rows = zip(
        post.getlist("person_name"),
        post.getlist("person_role"),
        post.getlist("person_id_number"),
        strict=False,
    )
    return [
        {"name": name, "role": role, "id_number": number}
        for name, role, number in rows
        if name.strip() or number.strip()
    ]


@reader_required
@require_POST
def blacklist_decide(request, entry_id):
    approve = request.POST.get("decision") == "approve"
    return _acted(
        request,
        lambda: services.blacklist_decide(
            entry_id=entry_id,
            actor=request.user,
            approve=approve,
            note=request.POST.get("note", ""),
            responsible_persons=_persons(request.POST),
        ),
        "已批准列入名单。" if approve else "已决定不予列入。",
        f"/enforcement/blacklist/{entry_id}/",
    )


@reader_required
@require_POST
def blacklist_notify(request, entry_id):
    return _acted(
        request,
        lambda: services.blacklist_employer_notify(
            entry_id=entry_id,
            actor=request.user,
            how=request.POST.get("how", ""),
            note=request.POST.get("note", ""),
        ),
        "已登记告知用人单位。",
        f"/enforcement/blacklist/{entry_id}/",
    )


@reader_required
@require_POST
def blacklist_removal_apply(request, entry_id):
    import datetime as dt

    applied_on = None
    if request.POST.get("applied_on"):
        try:
            applied_on = dt.date.fromisoformat(request.POST["applied_on"])
        except ValueError:
            messages.error(request, errors.REMOVAL_DATE_INVALID)
            return redirect("enforcement:blacklist-detail", entry_id)
    return _acted(
        request,
        lambda: services.blacklist_removal_apply(
            entry_id=entry_id,
            actor=request.user,
            application=request.POST.get("application", ""),
            applied_on=applied_on,
        ),
        "已登记提前移出申请，待主管领导审批。",
        f"/enforcement/blacklist/{entry_id}/",
    )


@reader_required
@require_POST
def blacklist_removal_decide(request, entry_id):
    approve = request.POST.get("decision") == "approve"
    return _acted(
        request,
        lambda: services.blacklist_removal_decide(
            entry_id=entry_id,
            actor=request.user,
            approve=approve,
            note=request.POST.get("note", ""),
        ),
        "已批准提前移出。" if approve else "已决定不同意提前移出。",
        f"/enforcement/blacklist/{entry_id}/",
    )


# --- the publication ---------------------------------------------------------------------


@reader_required
@require_http_methods(["GET", "POST"])
def publication_list(request):
    if request.method == "POST":
        try:
            publication = publications.publication_draft(
                year=request.POST.get("year"),
                quarter=request.POST.get("quarter"),
                actor=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"已生成{publication}公布名单草稿，待主管领导审批。")
            return redirect("enforcement:publication-detail", publication.pk)
    today = timezone.localdate()
    context = {
        "publications": selectors.publications(),
        "may_draft": selectors.may_draft(request.user),
        "year": today.year,
        "quarter": (today.month - 1) // 3 + 1,
    }
    return render(request, "enforcement/publication_list.html", context)


def _publication(publication_id) -> Publication | None:
    try:
        return selectors.publication_detail(publication_id)
    except errors.NotFound:
        return None


@reader_required
def publication_detail(request, publication_id):
    publication = _publication(publication_id)
    if publication is None:
        return render(request, "enforcement/not_found.html", status=404)
    context = {
        "publication": publication,
        "may_decide": selectors.may_decide(request.user),
        "may_draft": selectors.may_draft(request.user),
    }
    return render(request, "enforcement/publication_detail.html", context)


@reader_required
@require_POST
def publication_approve(request, publication_id):
    return _acted(
        request,
        lambda: publications.publication_approve(publication_id=publication_id, actor=request.user),
        "公布名单已批准，可导出发布。",
        f"/enforcement/publications/{publication_id}/",
    )


def _approved(publication: Publication) -> Publication:
    if publication.state != Publication.State.APPROVED:
        raise errors.Conflict(errors.PUBLICATION_NOT_APPROVED)
    return publication


# A page of its own for printing: its inline <style> is allowed here only.
@csp_update({"style-src": ["'unsafe-inline'"]})
@reader_required
def publication_print(request, publication_id):
    publication = _publication(publication_id)
    if publication is None:
        return render(request, "enforcement/not_found.html", status=404)
    return render(request, "enforcement/publication_print.html", {"publication": publication})


@reader_required
def publication_export(request, publication_id):
    publication = _publication(publication_id)
    if publication is None:
        return render(request, "enforcement/not_found.html", status=404)
    try:
        _approved(publication)
    except errors.Conflict as error:
        messages.error(request, error.message)
        return redirect("enforcement:publication-detail", publication_id)
    name = f"重大劳动保障违法行为社会公布-{publication.year}Q{publication.quarter}.xlsx"
    response = HttpResponse(exports.publication_workbook(publication), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
