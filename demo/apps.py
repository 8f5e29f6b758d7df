from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and its commands (seed_demo, seed_demo_subsidies); no models."""

    name = "demo"
    verbose_name = "演示数据"
