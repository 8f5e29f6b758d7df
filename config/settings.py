"""LaborCase settings, read from the environment.

With no environment the project runs on SQLite and the in-memory channel layer, so a
fresh clone starts with one command. DATABASE_URL and REDIS_URL switch it to
PostgreSQL, channels-redis and a real Celery broker.

This module is DJANGO_SETTINGS_MODULE. The blocks that stand on their own (secrets,
database, security, the Redis-backed services, the API, SMS) are in config/settings_parts/
and imported below by name; what is left here is the project itself: hosts, apps,
middleware, templates, languages, files, logging.
"""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.lan import lan_addresses

# API tokens, REST framework, the schema.
from config.settings_parts.api import (
    REST_FRAMEWORK,
    REST_KNOX,
    SPECTACULAR_SETTINGS,
)

# The project directory, DEBUG and the time zone.
from config.settings_parts.base import (
    BASE_DIR,
    DEBUG,
    TIME_ZONE,
    env_list,
)

# SQLite or PostgreSQL with its pool, and the reports' replica.
from config.settings_parts.database import (
    DATABASE_REPLICA_URL,
    DATABASE_ROUTERS,
    DATABASES,
)

# Secrets, refused in production when unset.
from config.settings_parts.keys import (
    LABORCASE_AUDIT_KEYS,
    LABORCASE_PII_INDEX_KEY,
    LABORCASE_PII_KEYS,
    LABORCASE_QUERY_CODE_KEY,
    SECRET_KEY,
)

# SMS and served documents.
from config.settings_parts.notices import (
    ALIYUN_SMS_ACCESS_KEY_ID,
    ALIYUN_SMS_ACCESS_KEY_SECRET,
    ALIYUN_SMS_ENDPOINT,
    ALIYUN_SMS_PROTOCOL,
    ALIYUN_SMS_SIGN_NAME,
    ALIYUN_SMS_TEMPLATES,
    LABORCASE_HEARING_DEFAULT_VENUE,
    LABORCASE_PUBLIC_URL,
    LABORCASE_SERVICE_LINK_MAX_FAILURES,
    LABORCASE_SMS_DAILY_CAP,
    LABORCASE_SMS_MAX_ATTEMPTS,
    LABORCASE_SMS_RECEIPT_TOKEN,
    LABORCASE_SMS_RETRY_BASE_SECONDS,
    SMS_BACKEND,
)

# Channel layer, Celery and the cache: on Redis, or in-process without it.
from config.settings_parts.redis_backed import (
    CACHES,
    CELERY_BEAT_SCHEDULE,
    CELERY_BROKER_CONNECTION_TIMEOUT,
    CELERY_BROKER_TRANSPORT,
    CELERY_BROKER_TRANSPORT_OPTIONS,
    CELERY_BROKER_URL,
    CELERY_RESULT_BACKEND,
    CELERY_TASK_ACKS_LATE,
    CELERY_TASK_ALWAYS_EAGER,
    CELERY_TASK_EAGER_PROPAGATES,
    CELERY_TASK_PUBLISH_RETRY_POLICY,
    CELERY_TASK_REJECT_ON_WORKER_LOST,
    CELERY_TIMEZONE,
    CELERY_WORKER_PREFETCH_MULTIPLIER,
    CHANNEL_LAYERS,
    LABORCASE_CHANNEL_PREFIX,
    LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS,
    LABORCASE_WS_RECHECK_SECONDS,
    REDIS_URL,
)

# Sign-in, passwords, sessions, CSP and response headers, HTTPS.
from config.settings_parts.security import (
    AUTH_PASSWORD_VALIDATORS,
    AUTHENTICATION_BACKENDS,
    AXES_CLIENT_IP_CALLABLE,
    AXES_COOLOFF_TIME,
    AXES_ENABLE_ACCESS_FAILURE_LOG,
    AXES_FAILURE_LIMIT,
    AXES_LOCKOUT_CALLABLE,
    AXES_LOCKOUT_PARAMETERS,
    AXES_RESET_ON_SUCCESS,
    CONTENT_SECURITY_POLICY,
    CSRF_COOKIE_SECURE,
    LABORCASE_TRUSTED_PROXIES,
    PASSWORD_HASHERS,
    SECURE_CONTENT_TYPE_NOSNIFF,
    SECURE_HSTS_INCLUDE_SUBDOMAINS,
    SECURE_HSTS_PRELOAD,
    SECURE_HSTS_SECONDS,
    SECURE_PROXY_SSL_HEADER,
    SECURE_REDIRECT_EXEMPT,
    SECURE_REFERRER_POLICY,
    SECURE_SSL_REDIRECT,
    SESSION_COOKIE_AGE,
    SESSION_COOKIE_HTTPONLY,
    SESSION_COOKIE_SECURE,
    SESSION_EXPIRE_AT_BROWSER_CLOSE,
    SESSION_SAVE_EVERY_REQUEST,
    X_FRAME_OPTIONS,
)

