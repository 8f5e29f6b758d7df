"""Admin: read-only views of the blacklist and the publications (every change goes
through the services, which keep the history and the employers' read model)."""

from django.contrib import admin

from enforcement.models import (
    BlacklistEntry,
    BlacklistEvent,
    Publication,
    PublicationItem,
    ResponsiblePerson,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResponsiblePersonInline(admin.TabularInline):
    model = ResponsiblePerson
    fields = ["name", "role", "id_number_masked"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = BlacklistEvent
    fields = ["created_at", "action", "actor_label", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnly):
    list_display = ["employer", "case", "state", "listed_from", "listed_until", "proposed_at"]
    list_filter = ["state"]
    search_fields = ["employer__name", "case__number"]
    inlines = [ResponsiblePersonInline, EventInline]
    exclude = ["criteria_met"]


class PublicationItemInline(admin.TabularInline):
    model = PublicationItem
    extra = 0
    can_delete = False
    readonly_fields = [f.name for f in PublicationItem._meta.fields if f.name != "id"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnly):
    list_display = ["__str__", "state", "drafted_by", "approved_by", "approved_at"]
    inlines = [PublicationItemInline]
