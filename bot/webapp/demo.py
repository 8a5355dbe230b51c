"""`esakip-bot demo --papan`: after the demo cycle, keep its board open on 127.0.0.1 and print
links that open it as people of the demo (signed initData in the fragment, as Telegram passes it)."""

from __future__ import annotations

import asyncio
import json
import signal
from collections.abc import Callable
from urllib.parse import quote

from bot.cli_words import say
from bot.roles import Peran
from bot.simulation import Simulation
from bot.webapp.hooks import board_server


def launch_link(url: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The address Telegram opens a Mini App at: initData and the theme in the fragment."""
    fragment = f"tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0&tgWebAppPlatform=unknown"
    if theme:
        fragment += "&tgWebAppThemeParams=" + quote(json.dumps(theme), safe="")
    return f"{url}#{fragment}"


async def keep_board_open(sim: Simulation, echo: Callable[[str], object], port: int = 0,
                          stop: asyncio.Event | None = None) -> None:
    """Serve the board of `sim`'s database until Ctrl+C (or `stop` is set)."""
    server = await board_server(sim.svc, sim.double.token, host="127.0.0.1", port=port).start()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        echo(say("demo.board_open", url=server.url))
        people = [p for p in sim.people.values() if p.peran in ("tim_sakip", "sekda")][:2]
        people += [p for p in sim.people.values() if p.peran == Peran.OPD][:1]
        for person in people:
            echo(say("demo.board_as", nama=person.nama, peran=person.peran))
            echo(f"  {launch_link(server.url, sim.double.web_app_init_data(person.telegram_id))}")
        echo(say("demo.board_close"))
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        await server.stop()
