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
