from django.contrib import admin
from django.db import transaction
from django.db.models import Max

from core.validators import mask_phone
from notifications.models import (
    Alert,
    RiskKeyword,
    RiskRuleSet,
    RiskScore,
    SmsMessage,
    SpringFestival,
)


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
