"""The Bot API double with wall-clock timestamps, for benchmarks (bot/fakegram stays untouched).

`TimedDouble` records, on `time.perf_counter()`:
- when each update was handed out by a getUpdates answer (`handed[update_id]`),
- when each update was queued by a simulated user (`queued[update_id]`),
- every request the bot made other than getUpdates (`arrivals`), taken when the request reached
  the double, with the chat, the callback query it answers and the message id it produced.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.fakegram import ApiError, FakeTelegram

_arrived: contextvars.ContextVar[float] = contextvars.ContextVar("arrived", default=0.0)


@dataclass(frozen=True)
class Arrival:
    at: float
    method: str
    status: int
    chat_id: int | None
    query_id: str | None
    message_id: int | None  # of the message sent or edited, when the call succeeded


class TimedDouble(FakeTelegram):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handed: dict[int, float] = {}
        self.queued: dict[int, float] = {}
        self.arrivals: list[Arrival] = []
        self.polls = 0
        self.last_update_id = 0
        self.listeners: list[Callable[[Arrival], None]] = []

    def reset_timing(self) -> None:
        self.handed.clear()
        self.queued.clear()
        self.arrivals.clear()

    async def start(self) -> TimedDouble:
        await super().start()
        frontend = self._frontend
        assert frontend is not None
        process, call = frontend._process, frontend._call
        updates = self.state.updates
        get, put = updates.get, updates.put

        async def timed_process(request: Any, name: str) -> Any:
            _arrived.set(time.perf_counter())
            return await process(request, name)

        async def timed_call(method: str, values: dict[str, Any]) -> Any:
            if method == "getUpdates":
                self.polls += 1
                return await call(method, values)
            status, result = 200, None
            try:
                result = await call(method, values)
                return result
            except ApiError as error:
                status = error.status
                raise
            finally:
                chat = values.get("chat_id")
                arrival = Arrival(_arrived.get() or time.perf_counter(), method, status,
                                  chat if isinstance(chat, int) else None,
                                  values.get("callback_query_id"),
                                  result.get("message_id") if isinstance(result, dict) else None)
                self.arrivals.append(arrival)
                for listener in self.listeners:
                    listener(arrival)

        async def timed_get(offset: Any, limit: int, timeout: float) -> list[dict[str, Any]]:
            ready = await get(offset, limit, timeout)
            now = time.perf_counter()
            for update in ready:
                self.handed.setdefault(update["update_id"], now)
            return ready

        async def timed_put(kind: str, payload: dict[str, Any]) -> int:
            queued = time.perf_counter()
            update_id = await put(kind, payload)
            self.queued[update_id] = queued
            self.last_update_id = update_id
            return update_id

        frontend._process = timed_process  # type: ignore[method-assign]
        frontend._call = timed_call  # type: ignore[method-assign]
        if not getattr(updates, "timed", False):  # the queue outlives a stop and a new start
            updates.get = timed_get  # type: ignore[method-assign]
            updates.put = timed_put  # type: ignore[method-assign]
            updates.timed = True  # type: ignore[attr-defined]
        return self
