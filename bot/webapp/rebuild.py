"""The board's snapshot rebuilt in a process of its own, so that serving the board never delays an
update (issue 16).

A rebuild is 7-11 ms of Python at 40 OPDs (the recap of every OPD, the officials' open tasks, the
JSON everyone who sees all shares), far more at 500. Run in a thread of the bot, it held the one
interpreter lock the event loop and every update's database work need, so updates handled
meanwhile waited for it. In a child process it runs on another core against the same database
(it reads only); the bot unpickles the result, about 0.25 ms at 40 OPDs, and decides as before
when a snapshot is stale and who may see what (bot/services/board.py). If the child cannot be
started or dies, the bot logs it and rebuilds in its own threads again.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, tzinfo
from typing import Any

from bot.services.board import BoardService, Snapshot
from bot.sop.definition import SopDefinition
from bot.webapp.payload import board_json

log = logging.getLogger(__name__)

#: In the child process: the service that builds, and how its JSON is written.
_child: tuple[BoardService, tzinfo, float] | None = None


def dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def shared_body(service: BoardService, snap: Snapshot, tz: tzinfo, poll_seconds: float) -> bytes:
    """The board of those who see everything, without "pengguna" (each answer puts its own in front)."""
    body = board_json(service.shared_board(snap), tz, poll_seconds)
    del body["pengguna"]
    return dumps(body)


def _start(url: str, sop: SopDefinition, min_gap: float, tz: tzinfo, poll_seconds: float) -> None:
    global _child
    from bot.clock import SystemClock
    from bot.storage import Database

    _child = (BoardService(Database(url), SystemClock(), sop, min_gap=min_gap), tz, poll_seconds)


def _build(writes: int, people: int, now: datetime, serial: int) -> tuple[Snapshot, bytes]:
    assert _child is not None, "the child process was not started by ProcessRebuilder"
    service, tz, poll_seconds = _child
    snap = service.build(writes, people, now, serial)
    return snap, shared_body(service, snap, tz, poll_seconds)


class ProcessRebuilder:
    """Builds snapshots in one child process (spawned, so nothing of the bot's threads is copied)."""

    def __init__(self, url: str, sop: SopDefinition, min_gap: float, tz: tzinfo, poll_seconds: float) -> None:
        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=_start,
            initargs=(url, sop, min_gap, tz, poll_seconds))
        self.body: tuple[int, bytes] | None = None  # the shared JSON of the last snapshot built (by serial)

    @property
    def alive(self) -> bool:
        return self._pool is not None

    def build(self, writes: int, people: int, now: datetime, serial: int) -> Snapshot:
        """Called by BoardService.snapshot in a worker thread, which waits here without the interpreter lock."""
        assert self._pool is not None
        snap, body = self._pool.submit(_build, writes, people, now, serial).result()
        self.body = (serial, body)
        return snap

    def body_of(self, snap: Snapshot) -> bytes | None:
        found = self.body
        return found[1] if found is not None and found[0] == snap.serial else None

    def give_up(self, exc: BaseException) -> None:
        log.error("status board: the snapshot builder process failed (%s); the bot's process builds "
                  "the snapshots", exc)
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def separate_process_possible(url: str) -> bool:
    """A child can open the database: not an in-memory SQLite one."""
    return not (url.startswith("sqlite") and (url.rstrip("/").endswith(":memory:") or url in ("sqlite://", "sqlite:///")))
