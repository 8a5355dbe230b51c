"""Fixtures for the fakegram tests: a running double with two users, and a PTB Bot on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.fakegram import FakeTelegram

TOKEN = "123456:TEST-token"
BUDI, SARI = 1001, 1002


@pytest.fixture
async def double() -> AsyncIterator[FakeTelegram]:
    """A started double with users Budi (1001) and Sari (1002).

    The test fails at teardown if any request broke the rules; a test that provokes
    violations on purpose checks them and then clears ``double.violations``.
    """
    async with FakeTelegram(token=TOKEN, timeout_delay=2.0) as fake:
        fake.add_user(BUDI, "Budi", "Santoso", username="budi")
        fake.add_user(SARI, "Sari", "Dewi")
        yield fake
        fake.assert_no_violations()


def make_bot(double: FakeTelegram, read_timeout: float = 2.0) -> Bot:
    request = HTTPXRequest(connect_timeout=2.0, read_timeout=read_timeout, write_timeout=2.0)
    return Bot(double.token, base_url=double.base_url, base_file_url=double.base_file_url,
               request=request, get_updates_request=HTTPXRequest())


@pytest.fixture
async def bot(double: FakeTelegram) -> AsyncIterator[Bot]:
    """An initialised python-telegram-bot Bot talking to the double."""
    tg_bot = make_bot(double)
    await tg_bot.initialize()
    yield tg_bot
    await tg_bot.shutdown()
