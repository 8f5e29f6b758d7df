from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "预警与通知"

    def ready(self):
        from notifications import (  # noqa: F401  (handlers, ledger_alerts connect receivers)
            handlers,
            ledger_alerts,
            service_records,
        )

        service_records.guard_register()  # cases.service_guard asks it
