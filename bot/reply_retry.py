"""Replies to the person who acted (and the edit of the task message, which is the record) do not
go through the outbox; a transient Bot API error on them (5xx, timeout, dropped connection) is
retried here, with exponential backoff and jitter, a bounded number of times.

After a timeout Telegram may have done what was asked; a retried reply can then show twice,
which is better than an actor never told that the press was recorded (an edit or a callback
answer repeated changes nothing)."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import TelegramError
from telegram.ext import AIORateLimiter

from bot.telegram_errors import ApiErrorKind, classify

log = logging.getLogger(__name__)

#: Attempts per request in all (the first and the retries), and the backoff bounds in seconds.
ATTEMPTS = 6
BASE_DELAY = 0.25
MAX_DELAY = 2.0


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (429s honoured with retry_after) that also retries transient errors."""

    def __init__(self, *, attempts: int = ATTEMPTS, base_delay: float = BASE_DELAY,
                 max_delay: float = MAX_DELAY, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts, self.base_delay, self.max_delay = attempts, base_delay, max_delay
        self.retried = 0  # transient errors retried so far (for tests and soak figures)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        for attempt in range(1, self.attempts + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except TelegramError as exc:
                kind = classify(exc)
                if attempt > 1 and kind is ApiErrorKind.QUERY_TOO_OLD and endpoint == "answerCallbackQuery":
                    return True  # the answer whose reply was lost did arrive: answered once
                if kind is not ApiErrorKind.TRANSIENT or attempt == self.attempts:
                    raise
                delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
                delay += random.uniform(0, delay / 2)
                self.retried += 1
                log.warning("%s failed (%s: %s); attempt %d of %d in %.2f s", endpoint,
                            type(exc).__name__, exc.message, attempt + 1, self.attempts, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")
