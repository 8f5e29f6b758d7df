from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self):
        post_migrate.connect(_rule_tables_watch, sender=self)
        # Townships are cached per process like the rule tables (cases.memo).
        from cases import memo
        from core import selectors

        selectors.cache_with(memo.remember)
        # API tokens are revoked on logout, password change and deactivation from any
        # process (a management command, a worker), not only once the URLs are loaded.
        import config.signin  # noqa: F401


def _rule_tables_watch(sender, using="default", **kwargs):
    from cases.rule_tables import rule_tables_watch

    rule_tables_watch(connections[using])
