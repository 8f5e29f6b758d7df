from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


class RulesConfig(AppConfig):
    name = "rules"
    verbose_name = "规则表"

    def ready(self):
        # After every migrate and flush: the version row and every watched table's trigger.
        post_migrate.connect(_rule_tables_watch, sender=self)


def _rule_tables_watch(sender, using="default", **kwargs):
    from rules.triggers import rule_tables_watch

    rule_tables_watch(connections[using])
