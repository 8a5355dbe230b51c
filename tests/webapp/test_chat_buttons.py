"""Opening the board from the chat: the menu button and the button under /rekap, only when
ESAKIP_WEBAPP_URL is set; the server runs with the Application only when the port is set."""

from __future__ import annotations

import aiohttp
import pytest

from bot.config import SettingsError, load_settings
from bot.fakegram import Direction
from bot.simulation import TOKEN, Simulation
from bot.webapp import hooks
from tests.e2e.conftest import OPDS

URL = "https://esakip.lamandaukab.go.id/papan"


def web_app_buttons(sim: Simulation, who: str) -> list[dict]:
    return [b for row in sim.double.last_message(sim.tg(who)).keyboard for b in row if "web_app" in b]


async def test_with_the_url_menu_and_rekap_open_the_board(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, webapp_url=URL) as sim:
        await sim.say("tim1", "/start")
        assert sim.double.state.menu_buttons[sim.tg("tim1")] == {
            "type": "web_app", "text": "Papan status", "web_app": {"url": URL}}
        await sim.say("sekda", "/mulai 2026")
        await sim.say("tim1", "/rekap")
        assert web_app_buttons(sim, "tim1") == [{"text": "Buka papan status", "web_app": {"url": URL}}]
        # At start-up every registered user gets the button (the double knows every chat here).
        assert await hooks.install_menu_buttons(sim.app.bot, sim.svc) == len(sim.people)
        assert all(sim.double.state.menu_buttons[p.telegram_id]["type"] == "web_app" for p in sim.people.values())
        sim.double.assert_no_violations()


async def test_without_the_url_nothing_changes(tmp_path):
    async with Simulation(tmp_path, opds=OPDS) as sim:
        await sim.say("tim1", "/start")
        await sim.say("sekda", "/mulai 2026")
        await sim.say("tim1", "/rekap")
        assert web_app_buttons(sim, "tim1") == []
        assert sim.double.state.menu_buttons == {}
        assert await hooks.install_menu_buttons(sim.app.bot, sim.svc) == 0
        async with hooks.running(sim.app, sim.svc, TOKEN) as server:
            assert server is None  # no port: no server
        sim.double.assert_no_violations()


async def test_the_board_runs_with_the_application_when_the_port_is_set(tmp_path):
    async with Simulation(tmp_path, opds=OPDS, webapp_port=0, webapp_url=URL) as sim:
        await sim.say("tim1", "/start")
        async with hooks.running(sim.app, sim.svc, TOKEN) as server:
            assert server is not None
            init = sim.double.web_app_init_data(sim.tg("tim1"))
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{server.url}/api/status", headers={"Authorization": f"tma {init}"}) as r:
                    body = await r.json()
                    assert r.status == 200 and body["pengguna"]["peran"] == "tim_sakip"
                    assert body["siklus"] is None and "opd" not in body  # no cycle yet: the page says so
            await sim.double.wait_idle()
        with pytest.raises(aiohttp.ClientConnectionError):
            async with aiohttp.ClientSession() as http:
                await http.get(f"{server.url}/api/status")
        sim.double.assert_no_violations()


@pytest.mark.parametrize("url", ["http://esakip.lamandaukab.go.id/papan", "esakip.lamandaukab.go.id"])
def test_the_url_must_be_https(url):
    with pytest.raises(SettingsError, match="ESAKIP_WEBAPP_URL"):
        load_settings(_env_file=None, webapp_url=url)


def test_blank_values_leave_the_board_off():
    settings = load_settings(_env_file=None, webapp_url="", webapp_port="")
    assert settings.webapp_url is None and settings.webapp_port is None


async def test_a_busy_port_leaves_the_bot_running_without_its_board(tmp_path, caplog):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with Simulation(tmp_path, opds=OPDS, webapp_port=port) as sim:
            async with hooks.running(sim.app, sim.svc, TOKEN) as server:
                assert server is None
                await sim.say("tim1", "/start")  # the bot still answers
                assert sim.double.last_message(sim.tg("tim1")).direction is Direction.BOT_TO_USER
    assert any("the status board could not start" in r.getMessage() for r in caplog.records)
