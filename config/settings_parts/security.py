"""Sign-in, passwords and sessions; the Content Security Policy and the other response
headers; HTTPS in production (docs/security.md)."""

import os

from config.settings_parts.base import DEBUG, env_bool

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
_https = env_bool("HTTPS", not DEBUG)
# Off, each name holds Django's own default: spelled out so every setting is always here.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _https else None
SECURE_SSL_REDIRECT = _https
# The proxy's health check speaks plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"] if _https else []
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 3600)) if _https else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SESSION_COOKIE_HTTPONLY = True
