"""Failed /start <token> attempts: after too many in a short window a user is told to wait.

Kept in the database (table invite_attempts), so the limit holds across every process that
serves the same database. The token is never stored nor logged: only who tried, when and why
it failed."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from bot.clock import Clock
from bot.services.errors import ServiceError
from bot.storage import Database
from bot.storage import models as m

log = logging.getLogger(__name__)

#: At most this many failed tokens per user in WINDOW; then the user waits until the oldest ages out.
MAX_FAILURES = 5
WINDOW = timedelta(minutes=10)


class TooManyAttempts(ServiceError):
    """Too many failed invite tokens lately; `until` is when the next try is accepted."""

    def __init__(self, until: datetime) -> None:
        super().__init__("directory.too_many_attempts", until=until.isoformat())
        self.until = until


@dataclass
class InviteAttempts:
    db: Database
    clock: Clock

    def check(self, telegram_id: int) -> None:
        """Raise TooManyAttempts when this user failed MAX_FAILURES times within WINDOW."""
        now = self.clock.now()
        with self.db.transaction(write=False) as s:
            recent = list(s.scalars(
                select(m.InviteAttempt.at).where(m.InviteAttempt.telegram_id == telegram_id,
                                                 m.InviteAttempt.at > now - WINDOW)
                .order_by(m.InviteAttempt.at.desc()).limit(MAX_FAILURES)))
        if len(recent) >= MAX_FAILURES:
            until = recent[-1] + WINDOW
            log.warning("invite attempt refused: telegram_id=%s waits until %s (%d failures in %s)",
                        telegram_id, until.isoformat(), len(recent), WINDOW)
            raise TooManyAttempts(until)

    def record_failure(self, telegram_id: int, reason: str) -> None:
        """Remember a failed token (never the token itself); forget entries older than the window."""
        now = self.clock.now()
        with self.db.transaction() as s:
            s.add(m.InviteAttempt(telegram_id=telegram_id, at=now, reason=reason[:32]))
            s.execute(delete(m.InviteAttempt).where(m.InviteAttempt.at <= now - WINDOW))
            s.flush()
            count = s.scalar(select(func.count()).select_from(m.InviteAttempt)
                             .where(m.InviteAttempt.telegram_id == telegram_id))
        log.warning("invite token refused for telegram_id=%s (%s); %d failure(s) in the last %s",
                    telegram_id, reason, count, WINDOW)
