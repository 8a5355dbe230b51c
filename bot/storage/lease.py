"""One `esakip-bot run` per database: a lease the receiving process holds while it runs.

On PostgreSQL the lease is a session advisory lock held on a connection of its own: the server
lets go of it the moment that process or its connection dies. On SQLite it is a row in
`process_leases` with the holder and an expiry the holder renews; another process takes it over
once it expired, or at once when the holder was a process on this machine that no longer runs.
Outbox rows claimed by a process name the same holder, so a dead claimer's rows are taken over
as soon as it is known to be dead (see `holder_dead`).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any, cast
from pathlib import Path

from sqlalchemy import Connection, CursorResult, delete, text, update

from bot.storage import models as m
from bot.storage.db import Database

log = logging.getLogger(__name__)

#: How long a lease row stays valid without renewal, and how often the holder renews it.
TTL = timedelta(seconds=30)
RENEW_SECONDS = 10.0
#: The advisory lock key of `esakip-bot run` (any fixed 64-bit number; "esakip-run").
ADVISORY_KEY = 0x65_73_61_6B_69_70_72

_holder: tuple[int, str] | None = None


def process_holder() -> str:
    """This process's holder id, `host:pid:nonce` (a new one after a fork)."""
    global _holder
    if _holder is None or _holder[0] != os.getpid():
        _holder = (os.getpid(), f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}")
    return _holder[1]


def pid_alive(pid: int) -> bool:
    """Whether process `pid` runs on this machine (a zombie, killed but not reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def holder_dead(holder: str | None) -> bool:
    """True when `holder` names a process on this machine that is no longer running; a holder on
    another machine is never known dead here (its lease runs out instead)."""
    if not holder:
        return False
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or holder == process_holder():
        return False
    if int(pid) == os.getpid():  # an earlier process with our PID (PID 1 in a container, say)
        return True
    return not pid_alive(int(pid))


def describe(holder: str) -> str:
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    return f"host {host}, PID {pid}" if pid else holder


class LeaseHeld(Exception):
    """Another process holds the lease; the message is one line for the operator."""


class RowLease:
    """The lease as a row with an expiry (SQLite, or any engine without advisory locks)."""

    def __init__(self, db: Database, name: str = "run", holder: str | None = None) -> None:
        self.db, self.name, self.holder = db, name, holder or process_holder()

    def acquire(self, now: datetime) -> None:
        with self.db.transaction() as s:
            row = s.get(m.ProcessLease, self.name)
            if row is None:
                s.add(m.ProcessLease(name=self.name, holder=self.holder, acquired_at=now, expires_at=now + TTL))
                return
            if row.holder != self.holder and row.expires_at > now and not holder_dead(row.holder):
                raise LeaseHeld(f"{describe(row.holder)}, berlaku sampai {row.expires_at:%H:%M:%S} UTC")
            if row.holder != self.holder:
                log.warning("lease %r taken over from %s (expired or no longer running)", self.name, row.holder)
                row.holder, row.acquired_at = self.holder, now
            row.expires_at = now + TTL

    def renew(self, now: datetime) -> bool:
        """Extend the lease; False when another process has taken it over meanwhile."""
        with self.db.transaction() as s:
            done = cast(CursorResult[Any], s.execute(update(m.ProcessLease)
                             .where(m.ProcessLease.name == self.name, m.ProcessLease.holder == self.holder)
                             .values(expires_at=now + TTL)))
            return done.rowcount == 1

    def release(self) -> None:
        with self.db.transaction() as s:
            s.execute(delete(m.ProcessLease).where(m.ProcessLease.name == self.name,
                                                   m.ProcessLease.holder == self.holder))


class AdvisoryLease:
    """The lease as a PostgreSQL session advisory lock on a dedicated connection."""

    def __init__(self, db: Database, key: int = ADVISORY_KEY, holder: str | None = None) -> None:
        self.db, self.key, self.holder = db, key, holder or process_holder()
        self._conn: Connection | None = None

    def _try_lock(self) -> bool:
        conn = self.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            if got:
                conn.execute(text("SELECT set_config('application_name', :n, false)"),
                             {"n": f"esakip-bot run {self.holder}"[:63]})
        except Exception:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def _who(self) -> str:
        with self.db.engine.connect() as conn:
            name = conn.execute(text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted "
                "AND ((l.classid::bigint << 32) | l.objid::bigint) = :k LIMIT 1"), {"k": self.key}).scalar()
        return describe(name.removeprefix("esakip-bot run ")) if name else "proses lain"

    def acquire(self, now: datetime) -> None:
        if not self._try_lock():
            raise LeaseHeld(self._who())

    def renew(self, now: datetime) -> bool:
        """Check the lock's connection; when it died (the server ended it), lock again on a new
        one. False when another process took the lock in between."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # noqa: BLE001  (a dead connection: its lock is gone with it)
                log.warning("the lease connection was lost; taking the lease again")
                self._drop()
        return self._try_lock()

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:  # noqa: BLE001
                pass
            self._conn = None

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            self._conn.close()
        except Exception:  # noqa: BLE001  (closing the connection lets go of the lock anyway)
            self._drop()
        self._conn = None


def run_lease(db: Database) -> RowLease | AdvisoryLease:
    return AdvisoryLease(db) if db.is_postgresql else RowLease(db)
