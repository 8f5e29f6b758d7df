"""Django admin for the shared kernel: townships, staff profiles, employers, workers."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from core import pii, validators
from core.models import Employer, Person, StaffProfile, Township

admin.site.site_header = settings.LABORCASE_UI_NAME
admin.site.site_title = settings.LABORCASE_UI_NAME


# --- jurisdictions and staff -------------------------------------------------------------


@admin.register(Township)
class TownshipAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "sort_order"]
    list_editable = ["sort_order"]
    search_fields = ["name", "code"]


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    max_num = 1
    filter_horizontal = ["townships"]
    verbose_name_plural = StaffProfile._meta.verbose_name


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [*BaseUserAdmin.inlines, StaffProfileInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "county_level", "township_names", "phone_masked"]
    list_filter = ["county_level", "townships"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    filter_horizontal = ["townships"]
    autocomplete_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user").prefetch_related("townships")

    @admin.display(description="所属乡镇")
    def township_names(self, obj):
        return "、".join(t.name for t in obj.townships.all())

    @admin.display(description="电话")
    def phone_masked(self, obj):
        return validators.mask_phone(obj.phone)


# --- parties -----------------------------------------------------------------------------


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "uscc",
        "township",
        "sector",
        "size_class",
        "state_owned_or_government_project",
        "closed_under_policy",
        "blacklisted_until",
        "is_demo",
    ]
    list_filter = [
        "sector",
        "size_class",
        "township",
        "closed_under_policy",
        "state_owned_or_government_project",
        "is_demo",
    ]
    search_fields = ["name", "uscc"]
    list_select_related = ["township"]
    ordering = ["name"]
    readonly_fields = ["created_at"]


class IdNumberSearchMixin:
    """Search by an exact ID number through its blind index: the column is encrypted."""

    id_number_index_path = "id_number_index"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if len(pii.normalize(search_term)) == 18:
            index = pii.blind_index(search_term)
            results |= queryset.filter(**{self.id_number_index_path: index})
        return results, may_have_duplicates


@admin.register(Person)
class PersonAdmin(IdNumberSearchMixin, admin.ModelAdmin):
    # The full ID number appears nowhere in the admin: showing it is a recorded act
    # (cases.services.person_reveal), kept to the case roles that need it.
    list_display = ["name", "id_number_masked", "phone_masked", "created_at"]
    fields = ["name", "id_number_masked", "phone_masked", "created_at"]
    readonly_fields = ["id_number_masked", "phone_masked", "created_at"]
    search_fields = ["name"]
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False  # people come from complaints, where their ID number is checked

    @admin.display(description="身份证号")
    def id_number_masked(self, obj):
        return obj.id_number_masked

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return obj.phone_masked
