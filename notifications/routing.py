"""WebSocket routes. The alert consumer arrives with the alerts work (/ws/alerts/)."""

websocket_urlpatterns: list = []
