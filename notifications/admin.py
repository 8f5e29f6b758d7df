from django.contrib import admin

from core.validators import mask_phone
from notifications.models import Alert, RiskScore, SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "phone_masked", "purpose", "case_number", "status", "backend"]
    list_filter = ["status", "purpose"]
    search_fields = ["case_number"]  # the phone column is encrypted
    exclude = ["phone"]
    readonly_fields = ["phone_masked"] + [
        f.name for f in SmsMessage._meta.fields if f.name != "phone"
    ]

    @admin.display(description="手机号")
    def phone_masked(self, obj):
        return mask_phone(obj.phone)


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "case", "township", "reason", "level", "status"]
    list_filter = ["status", "level", "reason", "township"]
    search_fields = ["case__number", "message"]
    readonly_fields = [f.name for f in Alert._meta.fields] + ["notify_users"]
    list_select_related = ["case", "township"]

    def has_add_permission(self, request):
        return False


@admin.register(RiskScore)
class RiskScoreAdmin(admin.ModelAdmin):
    list_display = ["computed_at", "case", "score", "level", "rules_version", "needs_review"]
    list_filter = ["level", "needs_review", "rules_version"]
    search_fields = ["case__number"]
    readonly_fields = [f.name for f in RiskScore._meta.fields]
    list_select_related = ["case"]

    def has_add_permission(self, request):
        return False


from notifications import admin_notices  # noqa: E402, F401  (notice templates, service)
