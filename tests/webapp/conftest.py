"""Fixtures: the 40-OPD scenario of tests/reports at HALF_WAY, served by the board on 127.0.0.1,
and headless Chromium (Debian's, driven by Playwright) when it is installed."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot.clock import FrozenClock
from bot.services.container import Services, build_services
from bot.storage import Database
from bot.webapp.hooks import board_server
from bot.webapp.initdata import sign_init_data
from bot.webapp.server import BoardServer
from tests.reports.conftest import Seeded, seeded_half, settings_for  # noqa: F401  (fixture)

TOKEN = "123456:PAPAN-UJI"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@dataclass
class Board:
    svc: Services
    server: BoardServer
    clock: FrozenClock

    @property
    def url(self) -> str:
        return self.server.url

    def init_data(self, telegram_id: int, first_name: str = "Pengguna", **kw: Any) -> str:
        return sign_init_data(TOKEN, {"id": telegram_id, "first_name": first_name}, kw.pop("at", self.clock.now()), **kw)

    def auth(self, telegram_id: int) -> dict[str, str]:
        return {"Authorization": f"tma {self.init_data(telegram_id)}"}


@pytest.fixture
async def board(seeded_half: Seeded, tmp_path: Path) -> AsyncIterator[Board]:  # noqa: F811
    path = tmp_path / "esakip.db"
    shutil.copy(seeded_half.path, path)
    clock = FrozenClock(seeded_half.at)  # type: ignore[arg-type]
    url = f"sqlite:///{path}"
    svc = build_services(settings_for(url, seeded_half.data_dir), clock=clock, db=Database(url))
    server = await board_server(svc, TOKEN, host="127.0.0.1", port=0).start()
    yield Board(svc, server, clock)
    await server.stop()
    svc.db.dispose()


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium): `apt-get install chromium`, "
                    "or `make install` as root, runs the board's browser tests")
    playwright_api = pytest.importorskip("playwright.async_api", reason="the playwright package is not installed")
    async with playwright_api.async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()
