"""The production URLs plus the baseline view; used only through bench.settings."""

from django.urls import path

from bench.views import bare_insert
from config.urls import urlpatterns as production_urlpatterns

urlpatterns = [
    path("bench/bare/", bare_insert, name="bench-bare"),
    *production_urlpatterns,
]
