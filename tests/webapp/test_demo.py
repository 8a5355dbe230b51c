"""`esakip-bot demo --papan` keeps the board open and prints links that open it as demo people."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs, urlsplit

import aiohttp

from bot.simulation import Simulation
from bot.webapp.demo import keep_board_open
from tests.e2e.conftest import OPDS


async def test_the_printed_links_open_the_board_until_stopped(tmp_path):
    async with Simulation(tmp_path, opds=OPDS) as sim:
        await sim.say("sekda", "/mulai 2026")
        lines: list[str] = []
        stop = asyncio.Event()
        serving = asyncio.create_task(keep_board_open(sim, lines.append, stop=stop))
        while not any("Ctrl+C" in line for line in lines):
            await asyncio.sleep(0.01)
        links = [line.strip() for line in lines if "#tgWebAppData=" in line]
        assert len(links) == 3 and all(link.startswith("http://127.0.0.1:") for link in links)
        seen = []
        async with aiohttp.ClientSession() as http:
            for link in links:
                parts = urlsplit(link)
                init = parse_qs(parts.fragment)["tgWebAppData"][0]
                api = f"{parts.scheme}://{parts.netloc}{parts.path}/api/status"
                async with http.get(api, headers={"Authorization": f"tma {init}"}) as response:
                    assert response.status == 200
                    body = await response.json()
                    seen.append((body["pengguna"]["peran"], len(body["opd"])))
        assert seen == [("sekda", 3), ("tim_sakip", 3), ("opd", 1)]
        stop.set()
        await serving
        async with aiohttp.ClientSession() as http:
            try:
                await http.get(api)
                raise AssertionError("the board still answers after Ctrl+C")
            except aiohttp.ClientConnectionError:
                pass
