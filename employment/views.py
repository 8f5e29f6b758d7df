"""The ledger's pages: the steward's phone page, the township and county lists, the plant
register with its roster import, postings, targets and the monthly dispatch."""

import datetime as dt
import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.downloads import XLSX
from core.errors import DomainError
from core.models import Township
from employment import access, forms, imports, referrals, reported, reports, selectors, services
from employment.models import Category, ClosedPlant, Mode, ServiceItem, Status, Target


def ledger_required(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.may_use_ledger(request.user):
            return render(request, "employment/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def registers_required(view):
    @ledger_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not access.may_keep_registers(request.user):
            return render(request, "employment/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _page(request, template, context, status=200):
    """A ledger page; the sub-navigation hides the county pages from stewards."""
    context["steward_only"] = access.is_steward_only(request.user)
    return render(request, template, context, status=status)


def _error(request, error: DomainError) -> None:
    messages.error(request, error.message)
    for field, problems in (error.errors or {}).items():
        for problem in problems:
            if problem != error.message:
                messages.error(request, f"{field}：{problem}")


@ledger_required
def home(request):
    """A steward's week, or the progress of a township or the county (shown here, not
    redirected, so the navigation's link answers 200 like every other section)."""
    if access.is_steward_only(request.user):
        return mine(request)
    return progress(request)


# --- the steward's phone page -------------------------------------------------------------


@ledger_required
def mine(request):
    today = timezone.localdate()
    filters = selectors.LedgerFilters.from_query(request.GET)
    people = selectors.ledger_list(request.user, filters, today=today)
    page = Paginator(people, 30).get_page(request.GET.get("page"))
    return _page(
        request,
        "employment/mine.html",
        {
            "today": today,
            "week_end": selectors.week_end(today),
            "due": selectors.due_this_week(request.user, today=today),
            "page": page,
            "filters": filters,
            "villages": selectors.villages_for(request.user),
        },
    )


# --- the ledger ---------------------------------------------------------------------------


@ledger_required
def ledger(request):
    today = timezone.localdate()
    filters = selectors.LedgerFilters.from_query(request.GET)
    people = selectors.ledger_list(request.user, filters, today=today)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "employment/ledger.html",
        {
            "today": today,
            "page": page,
            "filters": filters,
            "querystring": query.urlencode(),
            "townships": access.townships_kept_by(request.user, Township.objects.all()),
            "villages": selectors.villages_for(request.user),
            "categories": Category.choices,
            "statuses": Status.choices,
            "plants": ClosedPlant.objects.order_by("name"),
            "services": selectors.services_summary(
                selectors.entries_for(request.user), today=today
            ),
        },
    )


@ledger_required
def entry_new(request):
    villages = selectors.villages_for(request.user)
    form = forms.EntryForm(request.POST or None, villages=villages)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.ledger_entry_create(actor=request.user, **data)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, f"已登记：{entry.person.name}")
            return redirect("employment:entry", entry_id=entry.pk)
    return _page(request, "employment/entry_new.html", {"form": form})


@ledger_required
def entry(request, entry_id):
    found = selectors.entry_detail(request.user, entry_id)
    if found is None:
        raise Http404
    if request.method == "POST":
        _entry_post(request, found)
        return redirect("employment:entry", entry_id=found.pk)
    today = timezone.localdate()
    return _page(
        request,
        "employment/entry.html",
        {
            "entry": found,
            "today": today,
            "history": selectors.entry_history(found),
            "services": selectors.entry_services(found),
            "referrals": selectors.entry_referrals(found),
            "status_form": forms.StatusForm(initial={"status": found.status}),
            "referral_form": forms.ReferralForm(postings=selectors.postings_open()),
            "outcome_choices": forms.OutcomeForm.base_fields["outcome"].choices,
            "modes": Mode.choices,
            "kinds": ServiceItem.Kind,
        },
    )


def _entry_post(request, found) -> None:
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "status":
            form = forms.StatusForm(request.POST)
            if not form.is_valid():
                for field, problems in form.errors.items():
                    messages.error(request, f"{field}：{'；'.join(problems)}")
                return
            data = form.cleaned_data
            services.ledger_status_change(actor=user, entry_id=found.pk, **data)
            messages.success(request, "就业状态已更新。")
        elif action == "service":
            form = forms.ServiceDoneForm(request.POST)
            if form.is_valid():
                services.service_item_complete(
                    actor=user,
                    item_id=form.cleaned_data["item"],
                    done_on=form.cleaned_data["done_on"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, "已记录完成。")
        elif action == "referral":
            form = forms.ReferralForm(request.POST, postings=selectors.postings_open())
            if not form.is_valid():
                messages.error(request, "请选择岗位。")
                return
            referral = referrals.referral_record(
                actor=user,
                entry_id=found.pk,
                posting_id=form.cleaned_data["posting"].pk,
                send_sms=form.cleaned_data["send_sms"],
                note=form.cleaned_data["note"],
            )
            sms = "，已发送短信" if form.cleaned_data["send_sms"] else ""
            messages.success(request, f"已推荐：{referral.posting}{sms}。")
        elif action == "outcome":
            form = forms.OutcomeForm(request.POST)
            if form.is_valid():
                referrals.referral_outcome_set(
                    actor=user,
                    referral_id=form.cleaned_data["referral"],
                    outcome=form.cleaned_data["outcome"],
                    on=form.cleaned_data["on"],
                )
                messages.success(request, "推荐结果已记录。")
        elif action == "edit":
            services.ledger_entry_edit(
                actor=user,
                entry_id=found.pk,
                wants_work=request.POST.get("wants_work") == "on",
                training_needs=request.POST.get("training_needs", "")[:200],
            )
            messages.success(request, "已保存。")
    except DomainError as error:
        _error(request, error)


# --- plants -------------------------------------------------------------------------------


@ledger_required
def plants(request):
    townships = access.townships_kept_by(request.user, Township.objects.all())
    if roles.is_county_level(request.user):
        townships = Township.objects.all()
    form = forms.PlantForm(request.POST or None, townships=townships)
    if request.method == "POST":
        if not access.may_keep_registers(request.user):
            return render(request, "employment/forbidden.html", status=403)
        if form.is_valid():
            try:
                plant = services.plant_register(actor=request.user, **form.cleaned_data)
            except DomainError as error:
                _error(request, error)
            else:
                messages.success(request, f"已登记关停企业：{plant.name}，其用人单位已标记为关停。")
                return redirect("employment:plant", plant_id=plant.pk)
    report = selectors.progress()
    listed = list(selectors.plants_for(request.user))
    for plant in listed:
        plant.rate = selectors.percent(plant.employed, plant.roster)
    return _page(
        request,
        "employment/plants.html",
        {
            "plants": listed,
            "form": form,
            "may_register": services.may_register_plants(request.user),
            "county": report.county,
        },
    )


@ledger_required
def plant(request, plant_id):
    found = selectors.plants_for(request.user).filter(pk=plant_id).first()
    if found is None:
        raise Http404
    report = None
    form = forms.RosterForm(request.POST or None, request.FILES or None)
    may_import = access.may_keep_township(request.user, found.township_id)
    if request.method == "POST":
        if not may_import:
            return render(request, "employment/forbidden.html", status=403)
        if form.is_valid():
            report = imports.plant_roster_import(
                actor=request.user, plant=found, upload=form.cleaned_data["file"]
            )
            if report.ok:
                messages.success(request, f"已导入{len(report.imported)}人。")
                return redirect("employment:plant", plant_id=found.pk)
    roster = selectors.ledger_list(
        request.user, selectors.LedgerFilters(plant=found.pk), today=timezone.localdate()
    )
    return _page(
        request,
        "employment/plant.html",
        {
            "plant": found,
            "rate": selectors.percent(found.employed, found.roster),
            "roster": roster[:500],
            "roster_count": roster.count(),
            "cases": selectors.plant_open_cases(found)[:100],
            "form": form,
            "report": report,
            "may_import": may_import,
            "may_see_cases": roles.may_use_workbench(request.user),
        },
    )


@registers_required
def roster_template(request):
    response = HttpResponse(
        imports.roster_template(),
        content_type=XLSX,
    )
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


# --- postings -----------------------------------------------------------------------------


@ledger_required
def postings(request):
    form = forms.PostingForm(request.POST or None)
    if request.method == "POST":
        if not access.may_keep_registers(request.user):
            return render(request, "employment/forbidden.html", status=403)
        if form.is_valid():
            posting = form.save()
            messages.success(request, f"已发布岗位：{posting}")
            return redirect("employment:postings")
    listed = selectors.postings_open()
    return _page(
        request,
        "employment/postings.html",
        {
            "postings": listed,
            "form": form,
            "may_post": access.may_keep_registers(request.user),
        },
    )


# --- progress, targets and the dispatch ---------------------------------------------------


@registers_required
def progress(request):
    today = timezone.localdate()
    report = selectors.progress(end=today)
    townships = {t.pk: t for t in Township.objects.all()}
    plants = {p.pk: p for p in ClosedPlant.objects.all()}
    return _page(
        request,
        "employment/progress.html",
        {
            "report": report,
            "target": report.target,
            "by_township": [
                (townships[pk], figures)
                for pk, figures in sorted(
                    report.townships.items(), key=lambda item: townships[item[0]].sort_order
                )
                if pk in townships
            ],
            "by_plant": [(plants[pk], f) for pk, f in report.plants.items() if pk in plants],
            "services": selectors.services_summary(
                selectors.entries_for(request.user), today=today
            ),
            "may_set_targets": services.may_set_targets(request.user),
        },
    )


@registers_required
def targets(request):
    if not services.may_set_targets(request.user):
        return render(request, "employment/forbidden.html", status=403)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
    except ValueError:
        year = today.year
    existing = Target.objects.filter(year=year).first()
    form = forms.TargetForm(request.POST or None, instance=existing, initial={"year": year})
    townships = list(Township.objects.order_by("sort_order"))
    shares = {}
    if existing:
        shares = {s.township_id: s for s in existing.shares.all()}
    rows = []
    problems = []
    for township in townships:
        share = shares.get(township.pk)
        urban = request.POST.get(f"urban-{township.code}", share.urban_new if share else 0)
        rural = request.POST.get(f"rural-{township.code}", share.rural_transfer if share else 0)
        rows.append({"township": township, "urban": urban, "rural": rural})
    if request.method == "POST" and form.is_valid():
        parsed = {}
        for row in rows:
            try:
                urban, rural = int(row["urban"] or 0), int(row["rural"] or 0)
                if urban < 0 or rural < 0:
                    raise ValueError
            except (TypeError, ValueError):
                problems.append(f"{row['township'].name}：任务数须为不小于0的整数。")
                continue
            parsed[row["township"].pk] = (urban, rural)
        if not problems:
            data = form.cleaned_data
            services.target_set(actor=request.user, shares=parsed, **data)
            messages.success(request, f"{data['year']}年目标已保存。")
            return redirect(reverse("employment:targets") + f"?year={data['year']}")
    return _page(
        request,
        "employment/targets.html",
        {"form": form, "rows": rows, "year": year, "problems": problems},
    )


def _month(request) -> tuple[int, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        month = int(request.GET.get("month") or today.month)
        dt.date(year, month, 1)
    except ValueError:
        return today.year, today.month
    return year, month


@registers_required
def dispatch(request):
    year, month = _month(request)
    report = reported.dispatch_for_month(year=year, month=month)
    return _page(
        request,
        "employment/dispatch.html",
        {
            "dispatch": report,
            "months": range(1, 13),
            "years": range(timezone.localdate().year - 2, timezone.localdate().year + 1),
        },
    )


@registers_required
def dispatch_xlsx(request):
    year, month = _month(request)
    report = reported.dispatch_for_month(year=year, month=month)
    response = HttpResponse(
        reports.dispatch_workbook(report),
        content_type=XLSX,
    )
    response["Content-Disposition"] = f'attachment; filename="dispatch-{year}-{month:02d}.xlsx"'
    return response