# A case (or subsidy application) number is locked for LOCK_SECONDS after LOCK_FAILURES
# wrong query codes, whatever the client address; a locked number answers like a wrong code.
LABORCASE_LOOKUP_LOCK_FAILURES = int(os.environ.get("LABORCASE_LOOKUP_LOCK_FAILURES", 5))
LABORCASE_LOOKUP_LOCK_SECONDS = int(os.environ.get("LABORCASE_LOOKUP_LOCK_SECONDS", 15 * 60))
# A lost query code is sent again (as a new code) at most this often per case; the per
# address limit is the "code_resend" throttle rate (settings_parts/api.py).
LABORCASE_CODE_RESEND_PER_CASE = int(os.environ.get("LABORCASE_CODE_RESEND_PER_CASE", 3))
LABORCASE_CODE_RESEND_WINDOW_SECONDS = int(
    os.environ.get("LABORCASE_CODE_RESEND_WINDOW_SECONDS", 24 * 3600)
)

# Development (DEBUG, no ALLOWED_HOSTS set) also answers on this machine's own LAN
# addresses: IP addresses cannot be rebound to another site the way host names can.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
if DEBUG and "ALLOWED_HOSTS" not in os.environ:
    ALLOWED_HOSTS += lan_addresses()
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "viewflow",
    "viewflow.workflow",
    "core",
    "rules",
    "cases",
    "workflows",
    "employment",
    "notifications",
    "reports",
    "enforcement",
    "demo",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Database down (restart, fail-over): 503 in Chinese with Retry-After, not a 500.
    "config.errors.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.WebSocketConnectSrc",
    "config.middleware.reject_nul_bytes_middleware",
    "config.middleware.request_memo_middleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Sign-in attempts per client address, refused before any password is hashed.
    "config.signin.SignInRateLimit",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a lockout into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.navigation.staff_navigation",
                "rules.context_processors.rule_figures",
            ],
        },
    },
]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# models.W040: SQLite (development) builds the deadline scan's covering index without
# its INCLUDE column; the index-only scan it is for matters on PostgreSQL.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages not translated yet (the staff shell, the applicant's subsidy pages): always
# Chinese, with no language switch (config.middleware.ChosenLanguageMiddleware). The
# worker portal and the sign-in page switch completely.
CHINESE_ONLY_PATHS = [
    "/workbench/",
    "/subsidies/",
    "/employment/",
    "/alerts/",
    "/screen/",
    "/reports/",
    "/enforcement/",
    "/admin/",
]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence lives outside the web root and is served only through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"

LOGIN_URL = "/accounts/login/"
# Unused by the login page, which sends each user to their own home (config.navigation).
LOGIN_REDIRECT_URL = "/workbench/"
LOGOUT_REDIRECT_URL = "/"

# An Idempotency-Key belongs to its caller and lapses after this many hours: a retry
# within it gets the first answer, a reuse after it files anew (cases.services).
LABORCASE_IDEMPOTENCY_HOURS = int(os.environ.get("LABORCASE_IDEMPOTENCY_HOURS", "24"))

# Evidence uploads: size cap per file, and the request cap just above it so an
# oversized upload is answered with a clear 400, not read into memory.
EVIDENCE_MAX_BYTES = int(os.environ.get("LABORCASE_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))
# Evidence chosen on the complaint form is kept across a failed submit (cases/kept_uploads.py)
# for this long, at most this many files per browser session.
PORTAL_KEPT_UPLOAD_SECONDS = int(os.environ.get("LABORCASE_PORTAL_KEPT_UPLOAD_SECONDS", 2 * 3600))
PORTAL_KEPT_UPLOAD_MAX_FILES = int(os.environ.get("LABORCASE_PORTAL_KEPT_UPLOAD_MAX_FILES", 20))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every line passes the personal-data mask (config/logging.py) before it is written.
    "filters": {"mask_personal_data": {"()": "config.logging.MaskPersonalData"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's own "django" handlers, so its lines pass the mask as well.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

LABORCASE_UI_NAME = _("劳动维权案件与补贴审批系统")
