"""JSON errors under /api/, plain pages elsewhere; 503 while the database is unreachable."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views import defaults

logger = logging.getLogger(__name__)

DATABASE_UNAVAILABLE = "系统暂时无法连接数据库，请稍后重试。"
# A PostgreSQL restart or fail-over takes seconds to a minute: ask clients to come back
# after that rather than hammering a server that cannot answer.
RETRY_AFTER_SECONDS = 30
DATABASE_UNAVAILABLE_PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8"><title>服务暂时不可用</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><h1>服务暂时不可用</h1><p>{message}</p>
<p>如果您刚才在提交投诉，请稍后重新提交；已经提交成功的投诉不会丢失。</p></body></html>
"""


def not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "未找到。", "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    # Called inside Django's except block: a database outage raised outside a view (in
    # a middleware, say) still gets the 503, not a 500.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request, sys.exc_info()[1])
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "服务器内部错误，请稍后重试。", "errors": {}}, status=500)
    return defaults.server_error(request)


def is_database_unavailable(error) -> bool:
    """Connection refused or lost, the pool timed out waiting for a connection, a
    connection already closed: the request may succeed if tried again later.

    OperationalError also covers deadlocks and serialization failures, which are just as
    transient, so they get the same answer.
    """
    return isinstance(error, (OperationalError, InterfaceError))


def database_unavailable(request, error) -> HttpResponse:
    """503 with Retry-After, in Chinese; the page renders no template (templates may
    need the database: the user, the session)."""
    logger.warning("database unavailable for %s %s: %r", request.method, request.path, error)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE, "errors": {}}, status=503)
    else:
        page = DATABASE_UNAVAILABLE_PAGE.format(message=escape(DATABASE_UNAVAILABLE))
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view that loses the database answers 503, whatever DEBUG says (server_error
    above covers the rest, with DEBUG off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            return database_unavailable(request, exception)
        return None
