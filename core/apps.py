from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: townships, staff and roles, employers, workers, personal-data
    encryption, validators, domain errors, throttling. Imports no other app of ours."""

    name = "core"
    verbose_name = "基础数据"
