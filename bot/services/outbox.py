"""The outbox: messages written with the change that caused them, delivered by a dispatcher."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.storage import Database
from bot.storage import models as m

PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)


def enqueue(
    session: Session,
    *,
    now: datetime,
    chat_id: int,
    kind: str,
    purpose: str,
    payload: dict[str, Any],
    user_id: int | None = None,
    cycle_id: int | None = None,
    task_id: int | None = None,
    dedup_key: str | None = None,
) -> m.Outbox:
    row = m.Outbox(
        created_at=now, chat_id=chat_id, user_id=user_id, cycle_id=cycle_id, task_id=task_id,
        kind=kind, purpose=purpose, payload=payload, dedup_key=dedup_key, status=PENDING,
        attempts=0, next_attempt_at=now,
    )
    session.add(row)
    return row


@dataclass(frozen=True)
class Delivery:
    """One claimed outbox row, as plain data for the dispatcher."""

    id: int
    chat_id: int
    kind: str
    purpose: str
    payload: dict[str, Any]
    attempts: int
    edit_message_id: int | None  # for "edit": the message to edit, when it was sent


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, now: datetime, limit: int = 50) -> list[Delivery]:
        """Lease due rows so that no other dispatcher sends them (SKIP LOCKED on PostgreSQL)."""
        with self.db.transaction() as s:
            query = (
                select(m.Outbox)
                .where(
                    or_(m.Outbox.status == PENDING,
                        (m.Outbox.status == SENDING) & (m.Outbox.locked_until < now)),
                    m.Outbox.next_attempt_at <= now,
                )
                .order_by(m.Outbox.id)
                .limit(limit)
            )
            if self.db.is_postgresql:
                query = query.with_for_update(skip_locked=True)
            rows = s.scalars(query).all()
            deliveries = []
            for row in rows:
                row.status, row.locked_until = SENDING, now + LEASE
                deliveries.append(Delivery(row.id, row.chat_id, row.kind, row.purpose,
                                           dict(row.payload), row.attempts, self._edit_target(s, row)))
            return deliveries

    @staticmethod
    def _edit_target(s: Session, row: m.Outbox) -> int | None:
        source_id = row.payload.get("source_outbox_id") if row.kind == "edit" else None
        if source_id is None:
            return row.payload.get("message_id")
        source = s.get(m.Outbox, source_id)
        return source.telegram_message_id if source else None

    def mark_sent(self, delivery_id: int, now: datetime, message_id: int | None) -> None:
        with self.db.transaction() as s:
            s.execute(update(m.Outbox).where(m.Outbox.id == delivery_id).values(
                status=SENT, sent_at=now, telegram_message_id=message_id, locked_until=None,
                attempts=m.Outbox.attempts + 1))

    def mark_cancelled(self, delivery_id: int, reason: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(m.Outbox).where(m.Outbox.id == delivery_id).values(
                status=CANCELLED, last_error=reason, locked_until=None))

    def mark_retry(self, delivery_id: int, now: datetime, error: str,
                   retry_after: float | None = None) -> bool:
        """Schedule another attempt with exponential backoff and jitter; False when given up."""
        with self.db.transaction() as s:
            row = s.get(m.Outbox, delivery_id)
            if row is None:
                return False
            row.attempts += 1
            row.last_error = error[:500]
            row.locked_until = None
            if row.attempts >= MAX_ATTEMPTS:
                row.status = FAILED
                return False
            delay = retry_after if retry_after is not None else min(2 ** row.attempts, 300)
            jitter = 0 if retry_after is not None else random.uniform(0, delay / 2)
            row.status = PENDING
            row.next_attempt_at = now + timedelta(seconds=delay + jitter)
            return True

    def mark_failed(self, delivery_id: int, error: str) -> None:
        with self.db.transaction() as s:
            s.execute(update(m.Outbox).where(m.Outbox.id == delivery_id).values(
                status=FAILED, last_error=error[:500], locked_until=None,
                attempts=m.Outbox.attempts + 1))
