"""Identifier checks and masking. Check digits come from python-stdnum, never hand-written."""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum import exceptions as stdnum_errors
from stdnum import numdb
from stdnum.cn import ric, uscc

ID_NUMBER_INVALID = "身份证号码无效（应为18位：17位数字，最后一位为数字或X）。"
ID_NUMBER_CHECK_DIGIT = "身份证号码校验位错误，请逐位核对。"
ID_NUMBER_BIRTH_DATE = "身份证号码中的出生日期无效（日期不存在或晚于今天）。"
ID_NUMBER_AREA_CODE = "身份证号码前六位的地区代码不存在。"
USCC_INVALID = "统一社会信用代码无效（应为18位，校验位须正确）。"
PHONE_INVALID = "手机号码格式错误（应为11位，以1开头）。"

_MOBILE = re.compile(r"^1[3-9]\d{9}$")


# Nobody alive was born before this year; older "birth dates" are typing slips.
_EARLIEST_BIRTH_YEAR = 1900


def clean_id_number(value: str) -> str:
    """Return the compact upper-case form of a valid resident ID number (GB 11643).

    A number keeps the area code under which it was first issued, so the code may have
    been assigned after the birth year (Xiangfen's 141023 dates from 2000 and is carried
    by people born long before). stdnum's `ric.validate` refuses those; here the check
    digit and birth date come from stdnum and the area code only has to exist in some era.
    """
    number = ric.compact(value or "")
    if len(number) != 18 or not number[:-1].isdigit() or number[-1] not in "0123456789X":
        raise ValidationError(ID_NUMBER_INVALID, code="invalid_id_number")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(ID_NUMBER_CHECK_DIGIT, code="invalid_id_number_check_digit")
    if not _birth_date_plausible(number):
        raise ValidationError(ID_NUMBER_BIRTH_DATE, code="invalid_id_number_birth_date")
    if not _area_code_ever_existed(number[:6]):
        raise ValidationError(ID_NUMBER_AREA_CODE, code="invalid_id_number_area_code")
    return number


def _birth_date_plausible(number: str) -> bool:
    try:
        born = ric.get_birth_date(number)
    except stdnum_errors.ValidationError:
        return False
    return _EARLIEST_BIRTH_YEAR <= born.year and born <= timezone.localdate()


@functools.lru_cache(maxsize=8192)  # a fixed table: a few thousand codes, looked up often
def _area_code_ever_existed(code: str) -> bool:
    """True when stdnum's table knows the code as a county in any year ("[-2000]襄汾县")."""
    found = dict(numdb.get("cn/loc").info(code))
    return bool(found.get(code[2:], {}).get("county"))


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


def mask_name(value: str) -> str:
    """张三丰 -> 张**: enough for a worker to find their own line."""
    value = (value or "").strip()
    return value[:1] + "*" * max(len(value) - 1, 1) if value else ""


def mask_phone(value: str) -> str:
    if not value or len(value) < 7:
        return "*" * len(value or "")
    return value[:3] + "****" + value[-4:]
