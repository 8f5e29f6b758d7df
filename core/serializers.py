"""Serializer fields every app's API shares: townships, ID numbers, phones, credit codes.

Each identifier field is a plain text field whose value, once it has passed the usual
checks (required, blank, length), is cleaned by core.validators; a failed check is a
field error with the validator's message.
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.fields import empty

from core import selectors, validators
from core.models import Township

UNKNOWN_TOWNSHIP = "未知的乡镇代码“{code}”。可选：{choices}。"


class InputSerializer(serializers.Serializer):
    """A serializer of what a request sends, whose fields are copied for each request
    without rebuilding them. DRF deep-copies every declared field for every serializer
    it makes, which re-runs each field's __init__ (its validators, its messages): for a
    complaint that was about a tenth of the filing's CPU (docs/performance.md). A plain
    field is copied shallowly instead: bind() then sets its name, parent and source on
    the copy, and what the copies share (validators, messages, choices) is only read
    after __init__. A nested serializer is still deep-copied: it keeps its bound fields
    and must not share them between requests."""

    def get_fields(self):
        return {
            name: copy.deepcopy(field)
            if isinstance(field, serializers.BaseSerializer)
            else copy.copy(field)
            for name, field in self._declared_fields.items()
        }


def django_to_drf(check, value):
    """check(value), with Django's ValidationError turned into DRF's."""
    try:
        return check(value)
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.messages) from error


class TownshipSerializer(serializers.ModelSerializer):
    class Meta:
        model = Township
        fields = ["code", "name"]


class TownshipField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Township.objects.all(), **kwargs)

    def to_internal_value(self, data):
        townships = selectors.townships_by_code()
        township = townships.get(str(data).strip())
        if township is None:
            choices = "、".join(townships)
            raise serializers.ValidationError(UNKNOWN_TOWNSHIP.format(code=data, choices=choices))
        return township


class _CleanedCharField(serializers.CharField):
    clean = staticmethod(lambda value: value)

    def run_validation(self, data=empty):
        value = super().run_validation(data)
        return django_to_drf(self.clean, value) if value else value


class IdNumberField(_CleanedCharField):
    """A resident ID number, returned in its compact upper-case form."""

    clean = staticmethod(validators.clean_id_number)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)


class PhoneField(_CleanedCharField):
    """A mobile number, returned as its 11 digits."""

    clean = staticmethod(validators.clean_phone)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class UsccField(_CleanedCharField):
    """A unified social credit code (统一社会信用代码); blank allowed unless told."""

    clean = staticmethod(validators.clean_uscc)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)
