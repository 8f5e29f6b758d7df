"""LaborCase settings, read from the environment.

With no environment the project runs on SQLite and the in-memory channel layer, so a
fresh clone starts with one command. DATABASE_URL and REDIS_URL switch it to
PostgreSQL, channels-redis and a real Celery broker.
"""

import base64
import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.lan import lan_addresses

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"

# Personal data at rest (core/pii.py): Fernet keys, newest first (older ones still
# decrypt while `manage.py pii_rotate` re-encrypts), and the blind-index HMAC key.
# Generate with: python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"
LABORCASE_PII_KEYS = env_list("LABORCASE_PII_KEYS", "")
LABORCASE_PII_INDEX_KEY = os.environ.get("LABORCASE_PII_INDEX_KEY", "")
if not (LABORCASE_PII_KEYS and LABORCASE_PII_INDEX_KEY):
    if not DEBUG:
        raise RuntimeError(
            "LABORCASE_PII_KEYS and LABORCASE_PII_INDEX_KEY must be set when DEBUG is off"
        )
    # Development only: keys derived from SECRET_KEY, so `make run` and the tests need no
    # set-up. Not secret with the development SECRET_KEY, hence refused above in production.
    _derive = hashlib.sha256
    LABORCASE_PII_KEYS = LABORCASE_PII_KEYS or [
        base64.urlsafe_b64encode(_derive(f"laborcase-pii:{SECRET_KEY}".encode()).digest()).decode()
    ]
    LABORCASE_PII_INDEX_KEY = (
        LABORCASE_PII_INDEX_KEY or _derive(f"laborcase-pii-index:{SECRET_KEY}".encode()).hexdigest()
    )
# Query codes are stored as HMAC-SHA256 under this key (core/query_codes.py). By default
# derived from the blind-index key, so a deployment needs no new variable; changing it
# invalidates every code (workers get a new one with "找回查询码").
LABORCASE_QUERY_CODE_KEY = (
    os.environ.get("LABORCASE_QUERY_CODE_KEY")
    or hashlib.sha256(f"laborcase-query-code:{LABORCASE_PII_INDEX_KEY}".encode()).hexdigest()
)
# A case (or subsidy application) number is locked for LOCK_SECONDS after LOCK_FAILURES
# wrong query codes, whatever the client address; a locked number answers like a wrong code.
LABORCASE_LOOKUP_LOCK_FAILURES = int(os.environ.get("LABORCASE_LOOKUP_LOCK_FAILURES", 5))
LABORCASE_LOOKUP_LOCK_SECONDS = int(os.environ.get("LABORCASE_LOOKUP_LOCK_SECONDS", 15 * 60))
# A lost query code is sent again (as a new code) at most this often per case; the per
# address limit is the "code_resend" throttle rate below.
LABORCASE_CODE_RESEND_PER_CASE = int(os.environ.get("LABORCASE_CODE_RESEND_PER_CASE", 3))
LABORCASE_CODE_RESEND_WINDOW_SECONDS = int(
    os.environ.get("LABORCASE_CODE_RESEND_WINDOW_SECONDS", 24 * 3600)
)
# Case-history signing keys (cases/audit.py: HMAC-SHA256 of every event), newest first;
# each event records the id of the key that signed it, so older keys keep verifying until
# `manage.py audit_resign` re-signs with the newest. Kept out of the database: whoever can
# write the database but lacks the key cannot forge a link. Any long random string:
# python -c "import secrets; print(secrets.token_urlsafe(48))"
LABORCASE_AUDIT_KEYS = env_list("LABORCASE_AUDIT_KEYS", "")
if not LABORCASE_AUDIT_KEYS:
    if not DEBUG:
        raise RuntimeError("LABORCASE_AUDIT_KEYS must be set when DEBUG is off")
    LABORCASE_AUDIT_KEYS = [hashlib.sha256(f"laborcase-audit:{SECRET_KEY}".encode()).hexdigest()]

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

# Database: SQLite by default; DATABASE_URL=postgres://... for PostgreSQL via psycopg 3.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Never persistent connections under ASGI (they leak until PostgreSQL refuses new
    # ones); psycopg's pool gives the reuse instead. Tests open many threads, so the
    # pool can be switched off there.
    if env_bool("DATABASE_POOL", True):
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": int(os.environ.get("DATABASE_POOL_MAX", "20")),
            # How long a request waits for a connection before it gets the 503
            # (config/errors.py) while the database is unreachable.
            "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
            # After a PostgreSQL restart: a background reconnection gives up after this
            # long and the next request starts a fresh one. Without the cap its retry
            # interval doubles for five minutes, so the pool could stay empty for as
            # long as the outage lasted after PostgreSQL is back
            # (tests/faults/test_postgres_restart.py).
            "reconnect_timeout": float(os.environ.get("DATABASE_POOL_RECONNECT_TIMEOUT", "5")),
        }
        # The pool checks a connection before handing it out, so the connections
        # PostgreSQL dropped in a restart are replaced instead of failing one request each.
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # SQLite: take the write lock when a transaction begins, and wait for it, so two
    # requests racing on one case queue up instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    )

