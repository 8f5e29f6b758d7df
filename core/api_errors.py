"""Every API error as JSON: {"detail": "...", "errors": {"field": ["..."]}}."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.parsers import BodyRefused
from core import errors

INPUT_INVALID = "输入有误，请按提示修改。"
MALFORMED_BODY = "请求格式错误：请求体不是有效的JSON或表单数据。"


# The one place a domain error becomes an HTTP status (the most specific class wins).
DOMAIN_STATUS = {
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.Forbidden: status.HTTP_403_FORBIDDEN,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.InvalidInput: status.HTTP_400_BAD_REQUEST,
    errors.TooLarge: status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
}


def domain_status(error: errors.DomainError) -> int:
    for kind in type(error).__mro__:
        if kind in DOMAIN_STATUS:
            return DOMAIN_STATUS[kind]
    return status.HTTP_400_BAD_REQUEST


def exception_handler(exc, context):
    if isinstance(exc, errors.DomainError):
        body = {"detail": exc.message, "errors": exc.errors}
        return Response(body, status=domain_status(exc))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound("未找到。")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = response.data
        response.data = {
            "detail": INPUT_INVALID,
            "errors": detail if isinstance(detail, dict) else {"non_field_errors": detail},
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": str(response.data["detail"]), "errors": {}}
    if isinstance(exc, exceptions.ParseError) and not isinstance(exc, BodyRefused):
        response.data = {"detail": MALFORMED_BODY, "errors": {}}
    if isinstance(exc, exceptions.Throttled):
        response.data["detail"] = f"请求过于频繁，请{exc.wait or 60:.0f}秒后再试。"
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response.data["detail"] = "请先登录。"
    return response
