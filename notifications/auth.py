"""WebSocket sign-in with an API token (`/ws/alerts/?token=...`) for clients that hold no
session cookie (the hotline desk, wall displays started by a script). A session user set
by AuthMiddlewareStack wins; the token only fills in an anonymous scope.

Also the checks an open socket repeats while it lives (session_expiry, sign_in_holds)."""

import datetime as dt
from types import SimpleNamespace
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.utils.module_loading import import_string


def token_user(key: str):
    """The active user a token signs in, or None (also the socket's periodic re-check).
    The API's own check (REST_KNOX, config/settings_parts/api.py): digest, expiry, active user;
    opening a socket counts as using the token and pushes its idle expiry on."""
    from knox.auth import TokenAuthentication
    from rest_framework.exceptions import AuthenticationFailed

    try:
        user, _token = TokenAuthentication().authenticate_credentials(key.encode())
    except AuthenticationFailed:
        return None
    return user


_user_for_token = database_sync_to_async(token_user)


class TokenAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            query = parse_qs(scope.get("query_string", b"").decode("latin1"))
            key = (query.get("token") or [""])[0].strip()
            if key:
                user = await _user_for_token(key)
                # The consumer re-checks the token while the socket is open.
                scope = dict(scope, user=user or AnonymousUser(), auth_token=key if user else None)
        return await self.inner(scope, receive, send)


# --- the open socket's sign-in, re-checked while it lives (notifications.consumers) -----


def session_expiry(session_key: str | None) -> dt.datetime | None:
    """When a database session ends (None for a token, or another session engine:
    those are checked every interval)."""
    if not session_key:
        return None
    store = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
    if not hasattr(store, "get_model_class"):
        return None
    sessions = store.get_model_class().objects.filter(session_key=session_key)
    return sessions.values_list("expire_date", flat=True).first()


def sign_in_holds(
    *, user_id: int, token_key: str | None, session_key: str | None, groups: list[str]
) -> tuple[bool, dt.datetime | None]:
    """(still signed in as the same user with the same groups, when the session
    expires). Runs Django's own session check (auth hash, active user)."""
    from notifications.audience import alert_audience

    expires_at = None
    if token_key:
        user = token_user(token_key)
    elif session_key:
        store = import_string(settings.SESSION_ENGINE).SessionStore(session_key)
        user = get_user(SimpleNamespace(session=store))
        expires_at = session_expiry(session_key)
    else:
        user = None
    if user is None or not user.is_authenticated or user.pk != user_id:
        return False, None
    if not user.is_active or alert_audience(user).groups != groups:
        return False, None
    return True, expires_at
