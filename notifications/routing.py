"""WebSocket routes (config/asgi.py wraps them in the session AuthMiddlewareStack)."""

from django.urls import path

from notifications.auth import TokenAuthMiddleware
from notifications.consumers import AlertConsumer

websocket_urlpatterns = [
    path("ws/alerts/", TokenAuthMiddleware(AlertConsumer.as_asgi())),
]
