"""Personal data at rest: ID numbers and phone numbers never reach the database in clear.

Two keys, both from the environment in production (settings.LABORCASE_PII_KEYS,
settings.LABORCASE_PII_INDEX_KEY):

- the value itself is stored as a Fernet token (AES-128-CBC + HMAC-SHA256). MultiFernet
  decrypts with any listed key and encrypts with the first, so a key can be rotated by
  putting the new one first and running `manage.py pii_rotate`;
- finding a person by ID number uses a blind index: HMAC-SHA256 of the normalised value
  under a second key. Equal numbers give equal indexes, so lookups and the unique
  constraint work, but a database dump without the key reveals nothing, and the index
  key cannot decrypt.

EncryptedTextField refuses every lookup except isnull: a filter on a ciphertext column
can never match (each token has a random IV), so it must fail loudly, not return nothing.
"""

import hashlib
import hmac
import re
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver


@cache
def _fernet() -> MultiFernet:
    keys = settings.LABORCASE_PII_KEYS
    if not keys:
        raise ImproperlyConfigured("LABORCASE_PII_KEYS is empty")
    return MultiFernet([Fernet(key) for key in keys])


@receiver(setting_changed)
def _keys_changed(*, setting, **kwargs):
    if setting == "LABORCASE_PII_KEYS":
        _fernet.cache_clear()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        # Wrong or missing key, or an altered row: never hand out a ciphertext as data.
        raise ImproperlyConfigured(
            "a personal-data column cannot be decrypted with LABORCASE_PII_KEYS"
        ) from error


def encrypted_models():
    """(model, encrypted field names, blind-index fields) for every model with personal data."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        fields = model._meta.concrete_fields
        encrypted = [f.name for f in fields if isinstance(f, EncryptedTextField)]
        indexes = [f for f in fields if isinstance(f, BlindIndexField)]
        if encrypted or indexes:
            found.append((model, encrypted, indexes))
    return found


def encrypt_existing_rows(model, renamed: dict[str, str], index: str = "", batch: int = 1000):
    """Copy clear columns into their encrypted replacements, in batches (for migrations).

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


def normalize(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def blind_index(value: str) -> str:
    """The searchable stand-in for a value: HMAC of its normalised form, hex."""
    key = settings.LABORCASE_PII_INDEX_KEY.encode()
    return hmac.new(key, normalize(value).encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python code sees the clear value."""

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
        # One-line values (an ID number, a phone), whatever the column type.
        return super().formfield(**{"widget": forms.TextInput, **kwargs})

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            raise FieldError(
                f"{self.model.__name__}.{self.name} is encrypted and cannot be searched with "
                f"'{lookup_name}'; filter on its blind index (core.pii.blind_index) instead"
            )
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """HMAC of another field of the same row, kept in step on every save and bulk insert."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        # save(update_fields=[source]) without the index would leave it stale: refuse it
        # loudly. (QuerySet.update and bulk_update bypass save(); set the index there.)
        models.signals.pre_save.connect(_index_with_its_source, sender=cls, weak=False)

    def pre_save(self, model_instance, add):
        clear = getattr(model_instance, self.source)
        value = blind_index(clear) if clear else ""
        setattr(model_instance, self.attname, value)
        return value


def _index_with_its_source(sender, instance, update_fields=None, **kwargs):
    if not update_fields:
        return
    for field in sender._meta.concrete_fields:
        if not isinstance(field, BlindIndexField):
            continue
        if field.source in update_fields and field.name not in update_fields:
            raise ValueError(
                f"save {sender.__name__}.{field.source} together with {field.name} "
                f"(update_fields={sorted(update_fields)}): the blind index would go stale"
            )
