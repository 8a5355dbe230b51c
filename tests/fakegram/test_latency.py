"""Injected latency: the request is carried out, only its answer comes late; random faults."""

from __future__ import annotations

import time

import httpx

from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI


async def test_latency_delivers_the_message_and_holds_the_answer(double: FakeTelegram) -> None:
    double.inject("sendMessage", "latency", delay=0.6)
    async with httpx.AsyncClient(timeout=5) as http:
        started = time.monotonic()
        answer = await http.post(f"{double.api_url}/sendMessage", json={"chat_id": BUDI, "text": "lambat"})
        assert time.monotonic() - started >= 0.6
    assert answer.status_code == 200 and answer.json()["ok"]
    assert [m.plain_text for m in double.messages_for(BUDI)] == ["lambat"]


async def test_random_faults_fail_about_the_rate_asked(double: FakeTelegram) -> None:
    double.rate_limits.enabled = False
    double.faults.randomly(0.25, kinds=("5xx",), seed=3)
    async with httpx.AsyncClient(timeout=5) as http:
        codes = [(await http.post(f"{double.api_url}/sendMessage",
                                  json={"chat_id": BUDI, "text": f"n{i}"})).status_code for i in range(200)]
        assert (await http.post(f"{double.api_url}/getUpdates", json={})).status_code == 200
    assert 30 <= codes.count(502) <= 70 and codes.count(200) == 200 - codes.count(502)
    double.faults.randomly(0)
