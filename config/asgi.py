import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.sessions import CookieMiddleware  # noqa: E402

from config.security import SameOriginWebSocket  # noqa: E402
from notifications import wire  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402

wire.warm()  # the alert sender connects now, not with the first alert after a start

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The full origin (scheme, host, port) must be this site's (config/security.py).
        # Only the cookies are parsed here: the consumer checks the session (or a token)
        # itself, many sockets in one batch (notifications/auth.py), where channels'
        # AuthMiddlewareStack made two database thread hops per socket.
        "websocket": SameOriginWebSocket(CookieMiddleware(URLRouter(websocket_urlpatterns))),
    }
)
