"""Identifier checks and masking. Check digits come from python-stdnum, never hand-written."""

import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

ID_NUMBER_INVALID = "身份证号码无效（位数、出生日期或校验位错误）。"
USCC_INVALID = "统一社会信用代码无效（应为18位，校验位须正确）。"
PHONE_INVALID = "手机号码格式错误（应为11位，以1开头）。"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def clean_id_number(value: str) -> str:
    """Return the compact upper-case form of a valid resident ID number."""
    try:
        return ric.validate(value or "").upper()
    except stdnum_errors.ValidationError as error:
        raise ValidationError(ID_NUMBER_INVALID, code="invalid_id_number") from error


def validate_ric(value: str) -> None:
    clean_id_number(value)


def clean_uscc(value: str) -> str:
    try:
        return uscc.validate(value or "").upper()
    except stdnum_errors.ValidationError as error:
        raise ValidationError(USCC_INVALID, code="invalid_uscc") from error


def validate_uscc(value: str) -> None:
    if value:
        clean_uscc(value)


def clean_phone(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    if not _MOBILE.match(digits):
        raise ValidationError(PHONE_INVALID, code="invalid_phone")
    return digits


def mask_id_number(value: str) -> str:
    """Keep the region prefix and the last digits: enough to tell two people apart."""
    if not value:
        return ""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return "*" * len(value or "")
    return value[:3] + "****" + value[-4:]
