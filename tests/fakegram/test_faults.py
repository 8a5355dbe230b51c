"""Injected failures reach python-telegram-bot as the exceptions Telegram's answers cause."""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram import Bot
from telegram.error import Forbidden, NetworkError, RetryAfter, TimedOut

from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI, SARI, make_bot


@pytest.fixture(autouse=True)
def timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB 22 warns (an error here) when RetryAfter.retry_after is read as int; opt in."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


async def test_5xx_is_a_network_error(double: FakeTelegram, bot: Bot) -> None:
    double.inject("sendMessage", "5xx", times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(BUDI, "x")
    await bot.send_message(BUDI, "berhasil")
    assert double.stats.server_errors_injected == 2
    assert [m.plain_text for m in double.messages_for(BUDI)] == ["berhasil"]


async def test_429_carries_retry_after(double: FakeTelegram, bot: Bot) -> None:
    double.inject(None, "429", retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(BUDI, "x")
    assert caught.value.retry_after == timedelta(seconds=7)
    assert double.stats.too_many_requests == 1 and double.stats.injected["429"] == 1


async def test_403_only_for_the_chosen_chat(double: FakeTelegram, bot: Bot) -> None:
    double.inject(None, "403", chat_id=SARI)
    await bot.send_message(BUDI, "untuk Budi")
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(SARI, "untuk Sari")
    await bot.send_message(SARI, "lagi")  # the fault was used up
    assert double.faults.pending == []


async def test_timeout_is_timed_out_and_leaves_nothing_in_flight(double: FakeTelegram) -> None:
    double.inject("sendMessage", "timeout")
    async with make_bot(double, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(BUDI, "x")
        await double.wait_idle(timeout=3)
        assert double.messages_for(BUDI) == []  # the held request was never processed
        await bot.send_message(BUDI, "y")


async def test_dropped_connection_is_a_network_error(double: FakeTelegram, bot: Bot) -> None:
    double.inject("sendDocument", "network")
    with pytest.raises(NetworkError):
        await bot.send_document(BUDI, b"data", filename="a.txt")
    sent = await bot.send_document(BUDI, b"data", filename="a.txt")
    assert sent.document is not None


async def test_method_none_spares_get_updates(double: FakeTelegram, bot: Bot) -> None:
    double.inject(None, "5xx")
    assert await bot.get_updates() == ()
    with pytest.raises(NetworkError):
        await bot.get_me()


async def test_block_is_permanent_until_unblocked(double: FakeTelegram, bot: Bot) -> None:
    double.block(BUDI)
    for _ in range(2):
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(BUDI, "x")
    double.unblock(BUDI)
    await bot.send_message(BUDI, "x")


def test_unknown_fault_kind_is_refused() -> None:
    double = FakeTelegram()
    with pytest.raises(ValueError, match="unknown fault kind"):
        double.inject("sendMessage", "500")  # type: ignore[arg-type]
