"""Who a /ws/alerts/ socket is signed in as: its session cookie, or else an API token in
its query string (`/ws/alerts/?token=...`, for clients that hold no session cookie: the
hotline desk, wall displays started by a script). A session that signs a user in wins;
the token only counts without one.

sign_ins checks many sockets at once in a fixed number of queries (sessions, tokens,
users, their groups and townships), whatever their number. The consumer asks it when a
socket connects (the sockets connecting meanwhile share one call) and again for every
open socket of a server process each LABORCASE_WS_RECHECK_SECONDS
(notifications.sign_in_watch): one call a socket, several queries each, had
kept a server's one database thread busy enough at 4,000 sockets that new sockets
waited past daphne's handshake timeout (docs/performance.md).

The checks are Django's and knox's own, read in bulk: an unexpired session whose user
the session's backend still accepts (an active user) with a matching auth hash, or a
token whose digest matches and that has not expired (using it pushes its idle expiry on,
as an API request does).
"""

import binascii
import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from hmac import compare_digest
from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from core import roles
from notifications.audience import Audience, alert_audience

# Each query's IN list stays well within SQLite's limit on parameters.
CHUNK = 500


@dataclass(frozen=True)
class Credentials:
    """What a socket signs in with (None: not given, or not what signed it in)."""

    session_key: str | None = None
    token_key: str | None = None

    @classmethod
    def of(cls, scope) -> "Credentials":
        """The session cookie and the `token` query parameter of a socket's handshake
        (config/asgi.py parses the cookies)."""
        cookie = scope.get("cookies", {}).get(settings.SESSION_COOKIE_NAME) or None
        token = (query_params(scope).get("token") or [""])[0].strip() or None
        return cls(session_key=cookie, token_key=token)


def query_params(scope) -> dict[str, list[str]]:
    """The query parameters of a socket's handshake (`?token=...&figures=0`)."""
    return parse_qs(scope.get("query_string", b"").decode("latin1"))


@dataclass
class SignIn:
    user: object
    # What signed the socket in (the session, or else the token): the re-check asks it
    # again, and a sign-out closes the sockets of its session (consumers.session_close).
    credentials: Credentials
    audience: Audience
    # When the session ends (None for a token, or a session engine without a table:
    # those are checked every interval only).
    expires_at: dt.datetime | None = None


def sign_ins(credentials: Sequence[Credentials]) -> list[SignIn | None]:
    """The sign-in of each socket (None: signed in by neither its session nor its
    token), in a fixed number of queries for up to CHUNK sockets."""
    now = timezone.now()
    sessions = _sessions({c.session_key for c in credentials if c.session_key}, now)
    tokens = _tokens({c.token_key for c in credentials if c.token_key}, now)
    users = _users(
        {user_id for _data, user_id, _expiry in sessions.values() if user_id is not None}
        | {token.user_id for token in tokens.values()}
    )
    found: list[SignIn | None] = []
    for given in credentials:
        sign_in = _by_session(given.session_key, sessions, users)
        if sign_in is None and given.token_key in tokens:
            user = users.get(tokens[given.token_key].user_id)
            if user is not None and user.is_active:  # knox's validate_user
                sign_in = SignIn(user, Credentials(token_key=given.token_key), alert_audience(user))
        found.append(sign_in)
    _tokens_renew([tokens[s.credentials.token_key] for s in found if s and s.credentials.token_key])
    return found


# --- sessions: Django's SessionStore.load and auth.get_user, for many at once -------------


def _sessions(keys: set[str], now) -> dict[str, tuple[dict, object, dt.datetime | None]]:
    """session key -> (its data, the user id in it or None, when it ends) for the
    sessions that exist and have not expired."""
    if not keys:
        return {}
    engine = import_string(settings.SESSION_ENGINE)
    store = engine.SessionStore()
    loaded: dict[str, tuple[dict, dt.datetime | None]] = {}
    if hasattr(store, "get_model_class"):  # the database engines: one query
        rows = store.get_model_class().objects.filter(session_key__in=keys, expire_date__gt=now)
        for key, data, expires in rows.values_list("session_key", "session_data", "expire_date"):
            loaded[key] = (store.decode(data), expires)  # a bad signature decodes to {}
    else:  # the cache or signed cookies: the engine's own load, one session at a time
        for key in keys:
            loaded[key] = (engine.SessionStore(key).load(), None)
    return {key: (data, _user_id(data), expires) for key, (data, expires) in loaded.items()}


