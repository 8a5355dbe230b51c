"""The double checks Mini App buttons as Telegram does: HTTPS only, with a label."""

from __future__ import annotations

import json

import httpx

from bot.fakegram import FakeTelegram
from tests.fakegram.conftest import BUDI


async def call(double: FakeTelegram, method: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient(timeout=5) as http:
        return await http.post(f"{double.api_url}/{method}", json=params)


async def test_menu_button_web_app_needs_https_and_a_label(double: FakeTelegram) -> None:
    good = {"type": "web_app", "text": "Papan status", "web_app": {"url": "https://papan.example.go.id/papan"}}
    assert (await call(double, "setChatMenuButton", chat_id=BUDI, menu_button=good)).json()["ok"]
    assert (await call(double, "getChatMenuButton", chat_id=BUDI)).json()["result"] == good
    for bad in ({**good, "web_app": {"url": "http://papan.example.go.id/papan"}}, {**good, "text": ""},
                {"type": "web_app", "text": "Papan"}):
        response = await call(double, "setChatMenuButton", chat_id=BUDI, menu_button=bad)
        assert response.status_code == 400, bad
    assert len(double.violations) == 3
    double.violations.clear()
    assert (await call(double, "getChatMenuButton", chat_id=BUDI)).json()["result"] == good


async def test_inline_web_app_button_needs_https(double: FakeTelegram) -> None:
    def markup(url: str) -> str:
        return json.dumps({"inline_keyboard": [[{"text": "Buka papan status", "web_app": {"url": url}}]]})

    ok = await call(double, "sendMessage", chat_id=BUDI, text="Rekap", reply_markup=markup("https://x.go.id/papan"))
    assert ok.json()["ok"]
    assert double.last_message(BUDI).keyboard[0][0]["web_app"] == {"url": "https://x.go.id/papan"}
    refused = await call(double, "sendMessage", chat_id=BUDI, text="Rekap", reply_markup=markup("http://x.go.id/papan"))
    assert refused.status_code == 400 and "Only HTTPS" in refused.json()["description"]
    assert len(double.violations) == 1
    double.violations.clear()
