"""WebSocket routes (config/asgi.py checks the origin and parses the cookies)."""

from django.urls import path

from notifications.consumers import AlertConsumer

websocket_urlpatterns = [
    path("ws/alerts/", AlertConsumer.as_asgi()),
]