def _user_id(data: dict):
    try:
        return get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except (KeyError, ValidationError):
        return None


def _by_session(key, sessions, users) -> SignIn | None:
    """Django's auth.get_user for one session, with the user read in bulk when the
    session's backend reads users as ModelBackend does."""
    if key not in sessions:
        return None
    data, user_id, expires_at = sessions[key]
    backend_path = data.get(BACKEND_SESSION_KEY)
    if user_id is None or backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    backend = load_backend(backend_path)
    if type(backend).get_user is ModelBackend.get_user:
        user = users.get(user_id)
        user = user if user is not None and backend.user_can_authenticate(user) else None
    else:  # a backend of its own kind: its own query
        user = backend.get_user(user_id)
    if user is None or not _session_hash_verified(data.get(HASH_SESSION_KEY), user):
        return None
    return SignIn(user, Credentials(session_key=key), alert_audience(user), expires_at)


def _session_hash_verified(session_hash: str | None, user) -> bool:
    """The session was made with the user's current password (or under a previous
    SECRET_KEY still in SECRET_KEY_FALLBACKS: Django's get_user then moves the session
    to the current key, which the browser's next request does here)."""
    if not session_hash:
        return False
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    return any(
        constant_time_compare(session_hash, fallback)
        for fallback in user.get_session_auth_fallback_hash()
    )


# --- tokens: knox's TokenAuthentication.authenticate_credentials, for many at once --------


def _tokens(keys: set[str], now) -> dict:
    """token -> its unexpired AuthToken row."""
    from knox.crypto import hash_token
    from knox.models import get_token_model
    from knox.settings import CONSTANTS

    if not keys:
        return {}
    length = CONSTANTS.TOKEN_KEY_LENGTH
    by_prefix = defaultdict(list)
    for row in get_token_model().objects.filter(token_key__in={key[:length] for key in keys}):
        by_prefix[row.token_key].append(row)
    found = {}
    for key in keys:
        try:
            digest = hash_token(key)
        except (TypeError, ValueError, binascii.Error):
            continue
        for row in by_prefix[key[:length]]:
            if compare_digest(digest, row.digest):
                if row.expiry is None or row.expiry >= now:
                    found[key] = row
                break
    return found


def _tokens_renew(rows) -> None:
    """knox's renew_token: a use pushes a token's expiry TOKEN_TTL on, never past
    AUTO_REFRESH_MAX_TTL from its issue, and writes only when that moves it more than
    MIN_REFRESH_INTERVAL. One UPDATE per new expiry: all of them share one but those at
    their cap."""
    from knox.models import get_token_model
    from knox.settings import knox_settings

    if not knox_settings.AUTO_REFRESH:
        return
    now = timezone.now()
    by_expiry = defaultdict(set)
    for row in rows:
        if row.expiry is None:
            continue
        new_expiry = now + knox_settings.TOKEN_TTL
        if knox_settings.AUTO_REFRESH_MAX_TTL is not None:
            new_expiry = min(new_expiry, row.created + knox_settings.AUTO_REFRESH_MAX_TTL)
        if (new_expiry - row.expiry).total_seconds() > knox_settings.MIN_REFRESH_INTERVAL:
            by_expiry[new_expiry].add(row.digest)
    for new_expiry, digests in by_expiry.items():
        get_token_model().objects.filter(digest__in=digests).update(expiry=new_expiry)


# --- users --------------------------------------------------------------------------------


def _users(ids: set) -> dict:
    """id -> user, with the roles and townships that alert_audience reads filled in."""
    if not ids:
        return {}
    users = list(get_user_model().objects.filter(pk__in=ids).select_related("staff_profile"))
    roles.remember_roles(users)
    return {user.pk: user for user in users}
