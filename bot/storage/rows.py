"""Reading a row that must exist: the one a foreign key or a caller's id points at."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")


class RowMissing(LookupError):
    """A row that must exist does not (a broken reference, or one deleted meanwhile)."""


def get_row(s: Session, model: type[T], ident: Any) -> T:
    """`s.get(model, ident)`, never None: RowMissing instead."""
    row = s.get(model, ident)
    if row is None:
        raise RowMissing(f"{model.__name__} {ident!r} does not exist")
    return row
