"""Column types of our own: enums stored as their plain string values.

`EnumText(Peran, 16)` is a VARCHAR(16) holding `Peran.SEKDA.value` ("sekda"): the stored
strings are the ones the columns always held (no migration), the ORM hands back the enum member,
and a value that is not a member fails when it is written or read instead of slipping through.
`coerce_enum_attributes` makes an attribute set from a plain string ("sekda") hold the member
at once, so a new row reads like a loaded one before it is flushed.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from typing import Any, Generic, TypeVar

from sqlalchemy import String, event
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E], Generic[E]):
    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: Any) -> E | None:
        return None if value is None else self.enum(value)


def _to_member(enum: type[StrEnum], target: object, value: Any, old: object, initiator: object) -> Any:
    return None if value is None else enum(value)


def coerce_enum_attributes(base: type[DeclarativeBase]) -> None:
    """Every EnumText attribute of `base`'s models turns a string it is given into the member."""
    for mapper in base.registry.mappers:
        for prop in mapper.column_attrs:
            for column in prop.columns:
                if isinstance(column.type, EnumText):
                    event.listen(getattr(mapper.class_, prop.key), "set",
                                 partial(_to_member, column.type.enum), retval=True)


class OutboxStatus(StrEnum):
    """Where an outbox row stands (bot/services/outbox.py)."""

    PENDING = "pending"
    SENDING = "sending"  # leased by a dispatcher
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
