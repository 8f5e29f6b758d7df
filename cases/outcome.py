"""What a case decided so far (Case.outcome): the order to pay, the penalty, the mediation
agreement and its instalments, the award, the police referral.

Stored as one JSON object (the keys are the field names below; a key is absent until the
transition that decides it has run, see cases.lifecycle), read as an Outcome. An Outcome
also reads like the dict it is stored as (outcome["awarded_on"], outcome.get(...),
"award_items" in outcome, {**outcome, ...}), which is how the transitions, documents and
serializers use it; assigning a dict to Case.outcome makes it an Outcome.
"""

import dataclasses
import json
from collections.abc import Iterator, Mapping
from typing import Any, TypedDict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.query_utils import DeferredAttribute


class Instalment(TypedDict):
    due_date: str  # ISO date
    amount: str  # yuan, as text
    paid: bool


class AwardItem(TypedDict):
    claim: int  # Claim id
    claimant: str
    item: str  # cases.lifecycle award item code
    amount: str  # yuan, as text
    final: bool  # a final award for this item (Labour Dispute Law art.47)


@dataclasses.dataclass
class Outcome(Mapping):
    # order to pay (wage arrears): record_order
    ordered_amount: str | None = None
    # penalty for not paying by the order's date: penalize
    compensation_percent: int | None = None
    additional_compensation: str | None = None
    penalty_amount: str | None = None
    decision_number: str | None = None
    # referral to the police (Criminal Law 276-1): transfer
    police_threshold_met: bool | None = None
    override_reason: str | None = None
    # mediation agreement: settle
    agreement_signed_on: str | None = None  # ISO date
    agreed_amount: str | None = None
    recovered_before_settlement: str | None = None
    instalments: list[Instalment] | None = None
    # arbitration: postpone, award
    postponed_from: str | None = None  # ISO date
    award_items: list[AwardItem] | None = None
    final_award_limit: str | None = None
    default_award: bool | None = None
    awarded_on: str | None = None  # ISO date
    # keys this class does not name (older rows), kept as they were
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, value: "Outcome | Mapping[str, Any] | None") -> "Outcome":
        if isinstance(value, Outcome):
            return value
        if isinstance(value, str):  # a form's or fixture's JSON text
            value = json.loads(value)
        named = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        data = dict(value or {})
        extra = {k: data.pop(k) for k in list(data) if k not in named}
        return cls(**data, extra=extra)

    def as_dict(self) -> dict[str, Any]:
        """The stored JSON object: only the keys that were decided."""
        return dict(self)

    # Mapping: the stored keys, the named ones first.
    def __getitem__(self, key: str) -> Any:
        if key != "extra" and key in self.__dataclass_fields__:
            value = getattr(self, key)
            if value is not None:
                return value
        elif key in self.extra:
            return self.extra[key]
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        for f in dataclasses.fields(self):
            if f.name != "extra" and getattr(self, f.name) is not None:
                yield f.name
        yield from self.extra

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self) == dict(other)
        return NotImplemented


class OutcomeEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, Outcome):
            return o.as_dict()
        return super().default(o)


class _OutcomeAttribute(DeferredAttribute):
    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = Outcome.of(value)


class OutcomeField(models.JSONField):
    """A JSON column read as an Outcome. In migrations it is a plain JSONField (see
    deconstruct): the column and its contents are the same."""

    descriptor_class = _OutcomeAttribute

    def __init__(self, *args, **kwargs):
        kwargs["encoder"] = OutcomeEncoder
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        # The whole object; a key of it (values("outcome__awarded_on")) stays as it is.
        return Outcome.of(value) if value is None or isinstance(value, dict) else value

    def to_python(self, value):
        return Outcome.of(super().to_python(value))

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("encoder", None)
        return name, "django.db.models.JSONField", args, kwargs
