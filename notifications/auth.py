"""WebSocket sign-in with an API token (`/ws/alerts/?token=...`) for clients that hold no
session cookie (the hotline desk, wall displays started by a script). A session user set
by AuthMiddlewareStack wins; the token only fills in an anonymous scope."""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser


def token_user(key: str):
    """The active user a token signs in, or None (also the socket's periodic re-check).
    The API's own check (config/settings.py REST_KNOX): digest, expiry, active user;
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
