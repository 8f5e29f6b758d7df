"""Admin: applications and their history are read-only (they change only through the
approval flow). The policy table is edited in the rules app's admin."""

from django.contrib import admin

from core.validators import mask_id_number
from workflows.models import (
    ApplicationEvent,
    SubsidyApplication,
    SubsidyBeneficiary,
)


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BeneficiaryInline(ReadOnly, admin.TabularInline):
    model = SubsidyBeneficiary
    # Masked: the admin is not one of the roles that see full ID numbers.
    fields = ["name", "id_number_masked", "hire_date", "eligible", "amount", "months", "reasons"]
    readonly_fields = fields


class EventInline(ReadOnly, admin.TabularInline):
    model = ApplicationEvent
    fields = ["created_at", "actor", "step", "action", "from_state", "to_state", "note"]
    readonly_fields = fields


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["number", "policy", "applicant_name", "township", "state", "computed_amount"]
    list_filter = ["state", "policy__code", "township"]
    search_fields = ["number", "applicant_name", "applicant_uscc"]
    inlines = [BeneficiaryInline, EventInline]
    exclude = ["applicant_id_number"]

    def get_readonly_fields(self, request, obj=None):
        shown = [f.name for f in SubsidyApplication._meta.fields if f.name not in self.exclude]
        return ["applicant_id_number_masked", *shown]

    @admin.display(description="申请人身份证号")
    def applicant_id_number_masked(self, obj):
        return mask_id_number(obj.applicant_id_number)
