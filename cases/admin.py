"""Django admin for administrators: reference data, rule tables, and a view of the cases.

The admin edits data, never the life of a case: a case's state changes only through the
transitions in cases/services.py, cases are filed through the complaint service, and
events, evidence and the bookkeeping tables are shown read-only.
"""

import datetime as dt

from django.contrib import admin
from django.db import models
from django.utils import timezone

from cases import services
from cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    Claim,
    Evidence,
    IdempotencyRecord,
    PersonalDataAccess,
)
from core.admin import IdNumberSearchMixin


class ReadOnlyAdminMixin:
    """View only: no add, change or delete (the records are written by the services)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Who was shown which full ID number or phone: the record supervisors review."""

    list_display = ["created_at", "user", "case", "person", "field", "purpose", "ip_address"]
    list_filter = ["field", "created_at"]
    search_fields = ["user__username", "case__number", "person__name", "purpose"]
    list_select_related = ["user", "case", "person"]
    date_hierarchy = "created_at"


# --- cases -------------------------------------------------------------------------------


class ClaimInline(admin.TabularInline):
    model = Claim
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "amount_claimed", "months_owed", "amount_recovered", "is_representative"]
    # Money recovered is recorded by the record_payment transition only.
    readonly_fields = ["amount_recovered"]


class CaseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "transition", "from_state", "to_state", "actor_label", "note"]
    readonly_fields = fields
    ordering = ["created_at", "id"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "kind",
        "state",
        "township",
        "employer",
        "deadline",
        "calendar_fallback",
        "risk_level",
    ]
    list_filter = ["kind", "state", "township", "is_collective", "calendar_fallback"]
    search_fields = ["number", "employer__name"]
    list_select_related = ["township", "employer"]
    date_hierarchy = "received_at"
    autocomplete_fields = ["employer", "mediator", "inspectors", "arbitrators"]
    inlines = [ClaimInline, CaseEventInline]
    # `state` is a protected FSM field: it changes only through a transition. The clock,
    # risk and bookkeeping fields are computed by the services.
    readonly_fields = [
        "number",
        "state",
        "accepted_on",
        "clock_stage",
        "clock_started_on",
        "award_clock_started_on",
        "clock_pauses",
        "extended_stages",
        "deadline",
        "calendar_fallback",
        "risk_score",
        "risk_level",
        "risk_factors",
        "version",
        "created_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        # A case is filed through the complaint service (number, query code, filing event).
        return False

    # Every change to a case, from any path, appends an event to its history (the hash
    # chain, cases/audit.py): an admin edit too, with what changed from what to what.

    def save_model(self, request, obj, form, change):
        if change:
            stored = Case.objects.get(pk=obj.pk)
            changed = {
                name: (_before(stored, form, name), _after(obj, form, name))
                for name in form.changed_data
            }
            # A form may call a field changed that holds the same value (a time shown
            # in another time zone): only real changes are recorded.
            request._case_fields_changed = {
                name: [_shown(before), _shown(after)]
                for name, (before, after) in changed.items()
                if _shown(before) != _shown(after)
            }
            obj.version += 1  # an open workbench form on the old version is refused
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            services.case_admin_edit_record(
                case=form.instance,
                actor=request.user,
                fields=getattr(request, "_case_fields_changed", {}),
                claims=[item for formset in formsets for item in _claim_changes(formset)],
            )


def _before(stored, form, name):
    field = Case._meta.get_field(name)
    return form.initial.get(name) if field.many_to_many else getattr(stored, name)


def _after(obj, form, name):
    field = Case._meta.get_field(name)
    return form.cleaned_data.get(name) if field.many_to_many else getattr(obj, name)


def _shown(value):
    """A value as the event keeps it: readable, JSON, no personal data beyond a name."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | models.QuerySet):
        return sorted(str(item) for item in value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, bool | int | str):
        return value
    return str(value)


def _claim_line(claim, action, changed=()):
    line = {"action": action, "claim": claim.pk, "claimant": claim.person.name}
    for name in changed:
        line[name] = _shown(getattr(claim, name))
    return line


def _claim_changes(formset) -> list[dict]:
    if formset.model is not Claim:
        return []
    lines = [
        _claim_line(c, "added", ["amount_claimed", "months_owed"]) for c in formset.new_objects
    ]
    lines += [_claim_line(c, "changed", names) for c, names in formset.changed_objects]
    lines += [_claim_line(c, "deleted") for c in formset.deleted_objects]
    return lines


@admin.register(Claim)
class ClaimAdmin(IdNumberSearchMixin, admin.ModelAdmin):
    list_display = [
        "case",
        "person",
        "amount_claimed",
        "months_owed",
        "amount_recovered",
        "is_representative",
    ]
    list_filter = ["is_representative"]
    search_fields = ["case__number", "person__name"]
    id_number_index_path = "person__id_number_index"
    list_select_related = ["case", "person"]
    autocomplete_fields = ["case", "person"]
    readonly_fields = ["amount_recovered", "added_at"]

    # A claim is part of its case: each edit here is an event on the case as well.

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = "changed" if change else "added"
        names = form.changed_data if change else ["amount_claimed", "months_owed"]
        services.case_admin_edit_record(
            case=obj.case, actor=request.user, fields={}, claims=[_claim_line(obj, action, names)]
        )

    def delete_model(self, request, obj):
        line = _claim_line(obj, "deleted")
        case = obj.case
        super().delete_model(request, obj)
        services.case_admin_edit_record(case=case, actor=request.user, fields={}, claims=[line])

    def delete_queryset(self, request, queryset):
        for claim in queryset.select_related("case", "person"):
            self.delete_model(request, claim)


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "case", "transition", "from_state", "to_state", "actor_label"]
    list_filter = ["transition", "to_state"]
    search_fields = ["case__number", "actor_label"]
    list_select_related = ["case"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Uploads go through the evidence service (type check by content, hash, event).
    list_display = ["original_name", "case", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["case__number", "original_name", "sha256"]
    list_select_related = ["case", "uploaded_by"]
    ordering = ["-uploaded_at"]


# --- bookkeeping -------------------------------------------------------------------------


@admin.register(CaseNumberSequence)
class CaseNumberSequenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["year", "last"]


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["key", "status_code", "created_at"]
    ordering = ["-created_at"]
    search_fields = ["=key"]
    date_hierarchy = "created_at"
