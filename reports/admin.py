from django.contrib import admin

from reports.models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "generated_by", "generated_at"]
    exclude = ["workbook"]
    readonly_fields = ["year", "month", "figures", "corrections", "generated_by", "generated_at"]

    def has_add_permission(self, request):
        return False  # generated, never typed in

    def has_change_permission(self, request, obj=None):
        return False  # a reported month is not rewritten
