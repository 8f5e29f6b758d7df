"""Admin for the ledger's reference data: villages (with the spreadsheet import), closed
plants, postings and the year's targets. People and their history are kept through the
ledger's own pages, where every change is an event."""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path

from core.downloads import XLSX
from core.models import Village
from employment import imports
from employment.models import ClosedPlant, JobPosting, ReportedDispatch, Target, TownshipShare


class VillageImportForm(forms.Form):
    file = forms.FileField(label="村（社区）名单（.xlsx）")


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "township", "kind", "code", "sort_order"]
    list_filter = ["township", "kind"]
    search_fields = ["name", "code"]
    filter_horizontal = ["stewards"]
    change_list_template = "admin/employment/village/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="village-import"),
            path(
                "import/template.xlsx",
                self.admin_site.admin_view(self.template_view),
                name="village-import-template",
            ),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = VillageImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            report = imports.villages_import(upload=form.cleaned_data["file"])
            if report.ok:
                messages.success(request, f"已导入{len(report.imported)}个村（社区）。")
                return redirect("admin:employment_village_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": "从Excel导入村（社区）",
            "form": form,
            "report": report,
            "opts": self.model._meta,
        }
        return render(request, "admin/employment/village/import.html", context)

    def template_view(self, request):
        response = HttpResponse(
            imports.village_template(),
            content_type=XLSX,
        )
        response["Content-Disposition"] = 'attachment; filename="villages-template.xlsx"'
        return response


@admin.register(ClosedPlant)
class ClosedPlantAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "township", "closed_on", "laid_off", "is_demo"]
    list_filter = ["township", "is_demo"]
    search_fields = ["name", "uscc"]
    # Registered through the ledger's page (employment.services.plant_register), which
    # also flags the employer closed; here only its figures are corrected.
    readonly_fields = ["uscc", "employer"]

    def has_add_permission(self, request):
        return False


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "pay", "place", "openings", "is_open", "posted_on"]
    list_filter = ["is_open", "prefers_closed_plant", "township"]
    search_fields = ["title", "employer__name"]
    autocomplete_fields = ["employer"]


class TownshipShareInline(admin.TabularInline):
    model = TownshipShare
    extra = 0


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "reemployment_rate", "urban_new", "rural_transfer"]
    inlines = [TownshipShareInline]


@admin.register(ReportedDispatch)
class ReportedDispatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reported_by", "reported_at"]
    readonly_fields = ["year", "month", "figures", "corrections", "reported_by", "reported_at"]

    def has_add_permission(self, request):
        return False  # kept with the monthly report, never typed in

    def has_change_permission(self, request, obj=None):
        return False  # a reported month is not rewritten
