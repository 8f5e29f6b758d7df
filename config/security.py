"""Response headers that depend on the request: the WebSocket origin in the CSP.

CSP's 'self' covers ws:/wss: to the same host only in newer browsers; the county's
desktops are not all new, so the command screen's and alert list's socket to this very
host is allowed by name (the host Django already validated against ALLOWED_HOSTS).
"""


class WebSocketConnectSrc:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html"):
            host = request.get_host()
            update = dict(getattr(response, "_csp_update", None) or {})
            update["connect-src"] = [f"ws://{host}", f"wss://{host}"]
            response._csp_update = update
        return response


class SameOriginWebSocket:
    """ASGI wrapper for /ws/: a socket is opened only from this site's own pages.

    channels' AllowedHostsOriginValidator compared the Origin's host name alone, so a
    page on another port or scheme of an allowed host (another service on the same
    machine, plain http beside https) could open a signed-in socket with the browser's
    cookie. Here the whole origin (scheme, host, port) must equal the socket's own: the
    Host header (checked against ALLOWED_HOSTS) with https when the proxy says the
    connection came over TLS, else http, or one of CSRF_TRUSTED_ORIGINS exactly. A refused
    handshake is closed before the application sees it.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not websocket_origin_allowed(scope):
            from channels.security.websocket import WebsocketDenier

            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin_key(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin or a 'scheme://host[:port]' string; None when
    it is not one (a path, a query, user info or an unknown scheme)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    return parts.scheme, parts.hostname, port or _DEFAULT_PORTS[parts.scheme]


def _socket_scheme(scope, headers: dict[bytes, bytes]) -> str:
    from django.conf import settings

    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header:
        # The proxy (deploy/nginx.conf) sets X-Forwarded-Proto on every request, as for HTTP.
        name, secure_value = proxy_header
        header = name.removeprefix("HTTP_").lower().replace("_", "-").encode()
        if headers.get(header, b"").decode("latin1").strip().lower() == secure_value:
            return "https"
    return "https" if scope.get("scheme") in ("wss", "https") else "http"


def websocket_origin_allowed(scope) -> bool:
    from django.conf import settings
    from django.http.request import split_domain_port, validate_host

    headers: dict[bytes, bytes] = {}
    for name, value in scope.get("headers", []):
        if name in headers and name in (b"origin", b"host"):
            return False  # two Origins or Hosts: refuse rather than pick one
        headers[name] = value
    origin = _origin_key(headers.get(b"origin", b"").decode("latin1"))
    if origin is None:
        return False
    trusted = {_origin_key(item) for item in settings.CSRF_TRUSTED_ORIGINS}
    if origin in trusted:
        return True
    host = headers.get(b"host", b"").decode("latin1").strip().lower()
    domain, _port = split_domain_port(host)
    allowed_hosts = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed_hosts:
        allowed_hosts = [".localhost", "127.0.0.1", "[::1]"]
    if not domain or not validate_host(domain, allowed_hosts):
        return False
    return origin == _origin_key(f"{_socket_scheme(scope, headers)}://{host}")
