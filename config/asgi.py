import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from config.security import SameOriginWebSocket  # noqa: E402
from notifications import wire  # noqa: E402
from notifications.routing import websocket_urlpatterns  # noqa: E402

wire.warm()  # the alert sender connects now, not with the first alert after a start

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # The full origin (scheme, host, port) must be this site's (config/security.py).
        "websocket": SameOriginWebSocket(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
