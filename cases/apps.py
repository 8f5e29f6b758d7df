from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self):
        # API tokens are revoked on logout, password change and deactivation from any
        # process (a management command, a worker), not only once the URLs are loaded.
        import config.signin  # noqa: F401
