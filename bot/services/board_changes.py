"""What the board's snapshot must notice: the committed writes of this process to the tables
the board reads, counted without a query.

Writes to the outbox (every reply the dispatcher claims and marks sent), to process leases and to
invite attempts change nothing the board shows, and under load they are most of the commits, so
they are not counted. Writes to `users` are counted apart as well: who may see the board is
decided from the snapshot, so a user removed or added in this process must be seen at once,
while other writes may wait for the snapshot's next rebuild (see `BoardService.min_gap`).
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from sqlalchemy import Engine, event

#: Tables whose writes the board does not show.
IGNORED = frozenset({"outbox", "process_leases", "invite_attempts"})
#: Tables that decide who may see what (a removed user must lose the board at once).
PEOPLE = frozenset({"users", "perangkat_daerah"})


def written_table(context: Any) -> str | None:
    """The table an INSERT/UPDATE/DELETE statement writes, when SQLAlchemy compiled it (None for
    raw SQL: then every counter moves)."""
    compiled = getattr(context, "compiled", None)
    table = getattr(getattr(compiled, "statement", None), "table", None)
    return getattr(table, "name", None)


class WriteCounter:
    """Counts this process's committed transactions that wrote to a table the board reads
    (`value`), and those that wrote to the people tables (`people`)."""

    _of: weakref.WeakKeyDictionary[Engine, WriteCounter] = weakref.WeakKeyDictionary()
    _of_lock = threading.Lock()

    @classmethod
    def of(cls, engine: Engine) -> WriteCounter:
        """The one counter of `engine` (its listeners are added once, when first asked for)."""
        with cls._of_lock:
            if engine not in cls._of:
                cls._of[engine] = cls(engine)
            return cls._of[engine]

    def __init__(self, engine: Engine) -> None:
        self.value = 0
        self.people = 0
        event.listen(engine, "after_cursor_execute", self._executed)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", self._rolled_back)

    @staticmethod
    def _executed(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        if context is None or not (context.isinsert or context.isupdate or context.isdelete):
            return
        table = written_table(context)
        if table in IGNORED:
            return
        conn.info["board_wrote"] = True
        if table is None or table in PEOPLE:
            conn.info["board_people"] = True

    def _committed(self, conn: Any) -> None:
        if conn.info.pop("board_wrote", False):
            self.value += 1
        if conn.info.pop("board_people", False):
            self.people += 1

    @staticmethod
    def _rolled_back(conn: Any) -> None:
        conn.info.pop("board_wrote", None)
        conn.info.pop("board_people", None)
