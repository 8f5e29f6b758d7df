"""Admin: the rule tables, edited by administrators.

Unconfirmed figures ([CONFIG] defaults) are listed as such until someone checks them.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Max

from rules.models import (
    CalendarDay,
    CalendarYear,
    ClockRule,
    LegalParameter,
    ListingCriterion,
    PolicyParameter,
    RiskKeyword,
    RiskRuleSet,
    SpringFestival,
    SubsidyPolicy,
)

# --- clock rules, legal figures, the calendar -------------------------------------------------------------------------


@admin.register(ClockRule)
class ClockRuleAdmin(admin.ModelAdmin):
    list_display = [
        "stage",
        "label",
        "days",
        "day_kind",
        "approver_role",
        "citation",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["day_kind", "stage"]
    search_fields = ["stage", "label", "citation"]


@admin.register(LegalParameter)
class LegalParameterAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "value", "unit", "confirmed", "citation", "effective_from"]
    # Unconfirmed figures are the [CONFIG] defaults an administrator must check.
    list_filter = ["confirmed", "code"]
    search_fields = ["code", "label", "citation"]


@admin.register(ListingCriterion)
class ListingCriterionAdmin(admin.ModelAdmin):
    list_display = [
        "listing",
        "group",
        "condition",
        "amount",
        "confirmed",
        "citation",
        "effective_from",
        "effective_to",
    ]
    list_filter = ["listing", "confirmed"]
    search_fields = ["citation"]


class CalendarDayFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        year = self.instance.year
        for form in self.forms:
            day = form.cleaned_data.get("date") if hasattr(form, "cleaned_data") else None
            if day and year and day.year != year and not form.cleaned_data.get("DELETE"):
                form.add_error("date", "日期不在该年度内。")


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    extra = 3
    fields = ["date", "is_working_day", "name"]


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "day_count"]
    inlines = [CalendarDayInline]

    @admin.display(description="录入天数")
    def day_count(self, obj):
        return obj.days.count()


# --- risk rules ------------------------------------------------------------------------------


@admin.register(RiskRuleSet)
class RiskRuleSetAdmin(admin.ModelAdmin):
    """A saved version is never changed (scores refer to it): tuning means adding the
    next version, which starts as a copy of the newest one."""

    list_display = ["version", "note", "created_by", "created_at", "orange_from", "red_from"]
    readonly_fields = ["version", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [f.name for f in RiskRuleSet._meta.fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        latest = RiskRuleSet.objects.order_by("-version").first()
        if latest is None:
            return {}
        skip = {"id", "version", "note", "created_by", "created_at"}
        return {
            f.name: getattr(latest, f.name) for f in RiskRuleSet._meta.fields if f.name not in skip
        }

    def save_model(self, request, obj, form, change):
        if change:
            return
        with transaction.atomic():
            last = RiskRuleSet.objects.select_for_update().aggregate(v=Max("version"))["v"] or 0
            obj.version = last + 1
            obj.created_by = request.user.get_username()
            obj.save()


@admin.register(RiskKeyword)
class RiskKeywordAdmin(admin.ModelAdmin):
    list_display = ["word", "kind", "active"]
    list_filter = ["kind", "active"]
    list_editable = ["active"]
    search_fields = ["word"]


@admin.register(SpringFestival)
class SpringFestivalAdmin(admin.ModelAdmin):
    list_display = ["year", "date", "lantern_festival"]

    @admin.display(description="元宵节")
    def lantern_festival(self, obj):
        return obj.lantern_festival


# --- subsidy policies ------------------------------------------------------------------------


class PolicyParameterInline(admin.TabularInline):
    model = PolicyParameter
    extra = 0
    fields = ["key", "label", "value", "unit", "confirmed", "note"]


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "effective_from", "effective_to", "unconfirmed_figures"]
    list_filter = ["code"]
    inlines = [PolicyParameterInline]

    @admin.display(description="未确认参数 [CONFIG]")
    def unconfirmed_figures(self, policy):
        return "、".join(p.label for p in policy.parameters.all() if not p.confirmed) or "—"
