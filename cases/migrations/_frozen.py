"""What the old migrations need from application code, frozen here as it was when they
were written, so that editing or moving that code (cases/pii.py, cases/validators.py ...)
can never change what an old migration does or make it fail to import.

Nothing here is edited afterwards: a change of behaviour is a new migration. The module
name starts with an underscore, so the migration loader does not take it for a migration.
Migrations of every app import it (encryption is shared); it imports no app code.

Field classes and callables that Django wrote into a migration (a field class, a
validator, a default, an upload_to) are compared by the autodetector with the live
models' ones. The copies here therefore keep the dotted path they had when the migration
was written: the field classes deconstruct to it, and the callables are `Historical`
objects equal to a function with that path. When the live code moves, the autodetector
sees the new path and writes an ordinary migration for it (no database change).
"""

import hashlib
import hmac
import re
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import models


class Historical:
    """A frozen function standing in for the one a migration named by its dotted path."""

    def __init__(self, path: str, function):
        self.path = path
        self.function = function
        self.__name__ = self.__qualname__ = path.rpartition(".")[2]

    def __call__(self, *args, **kwargs):
        return self.function(*args, **kwargs)

    def __eq__(self, other):
        if isinstance(other, Historical):
            return other.path == self.path
        name = f"{getattr(other, '__module__', '')}.{getattr(other, '__qualname__', '')}"
        return name == self.path

    def __hash__(self):
        return hash(self.path)

    def __repr__(self):
        return f"<frozen {self.path}>"


# --- personal data (cases/pii.py, 2026-11-27) ---------------------------------------------


@lru_cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("LABORCASE_PII_KEYS is empty")
    return MultiFernet([Fernet(key) for key in keys])


def encrypt(value: str) -> str:
    return _fernet(tuple(settings.LABORCASE_PII_KEYS)).encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(tuple(settings.LABORCASE_PII_KEYS)).decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "a personal-data column cannot be decrypted with LABORCASE_PII_KEYS"
        ) from error


def blind_index(value: str) -> str:
    """HMAC-SHA256 of the normalised value under LABORCASE_PII_INDEX_KEY, hex."""
    key = settings.LABORCASE_PII_INDEX_KEY.encode()
    normal = re.sub(r"\s", "", value or "").upper()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()


def encrypt_existing_rows(model, renamed: dict[str, str], index: str = "", batch: int = 1000):
    """Copy clear columns into their encrypted replacements, in batches.

    renamed maps each encrypted field to the clear column it replaces (renamed aside by
    the migration); index names a blind-index field to fill from the first of them.
    """
    fields = [*renamed, *([index] if index else [])]
    rows = []
    for row in model.objects.order_by("pk").iterator(chunk_size=batch):
        for encrypted, clear in renamed.items():
            setattr(row, encrypted, getattr(row, clear))
        if index:
            setattr(row, index, blind_index(getattr(row, next(iter(renamed.values())))))
        rows.append(row)
        if len(rows) == batch:
            model.objects.bulk_update(rows, fields)
            rows = []
    model.objects.bulk_update(rows, fields)


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the clear value."""

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "cases.pii.EncryptedTextField", args, kwargs

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def formfield(self, **kwargs):
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with "
                f"'{lookup_name}'; filter on its blind index instead"
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """HMAC of another field of the same row, kept in step on every save."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, "cases.pii.BlindIndexField", args, kwargs

    def pre_save(self, model_instance, add):
        clear = getattr(model_instance, self.source)
        value = blind_index(clear) if clear else ""
        setattr(model_instance, self.attname, value)
        return value


# --- validators (cases/validators.py) -------------------------------------------------------
# No migration runs them; they are here for the model state. The format and check-digit
# checks only (python-stdnum), not the live module's birth-date and area-code checks.

_ID_NUMBER_INVALID = "身份证号码无效（应为18位：17位数字，最后一位为数字或X）。"
_USCC_INVALID = "统一社会信用代码无效（应为18位，校验位须正确）。"


def _validate_ric(value: str) -> None:
    from stdnum.cn import ric

    number = ric.compact(value or "")
    if len(number) != 18 or not number[:-1].isdigit() or number[-1] not in "0123456789X":
        raise ValidationError(_ID_NUMBER_INVALID, code="invalid_id_number")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError(_ID_NUMBER_INVALID, code="invalid_id_number_check_digit")


def _validate_uscc(value: str) -> None:
    from stdnum import exceptions
    from stdnum.cn import uscc

    if value:
        try:
            uscc.validate(value)
        except exceptions.ValidationError as error:
            raise ValidationError(_USCC_INVALID, code="invalid_uscc") from error


validate_ric = Historical("cases.validators.validate_ric", _validate_ric)
validate_uscc = Historical("cases.validators.validate_uscc", _validate_uscc)


# --- defaults and upload paths ----------------------------------------------------------------


def _evidence_path(instance, filename):
    return f"evidence/{instance.case.number}/{instance.sha256}{instance.extension}"


def _new_generation() -> int:
    return secrets.randbits(62)


evidence_path = Historical("cases.models.evidence_path", _evidence_path)
new_generation = Historical("cases.rule_tables.new_generation", _new_generation)


# --- query codes (cases/query_codes.py) ------------------------------------------------------


def query_code_hash(code: str) -> str:
    """HMAC-SHA256 of the normalised code under LABORCASE_QUERY_CODE_KEY, hex."""
    key = settings.LABORCASE_QUERY_CODE_KEY.encode()
    normal = "".join((code or "").split()).upper()
    return hmac.new(key, normal.encode(), hashlib.sha256).hexdigest()
