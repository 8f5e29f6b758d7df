from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import signin
from config.favicon import favicon
from config.health import healthz

urlpatterns = [
    path("", TemplateView.as_view(template_name="home.html"), name="home"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/login/", signin.staff_login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/auth/token/", signin.token_login, name="api-token"),
    path("api/v1/auth/logout/", signin.token_logout, name="api-logout"),
    path("api/v1/", include("cases.urls")),
    path("api/v1/", include("workflows.api_urls")),
    path("", include("workflows.urls_public_notice")),  # the public notice, objections
    path("subsidies/", include("workflows.urls")),
    path("reports/", include("reports.urls")),
    path("enforcement/", include("enforcement.urls")),
    path("api/v1/", include("enforcement.api_urls")),
    path("employment/", include("employment.urls")),
    path("api/v1/employment/", include("employment.api_urls")),
    path("", include("cases.urls_web")),
    path("", include("notifications.urls")),
    path("", include("notifications.urls_notices")),  # notices, service, receipts
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so no inline script;
    # its inline <style> is allowed on this page only.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]

handler404 = "config.errors.not_found"
handler500 = "config.errors.server_error"
