"""Two pollers on one token, as on Telegram: a getUpdates request ends the long poll still
waiting, which answers 409 Conflict with Telegram's words; the newer request is served."""

from __future__ import annotations

import asyncio

import httpx

from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI

CONFLICT = ("Conflict: terminated by other getUpdates request; make sure that only one bot instance "
            "is running")


async def test_a_newer_get_updates_ends_the_older_long_poll_with_409(double: FakeTelegram) -> None:
    async with httpx.AsyncClient(timeout=10) as older, httpx.AsyncClient(timeout=10) as newer:
        waiting = asyncio.create_task(older.post(f"{double.api_url}/getUpdates", json={"timeout": 5}))
        await asyncio.sleep(0.2)  # the older poll is waiting on the server
        served = asyncio.create_task(newer.post(f"{double.api_url}/getUpdates", json={"timeout": 1}))
        first = await asyncio.wait_for(waiting, 2)  # answered at once, not after its 5 seconds
        assert first.status_code == 409
        assert first.json() == {"ok": False, "error_code": 409, "description": CONFLICT}
        await double.send_text(BUDI, "halo")
        second = await served
        assert second.status_code == 200
        assert [u["message"]["text"] for u in second.json()["result"]] == ["halo"]
    assert not double.violations  # two instances are the operator's problem, not a broken request


async def test_one_poller_after_another_is_not_a_conflict(double: FakeTelegram) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        for _ in range(3):
            answer = await client.post(f"{double.api_url}/getUpdates", json={"timeout": 0})
            assert answer.status_code == 200
