"""Flood control like Telegram's: a global and a per-chat token bucket for sent messages."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


class TokenBucket:
    """``rate`` tokens per second, holding at most ``burst``; starts full."""

    def __init__(self, rate: float, burst: float, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available (0 when one is available now)."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


@dataclass
class RateLimits:
    """The limits; defaults are Telegram's documented ~30 messages/s and ~1 message/s per chat."""

    enabled: bool = True
    global_per_second: float = 30.0
    global_burst: float = 30.0
    chat_per_second: float = 1.0
    chat_burst: float = 3.0


class RateLimiter:
    """Decides whether one more sent message is allowed now, on a monotonic clock."""

    def __init__(self, limits: RateLimits, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits = limits
        self._clock = clock
        self._global: TokenBucket | None = None
        self._chats: dict[str, TokenBucket] = {}

    def acquire(self, chat_id: int | str) -> int | None:
        """Take a token for ``chat_id``; None if allowed, else ``retry_after`` whole seconds."""
        if not self.limits.enabled:
            return None
        now = self._clock()
        limits = self.limits
        if self._global is None:
            self._global = TokenBucket(limits.global_per_second, limits.global_burst, now)
        chat = self._chats.setdefault(
            str(chat_id), TokenBucket(limits.chat_per_second, limits.chat_burst, now)
        )
        wait = max(self._global.wait_time(now), chat.wait_time(now))
        if wait > 0:
            return max(1, math.ceil(wait))
        self._global.take()
        chat.take()
        return None

    def reset(self) -> None:
        """Forget all consumed tokens."""
        self._global = None
        self._chats.clear()
