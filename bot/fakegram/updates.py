"""Pending updates and getUpdates semantics: offsets, limits, long polling, allowed_updates."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: Update kinds Telegram does not deliver unless asked for explicitly.
OPT_IN_KINDS = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Superseded(Exception):
    """A long poll ended by a newer getUpdates request (Telegram answers it 409 Conflict)."""


@dataclass
class PendingUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]
    delivered: bool = False

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}


class UpdateQueue:
    """Updates waiting for the bot; an update stays pending until a later offset confirms it."""

    def __init__(self, all_kinds: list[str], on_change: Callable[[], None] | None = None) -> None:
        self._all_kinds = all_kinds
        self.on_change = on_change
        self._pending: list[PendingUpdate] = []
        self._next_id = 1
        self._allowed: frozenset[str] = frozenset(all_kinds) - OPT_IN_KINDS
        self._arrived: asyncio.Condition | None = None
        self._closed = False
        self._polls = 0  # getUpdates requests so far; the newest one is the only one served

    def open(self) -> None:
        """Bind to the running event loop (called when the server starts)."""
        self._arrived = asyncio.Condition()
        self._closed = False

    async def close(self) -> None:
        """Wake every long poll so it answers at once."""
        self._closed = True
        await self._notify()

    @property
    def polls(self) -> int:
        """How many getUpdates requests began so far (a long poll counts when it starts)."""
        return self._polls

    @property
    def pending(self) -> list[PendingUpdate]:
        """Updates not yet confirmed by the bot, oldest first."""
        return list(self._pending)

    async def put(self, kind: str, payload: dict[str, Any]) -> int:
        """Queue an update of ``kind`` (e.g. "message"); returns its update_id."""
        update = PendingUpdate(self._next_id, kind, payload)
        self._next_id += 1
        if kind in self._allowed:
            self._pending.append(update)
            self._changed()
            await self._notify()
        return update.update_id

    def drop_pending(self) -> None:
        self._pending.clear()

    def set_allowed(self, kinds: list[str] | None) -> None:
        """Apply ``allowed_updates`` (an empty list means the default set)."""
        if kinds is None:
            return
        self._allowed = frozenset(kinds) if kinds else frozenset(self._all_kinds) - OPT_IN_KINDS

    async def get(self, offset: int | None, limit: int, timeout: float) -> list[dict[str, Any]]:
        """Confirm updates below ``offset``, then return up to ``limit``, waiting up to ``timeout``.

        As on Telegram, a getUpdates request ends the long poll still waiting (from another bot
        instance with the same token, say): that one raises Superseded."""
        self._polls += 1
        mine = self._polls
        self._confirm(offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0)
        if self._arrived is None:
            raise RuntimeError("the update queue is not open")
        async with self._arrived:
            self._arrived.notify_all()  # a poll still waiting learns it was superseded
            while not self._closed:
                if self._polls != mine:
                    raise Superseded
                ready = [u for u in self._pending if u.kind in self._allowed][:limit]
                remaining = deadline - loop.time()
                if ready or remaining <= 0:
                    break
                try:
                    await asyncio.wait_for(self._arrived.wait(), remaining)
                except TimeoutError:
                    pass
            ready = [u for u in self._pending if u.kind in self._allowed][:limit]
        for update in ready:
            update.delivered = True
        if ready:
            self._changed()
        return [u.to_api() for u in ready]

    def _confirm(self, offset: int | None) -> None:
        if offset is None or offset == 0:
            return
        before = len(self._pending)
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u.update_id >= offset]
        if len(self._pending) != before:
            self._changed()

    def _changed(self) -> None:
        if self.on_change is not None:
            self.on_change()

    async def _notify(self) -> None:
        if self._arrived is None:
            return
        async with self._arrived:
            self._arrived.notify_all()
