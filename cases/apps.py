from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self):
        post_migrate.connect(_rule_tables_watch, sender=self)


def _rule_tables_watch(sender, using="default", **kwargs):
    from cases.rule_tables import rule_tables_watch

    rule_tables_watch(connections[using])
