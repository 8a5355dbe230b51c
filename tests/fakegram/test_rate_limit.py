"""Flood control: per-chat and global token buckets, answered with 429 and counted."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.fakegram import FakeTelegram, RateLimits
from bot.fakegram.ratelimit import RateLimiter
from tests.fakegram.conftest import BUDI


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_burst_to_one_chat_is_throttled(double: FakeTelegram, bot: Bot) -> None:
    refused = 0
    for i in range(40):
        try:
            await bot.send_message(BUDI, f"pesan {i}")
        except RetryAfter as error:
            assert error.retry_after.total_seconds() >= 1  # type: ignore[union-attr]
            refused += 1
    assert refused >= 30
    assert double.stats.too_many_requests == refused
    assert len(double.messages_for(BUDI)) == 40 - refused
    assert double.violations == []  # flood control is Telegram behaviour, not a bot error


async def test_25_per_second_over_80_chats_is_never_throttled(double: FakeTelegram, bot: Bot) -> None:
    for user_id in range(2001, 2081):
        double.add_user(user_id, f"Pegawai {user_id}")
    start = time.monotonic()
    for index, user_id in enumerate(range(2001, 2081)):
        await asyncio.sleep(max(0.0, start + index / 25 - time.monotonic()))
        await bot.send_message(user_id, "Pengingat tenggat")
    assert double.stats.too_many_requests == 0
    assert double.stats.methods["sendMessage"] == 80


async def test_limits_can_be_switched_off(double: FakeTelegram, bot: Bot) -> None:
    double.rate_limits.enabled = False
    for i in range(10):
        await bot.send_message(BUDI, f"pesan {i}")
    assert double.stats.too_many_requests == 0


def test_buckets_on_a_manual_clock() -> None:
    now = [0.0]
    limiter = RateLimiter(RateLimits(chat_burst=3), clock=lambda: now[0])
    assert [limiter.acquire(1) for _ in range(3)] == [None, None, None]
    assert limiter.acquire(1) == 1
    assert limiter.acquire(2) is None  # another chat has its own bucket
    now[0] += 1.0
    assert limiter.acquire(1) is None
    # The global bucket refilled to 30 during that second; one is used, use the other 29.
    assert all(limiter.acquire(chat) is None for chat in range(100, 129))
    assert limiter.acquire(999) == 1  # global limit reached
    now[0] += 1 / 30
    assert limiter.acquire(999) is None
