"""Admin of the notice templates (checked when saved), notices, service records and
contacts. Notices and service records are records: read only here."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join

from notifications import notices
from notifications.models import CaseContact, Notice, NoticeTemplate, ServiceRecord


class NoticeTemplateForm(forms.ModelForm):
    event = forms.ChoiceField(label="环节", choices=list(notices.EVENT_LABELS.items()))

    class Meta:
        model = NoticeTemplate
        fields = ["event", "recipient", "text", "provider_template_code", "active"]


@admin.register(NoticeTemplate)
class NoticeTemplateAdmin(admin.ModelAdmin):
    form = NoticeTemplateForm
    list_display = ["event_label", "recipient", "active", "updated_at"]
    list_filter = ["recipient", "active"]
    readonly_fields = ["variables"]

    @admin.display(description="可用变量")
    def variables(self, obj):
        if obj is None or obj.event not in notices.VARIABLES:
            return "保存后显示该环节可用的变量。"
        return format_html_join(
            "", "<div><code>{{{}}}</code> {}</div>", notices.VARIABLES[obj.event].items()
        )


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnly):
    list_display = ["created_at", "case", "event", "recipient", "recipient_name", "status"]
    list_filter = ["status", "event", "recipient"]
    search_fields = ["case__number"]
    exclude = ["phone", "text"]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnly):
    list_display = ["case", "document", "party_name", "method", "sent_at", "received_at"]
    list_filter = ["document", "method"]
    search_fields = ["case__number"]
    exclude = ["token_hash"]


@admin.register(CaseContact)
class CaseContactAdmin(admin.ModelAdmin):
    list_display = ["case", "name", "consents_electronic"]
    search_fields = ["case__number", "name"]
    raw_id_fields = ["case"]
