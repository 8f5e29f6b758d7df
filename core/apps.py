from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: townships, staff and roles, employers, workers, personal-data
    encryption, validators, domain errors, throttling. Imports no other app of ours."""

    name = "core"
    verbose_name = "基础数据"

    def ready(self):
        # API tokens are revoked on logout, password change and deactivation from any
        # process (a management command, a worker), not only once the URLs are loaded.
        import config.tokens  # noqa: F401
