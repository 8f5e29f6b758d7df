from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "案件"

    def ready(self):
        # Townships are cached per process like the rule tables (rules.memo); core
        # cannot import rules, so the cache is handed to it here.
        from core import selectors
        from rules import memo

        selectors.cache_with(memo.remember)
