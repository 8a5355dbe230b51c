"""The append-only audit log: who did what, when, with the state before and after."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from bot.storage.models import AuditLog, User

#: Who a change made on the command line is recorded as.
CLI_ACTOR = "administrator (CLI)"


def jsonable(value: Any) -> Any:
    """Dataclasses, enums and instants as plain JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return value


def by(user: User | None) -> dict[str, Any]:
    """`record`'s actor_id and actor_label for `user`; None: the command line's administrator."""
    return {"actor_id": user.id if user else None, "actor_label": user.nama if user else CLI_ACTOR}


def record(
    session: Session,
    *,
    at: datetime,
    action: str,
    entity: str,
    entity_id: object = None,
    actor_id: int | None = None,
    actor_label: str = "sistem",
    cycle_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    session.add(
        AuditLog(
            at=at,
            cycle_id=cycle_id,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=jsonable(before),
            after=jsonable(after),
        )
    )
