"""The HTTP API: token sign-in (django-rest-knox), Django REST framework and the schema."""

import os
from datetime import timedelta

from config.settings_parts.base import DEBUG
from config.settings_parts.security import LABORCASE_TRUSTED_PROXIES, SESSION_COOKIE_AGE

# API tokens (django-rest-knox): only a SHA-512 digest is stored. A token lives as long
# as the staff session's idle rule: every use pushes its expiry 30 minutes on (at most
# once a minute, to spare writes), so 30 idle minutes end it; and no token outlives
# LABORCASE_TOKEN_MAX_HOURS from its issue, used or not. Logout (page or API), a password
# change and deactivation delete all of a user's tokens (config/signin.py).
REST_KNOX = {
    "TOKEN_TTL": timedelta(seconds=SESSION_COOKIE_AGE),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTO_REFRESH_MAX_TTL": timedelta(hours=int(os.environ.get("LABORCASE_TOKEN_MAX_HOURS", "12"))),
    "AUTH_HEADER_PREFIX": "Token",
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # JSON only in production; the browsable HTML API (forms for any endpoint, with
    # the session's CSRF token) while debugging.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # The same number config/client_address.py trusts, for DRF's own get_ident.
    "NUM_PROXIES": LABORCASE_TRUSTED_PROXIES,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "complaints": os.environ.get("LABORCASE_THROTTLE_COMPLAINTS", "300/min"),
        "lookup": os.environ.get("LABORCASE_THROTTLE_LOOKUP", "120/min"),
        "uploads": os.environ.get("LABORCASE_THROTTLE_UPLOADS", "60/min"),
        "code_resend": os.environ.get("LABORCASE_THROTTLE_CODE_RESEND", "10/hour"),
        "objections": os.environ.get("LABORCASE_THROTTLE_OBJECTIONS", "20/hour"),
        # Sign-in attempts (login page, admin login, API token) per client address.
        "signin": os.environ.get("LABORCASE_THROTTLE_SIGNIN", "30/min"),
    },
}

SPECTACULAR_SETTINGS = {
    "TITLE": "LaborCase API",
    "DESCRIPTION": "劳动维权案件与补贴审批系统 — public HTTP interface (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, so the schema (and `check --deploy`) has no warnings.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.lifecycle.states.CaseKind",
        "CaseStateEnum": "cases.lifecycle.states.CaseState",
        "ApplicantKindEnum": "rules.models.ApplicantKind",
        "SubsidyStateEnum": "workflows.steps.SubsidyState",
        "PolicyCodeEnum": "rules.models.PolicyCode",
        "LedgerStatusEnum": "employment.models.Status",
        "LedgerCategoryEnum": "employment.models.Category",
        "EmploymentModeEnum": "employment.models.Mode",
        "BlacklistStateEnum": "enforcement.models.EntryState",
        "NoticeHowEnum": "enforcement.models.NoticeHow",
        "PublicationStateEnum": "enforcement.models.Publication.State",
    },
}
