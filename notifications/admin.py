from django.contrib import admin

from notifications.models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "phone", "purpose", "case_number", "status", "backend"]
    list_filter = ["status", "purpose"]
    search_fields = ["case_number", "phone"]
    readonly_fields = [f.name for f in SmsMessage._meta.fields]
