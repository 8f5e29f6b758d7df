"""Secrets: Django's key, the personal-data keys, the query-code key, the history-signing
keys. Production (DEBUG off) refuses to start without them; development derives them
from the development SECRET_KEY so that `make run` and the tests need no set-up."""

import base64
import hashlib
import os

from config.settings_parts.base import DEBUG, env_list

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