# A read replica for the heavy report queries (config/db_router.py): with
# DATABASE_REPLICA_URL set, reports read there; every write and every other read stays
# on the primary. Tests mirror it onto the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        "CONN_HEALTH_CHECKS": DATABASES["default"].get("CONN_HEALTH_CHECKS", False),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The client's address (config/client_address.py): how many reverse proxies in front of
# the application to believe in X-Forwarded-For. 0 (the default) reads the peer's own
# address; docker-compose sets 1 for its nginx, which sets the header (never appends).
# Rate limits, the sign-in lockout and the personal-data access record all use it.
LABORCASE_TRUSTED_PROXIES = int(os.environ.get("LABORCASE_TRUSTED_PROXIES", "0"))

# Sign-in (docs/security.md). django-axes counts failures per username and client
# address on every path that calls authenticate() with the request: the login page, the
# admin and the API token endpoint. Five failures from one address lock that account for
# that address for 30 minutes (or until `manage.py axes_reset_username NAME`), so a
# stranger elsewhere cannot lock a colleague out; the per-address sign-in rate limit
# (throttle scope "signin") bounds guessing across accounts. Every failure and every
# sign-in is stored (AccessAttempt, AccessFailureLog, AccessLog) and logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_COOLOFF_TIME = 0.5  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "config.signin.lockout_response"
# models.W040: SQLite (development) builds the deadline scan's covering index without
# its INCLUDE column; the index-only scan it is for matters on PostgreSQL.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Argon2id first (Django's parameters: 2 passes over 100 MiB): measured at about 40% of
# the CPU time of PBKDF2's 1,000,000 iterations per sign-in on the 2-core development
# machine, and memory-hard, so guessing on GPUs gains far less. Stored PBKDF2 hashes
# still verify and are rewritten as Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Idle staff sessions end after 30 minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "config.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]

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
TIME_ZONE = "Asia/Shanghai"
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

# Content Security Policy (django-csp): only the project's own scripts, styles, images
# and fonts; no inline script anywhere. Inline style *attributes* stay allowed (layout
# tweaks in the templates; they cannot run code); /api/docs/ also allows the inline
# <style> of Swagger UI (config/urls.py). The WebSocket to this host is added per
# request (config/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Production (DEBUG off): HTTPS only, behind the reverse proxy that terminates TLS and
# sets X-Forwarded-Proto (deploy/nginx.conf). HTTPS=0 turns this off for a plain-http
# trial of the production topology; `make run` and the tests (DEBUG on) never use it.
if env_bool("HTTPS", not DEBUG):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's health check speaks plain http
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_HTTPONLY = True

# Channels: in-memory layer by default, Redis when REDIS_URL is set.
REDIS_URL = os.environ.get("REDIS_URL", "")


def channel_prefix(database_name: str, redis_url: str) -> str:
    """The default prefix of the channel layer's names for one deployment.

    Redis publish/subscribe ignores the database number: a subscriber connected to
    another DB number of the same server hears every channel. The database name and
    the Redis DB number tell deployments that share a Redis server apart; set
    LABORCASE_CHANNEL_PREFIX to choose it.
    """
    import re
    from urllib.parse import urlsplit

    db_number = urlsplit(redis_url).path.strip("/") or "0"
    name = Path(str(database_name)).name or "laborcase"
    name = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40]
    return f"laborcase.{name}.{db_number}"


LABORCASE_CHANNEL_PREFIX = os.environ.get("LABORCASE_CHANNEL_PREFIX", "") or channel_prefix(
    DATABASES["default"].get("NAME", ""), REDIS_URL
)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Redis publish/subscribe, chosen by measurement (docs/performance.md): one
            # PUBLISH per group and one message per server process, fanned out there,
            # against several round trips and a per-socket receive in RedisChannelLayer
            # (the 1,000-socket broadcast faster in every run, the alert p99 lower under
            # load, about even on an idle machine). What it does
            # not keep, a message sent while a server's subscription is down, the
            # outbox gives back: alerts are rows first, and clients resume after their
            # last id. After a Redis restart it subscribes again by itself, where the
            # other layer's groups, kept in Redis, are gone until the sockets reconnect.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # An explicit socket_timeout above channels-redis's 5 s blocking read, so
            # an idle connection is never cut by a client-side timeout (redis-py 8
            # defaults to 5 s); tests/notifications/test_idle_channel_layer.py.
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": 30,
                        "socket_connect_timeout": 3,
                        "health_check_interval": 15,
                    }
                ],
                "prefix": LABORCASE_CHANNEL_PREFIX,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# An open /ws/alerts/ socket checks its session or token again this often (and when its
