from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "预警与通知"

    def ready(self):
        from notifications import handlers, ledger_alerts  # noqa: F401  (connect the receivers)
