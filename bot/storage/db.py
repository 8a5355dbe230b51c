"""Engines and units of work. SQLite is the embedded default (WAL); PostgreSQL for production."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
T = TypeVar("T")


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    engine = create_engine(parsed, connect_args={"timeout": 30}, **kwargs)
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and transactions we begin ourselves (so writers can BEGIN IMMEDIATE)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())


def note_write(session: Session, topic: str) -> None:
    """Mark that this unit of work writes to `topic` (say "outbox"); counted when it commits."""
    session.info.setdefault("topics", set()).add(topic)


class Database:
    """Owns the engine and hands out units of work; only units of work commit."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._commits: Counter[str] = Counter()
        self._commits_lock = threading.Lock()

    def commits(self, topic: str) -> int:
        """How many units of work in this process committed a write to `topic` (see note_write),
        so a reader can tell cheaply whether anything new was written since it last looked."""
        return self._commits[topic]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Session]:
        """One unit of work: commits when the block ends, rolls back when it raises.

        On SQLite a writing unit takes the write lock at BEGIN (IMMEDIATE), so two writers
        queue instead of failing halfway with "database is locked".
        """
        session = self._sessions()
        if self.is_sqlite and write:
            session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
        try:
            yield session
            session.commit()
            if topics := session.info.get("topics"):
                with self._commits_lock:
                    self._commits.update(topics)
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def retrying(self, work: Callable[..., T], *args: Any, attempts: int = 5) -> T:
        """Run `work(*args)` (a whole unit of work) again when the connection under it was lost
        (the server restarted or ended the session): the pool then hands out a fresh one. Only
        for units of work that may run twice (marking a row sent, claiming due rows)."""
        for attempt in range(1, attempts + 1):
            try:
                return work(*args)
            except DBAPIError as exc:
                if not exc.connection_invalidated or attempt == attempts:
                    raise
                log.warning("database connection lost (%s); retrying", str(exc.orig).splitlines()[0])
                time.sleep(0.05 * 2 ** attempt)  # 0.1, 0.2, 0.4, 0.8 s
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