# session would expire); sign-out and user changes close it at once (notifications.handlers).
LABORCASE_WS_RECHECK_SECONDS = float(os.environ.get("LABORCASE_WS_RECHECK_SECONDS", 60))

# Celery: Redis as broker when configured; otherwise tasks run in-process at once.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# A request hands work to the worker (notifications.tasks.enqueue) and must not hang on a
# Redis that is down or stuck: one quick retry, then the request does the work itself.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 3, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# No task is lost with a worker: a task is acknowledged only once it has run, and one
# whose worker died is given back to the queue. What the queue itself loses (Redis
# restarted without its append-only file) the PendingFollowup sweep redoes.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A new complaint's follow-up still pending this long after the filing is redone by the
# sweep (notifications.followup.followups_sweep, every minute).
LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS = int(
    os.environ.get("LABORCASE_FOLLOWUP_SWEEP_AFTER_SECONDS", 120)
)
CELERY_TIMEZONE = TIME_ZONE
# Alerts: deadline warnings and escalations every minute (cheap: near deadlines only),
# every open case re-scored nightly for the factors that move with the calendar.
# Without a broker: `python manage.py scan_alerts [--full]` from cron does the same.
CELERY_BEAT_SCHEDULE = {
    "alerts-scan": {"task": "notifications.tasks.alerts_scan", "schedule": 60.0},
    "followups-sweep": {"task": "notifications.tasks.followups_sweep", "schedule": 60.0},
    "risk-rescan-nightly": {
        "task": "notifications.tasks.risk_rescan",
        "schedule": crontab(hour=0, minute=5),
    },
    "subsidy-notices": {"task": "workflows.tasks.subsidy_notices_close", "schedule": 300.0},
    "idempotency-purge": {"task": "cases.tasks.idempotency_purge", "schedule": 3600.0},
    # Last month's statistics, kept as reported (reports/services.py).
    "monthly-report": {
        "task": "reports.tasks.monthly_report_previous_month",
        "schedule": crontab(day_of_month=1, hour=1, minute=0),
    },
    # notifications/notices.py: notices planned and sent, SMS retried, receipts polled.
    "notices-sweep": {"task": "notifications.tasks_notices.notices_sweep", "schedule": 60.0},
    # Blacklist entries whose 3 years have passed leave the list (enforcement/services.py).
    "blacklist-expire": {
        "task": "enforcement.tasks.blacklist_expire",
        "schedule": crontab(hour=0, minute=15),
    },
    # The day-before reminders of hearings, every evening at 18:00.
    "hearing-reminders": {
        "task": "notifications.tasks_notices.hearing_reminders",
        "schedule": crontab(hour=18, minute=0),
    },
}

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

# The throttles count in the cache; a real deployment shares it through Redis.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }

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

# SMS: the default backend records every message in the database and the log.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "notifications.sms.RecordingBackend")
# notifications/sms.py: at most this many texts to one phone a day; retries with back-off.
LABORCASE_SMS_DAILY_CAP = int(os.environ.get("LABORCASE_SMS_DAILY_CAP", "20"))
LABORCASE_SMS_MAX_ATTEMPTS = int(os.environ.get("LABORCASE_SMS_MAX_ATTEMPTS", "6"))
LABORCASE_SMS_RETRY_BASE_SECONDS = int(os.environ.get("LABORCASE_SMS_RETRY_BASE_SECONDS", "60"))
# The receipt push URL given to the SMS platform carries this secret (?token=...).
LABORCASE_SMS_RECEIPT_TOKEN = os.environ.get("LABORCASE_SMS_RECEIPT_TOKEN", "")
# Alibaba Cloud SMS (notifications/gateway_aliyun.py), when SMS_BACKEND names it.
ALIYUN_SMS_ACCESS_KEY_ID = os.environ.get("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = os.environ.get("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = os.environ.get("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATES = json.loads(os.environ.get("ALIYUN_SMS_TEMPLATES", "{}") or "{}")
ALIYUN_SMS_ENDPOINT = os.environ.get("ALIYUN_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
ALIYUN_SMS_PROTOCOL = os.environ.get("ALIYUN_SMS_PROTOCOL", "https")
# Links in texts (document service, signing) start with this address, as a phone sees it.
LABORCASE_PUBLIC_URL = os.environ.get("LABORCASE_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
LABORCASE_HEARING_DEFAULT_VENUE = os.environ.get(
    "LABORCASE_HEARING_DEFAULT_VENUE", "襄汾县劳动人事争议仲裁院第一仲裁庭"
)
# The phone link (notifications/service_records.py): wrong ID digits before it locks.
LABORCASE_SERVICE_LINK_MAX_FAILURES = int(
    os.environ.get("LABORCASE_SERVICE_LINK_MAX_FAILURES", "5")
)

LABORCASE_UI_NAME = _("劳动维权案件与补贴审批系统")
