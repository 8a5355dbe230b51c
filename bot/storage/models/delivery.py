"""Delivery and processes: the outbox of messages to send, and the lease one process holds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base
from bot.storage.types import EnumText, OutboxStatus


class Outbox(Base):
    """A message to deliver. Written in the transaction of the change that caused it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime]
    chat_id: Mapped[int]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # message | document | edit
    purpose: Mapped[str] = mapped_column(String(32))  # task | info | reminder | escalation | ...
    payload: Mapped[dict[str, Any]]
    dedup_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[OutboxStatus] = mapped_column(EnumText(OutboxStatus, 16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(200))  # the process that holds the lease
    last_error: Mapped[str | None] = mapped_column(Text)
    telegram_message_id: Mapped[int | None]
    sent_at: Mapped[datetime | None]


class ProcessLease(Base):
    """A named lease one process holds at a time (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "process_leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))  # host:pid:nonce
    acquired_at: Mapped[datetime]
    expires_at: Mapped[datetime]
