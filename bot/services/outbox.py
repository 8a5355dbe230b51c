"""The outbox: messages written with the change that caused them, delivered by a dispatcher."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import BindParameter, CursorResult, Select, bindparam, or_, select, update
from sqlalchemy.orm import Session

from bot import messages
from bot.roles import Peran
from bot.storage import Database, note_write
from bot.storage import models as m
from bot.storage.types import OutboxStatus

PENDING, SENDING, SENT, FAILED, CANCELLED = (OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT,
                                             OutboxStatus.FAILED, OutboxStatus.CANCELLED)
MAX_ATTEMPTS = 8
LEASE = timedelta(seconds=60)
#: The write topic of new outbox rows (`Database.commits`): the dispatcher runs when it moves.
TOPIC = "outbox"
#: Built once: the dispatcher runs it after every message it sends.
_MARK_SENT = update(m.Outbox).where(m.Outbox.id == bindparam("row")).values(
    status=SENT, sent_at=bindparam("at"), telegram_message_id=bindparam("message"), locked_until=None,
    attempts=m.Outbox.attempts + 1)


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
    note_write(session, TOPIC)
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


# Built once: the dispatcher claims after every update that wrote messages.
_CLAIMERS = (select(m.Outbox.claimed_by).distinct()
             .where(m.Outbox.status == SENDING, m.Outbox.locked_until >= bindparam("now")))


@functools.cache
def _due_query(limit: int, skip_locked: bool) -> Select[tuple[m.Outbox]]:
    """The due rows: pending, or leased with the lease run out, or leased by a dead process
    (`dead`, a list of holders); SKIP LOCKED on PostgreSQL."""
    now: BindParameter[datetime] = bindparam("now")
    query = (select(m.Outbox)
             .where(or_(m.Outbox.status == PENDING,
                        (m.Outbox.status == SENDING) & (m.Outbox.locked_until < now),
                        (m.Outbox.status == SENDING) & m.Outbox.claimed_by.in_(bindparam("dead", expanding=True))),
                    m.Outbox.next_attempt_at <= now)
             .order_by(m.Outbox.id).limit(limit))
    return query.with_for_update(skip_locked=True) if skip_locked else query


class OutboxStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def claim(self, now: datetime, limit: int = 50, holder: str | None = None,
              lease: timedelta = LEASE) -> list[Delivery]:
        """Lease due rows to `holder` so that no other dispatcher sends them (SKIP LOCKED on
        PostgreSQL). Rows leased by a process of this machine that no longer runs (killed) are
        due again at once; those of any other holder once their lease ran out."""
        from bot.storage.lease import holder_dead, process_holder

        holder = holder or process_holder()
        with self.db.transaction() as s:
            claimers = s.scalars(_CLAIMERS, {"now": now}).all()
            dead = [h for h in claimers if h != holder and holder_dead(h)]
            query = _due_query(limit, self.db.is_postgresql)
            rows = s.scalars(query, {"now": now, "dead": dead}).all()
            deliveries = []
            for row in rows:
                row.status, row.locked_until, row.claimed_by = SENDING, now + lease, holder
                payload = dict(row.payload)
                if self._edits_document(s, row):
                    payload["caption"] = True  # the message is a document: its caption is edited
                deliveries.append(Delivery(row.id, row.chat_id, row.kind, row.purpose,
                                           payload, row.attempts, self._edit_target(s, row)))
            return deliveries

    def take(self, delivery_id: int, now: datetime, holder: str | None = None,
             lease: timedelta = LEASE) -> bool:
        """Renew the lease of one claimed row right before sending it; False when it is no longer
        this holder's (its lease ran out during a long batch and another dispatcher took it)."""
        from bot.storage.lease import process_holder

        with self.db.transaction() as s:
            done = cast(CursorResult[Any], s.execute(update(m.Outbox).where(
                m.Outbox.id == delivery_id, m.Outbox.status == SENDING,
                m.Outbox.claimed_by == (holder or process_holder())).values(locked_until=now + lease)))
            return done.rowcount == 1

    @staticmethod
    def _edits_document(s: Session, row: m.Outbox) -> bool:
        source_id = row.payload.get("source_outbox_id") if row.kind == "edit" else None
        source = s.get(m.Outbox, source_id) if source_id is not None else None
        return source is not None and source.kind == "document"

    @staticmethod
    def _edit_target(s: Session, row: m.Outbox) -> int | None:
        source_id = row.payload.get("source_outbox_id") if row.kind == "edit" else None
        if source_id is None:
            return row.payload.get("message_id")
        source = s.get(m.Outbox, source_id)
        return source.telegram_message_id if source else None

    def mark_sent(self, delivery_id: int, now: datetime, message_id: int | None) -> None:
        """One UPDATE in a transaction of its own, without an ORM session: the time between
        Telegram's answer and this commit is the window in which a kill sends a message twice."""
        with self.db.engine.begin() as conn:
            conn.execute(_MARK_SENT, {"row": delivery_id, "at": now, "message": message_id})

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
                _tell_admins_of_failure(s, row, now)
                return False
            delay = retry_after if retry_after is not None else min(2 ** row.attempts, 300)
            jitter = 0 if retry_after is not None else random.uniform(0, delay / 2)
            row.status = PENDING
            row.next_attempt_at = now + timedelta(seconds=delay + jitter)
            return True

    def mark_failed(self, delivery_id: int, error: str, now: datetime | None = None) -> None:
        with self.db.transaction() as s:
            row = s.get(m.Outbox, delivery_id)
            if row is None:
                return
            row.status, row.last_error, row.locked_until = FAILED, error[:500], None
            row.attempts += 1
            if now is not None:
                _tell_admins_of_failure(s, row, now)

    def mark_unreachable(self, chat_id: int, now: datetime) -> None:
        """The person blocked the bot (403): stop writing to them and tell who can reach them."""
        from bot.services.recipients import recipients

        with self.db.transaction() as s:
            user = s.scalar(select(m.User).where(m.User.telegram_id == chat_id))
            if user is None or user.unreachable_at is not None:
                return
            user.unreachable_at = now
            s.flush()
            told: list[m.User] = []
            if user.opd_kode:
                told = [u for u in recipients(s, Peran.OPD, user.opd_kode) if u.id != user.id]
            if not told:
                told = recipients(s, Peran.TIM_SAKIP, None)
            text = messages.render("unreachable", user=user, peran=user.peran.label,
                                   opd_nama=user.opd.nama if user.opd else None)
            for other in told:
                enqueue(s, now=now, chat_id=other.telegram_id, user_id=other.id, kind="message",
                        purpose="unreachable", payload={"text": text},
                        dedup_key=f"unreachable:{user.id}:{other.id}:{now:%Y%m%d}")



def _tell_admins_of_failure(s: Session, row: m.Outbox, now: datetime) -> None:
    """Surface a message that could not be delivered to the administrators."""
    admins = s.scalars(select(m.User).where(m.User.peran == Peran.ADMIN, m.User.aktif,
                                            m.User.unreachable_at.is_(None))).all()
    target = s.scalar(select(m.User).where(m.User.telegram_id == row.chat_id))
    text = messages.render("delivery_failed", nama=target.nama if target else str(row.chat_id),
                           purpose=row.purpose, attempts=row.attempts, error=row.last_error or "-")
    for admin in admins:
        if admin.telegram_id != row.chat_id:
            enqueue(s, now=now, chat_id=admin.telegram_id, user_id=admin.id, kind="message",
                    purpose="failure", payload={"text": text}, dedup_key=f"failure:{row.id}:{admin.id}")
