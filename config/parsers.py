"""The API's JSON parser: every malformed body is a 400, never a 500.

DRF's parser answers invalid JSON with a 400 but lets two valid-looking bodies through
to crash later: nesting deeper than Python's recursion limit (`[[[[...]]]]`, a
RecursionError inside the decoder) and numbers too large for a float (`1e400` becomes
infinity, which int() and Decimal fields then fail on). Both are refused here with a
message that says what is wrong.
"""

import json
import math

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "JSON嵌套层数过多。"
NUMBER_OUT_OF_RANGE = "JSON中的数字超出范围：{value}"
NOT_JSON = "请求体不是合法的JSON：{error}"


class BodyRefused(ParseError):
    """A body refused for a reason worth telling the caller (core/api_errors.py keeps
    this message; other parse errors get the generic one)."""


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
            return json_loads(text)
        except UnicodeDecodeError as error:
            raise ParseError(NOT_JSON.format(error=error)) from None


def json_loads(text: str):
    """json.loads that refuses non-finite numbers and over-deep nesting with BodyRefused,
    other invalid JSON with ParseError (also used for WebSocket frames)."""
    try:
        return json.loads(text, parse_float=_finite_float, parse_constant=_no_constant)
    except RecursionError:
        raise BodyRefused(TOO_DEEP) from None
    except _OutOfRange as error:
        raise BodyRefused(NUMBER_OUT_OF_RANGE.format(value=error.args[0])) from None
    except ValueError as error:
        raise ParseError(NOT_JSON.format(error=error)) from None


class _OutOfRange(Exception):
    pass


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _OutOfRange(text[:40])
    return value


def _no_constant(text: str):
    raise _OutOfRange(text)  # NaN, Infinity, -Infinity: not JSON
