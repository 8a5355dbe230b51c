"""The board's web server: an aiohttp application on the bot's own event loop.

Routes: `/papan` (the page), `/papan/static/*` (its script and style), `GET /papan/api/status`
and `GET /papan/api/opd/{kode}` (the data, with `Authorization: tma <initData>`). Every database
call runs in a worker thread, so serving the board never holds up the bot's updates; nothing is
cached between requests or users.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from importlib import resources
from typing import Any

from aiohttp import web

from bot.clock import Clock
from bot.config import Settings
from bot.services.board import BoardService, Viewer
from bot.webapp.initdata import InitDataError, verify_init_data
from bot.webapp.payload import board_json, history_json

log = logging.getLogger(__name__)

STATIC = resources.files("bot.webapp") / "static"
STATIC_FILES = {"papan.js": "text/javascript", "papan.css": "text/css"}
NO_STORE = {"Cache-Control": "no-store", "Vary": "Authorization"}
#: What the page shows for a refused request (it adds how to open the board again).
REFUSAL = {
    401: "Data masuk dari Telegram tidak sah atau sudah kedaluwarsa.",
    403: "Akun Telegram Anda belum terdaftar atau tidak aktif pada bot E-SAKIP.",
    404: "Perangkat Daerah tidak ditemukan.",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def refused(status: int) -> web.Response:
    return web.json_response({"error": REFUSAL[status]}, status=status, headers=NO_STORE)


def security_headers(response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    # Everything comes from this origin; Telegram shows the page in a frame on some clients.
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors https://web.telegram.org https://*.telegram.org")


class BoardApp:
    def __init__(self, board: BoardService, settings: Settings, token: str, clock: Clock) -> None:
        self.board, self.settings, self.token, self.clock = board, settings, token, clock
        self.max_age = timedelta(seconds=settings.webapp_max_age_seconds)
        self._assets = {name: (STATIC / name).read_bytes() for name in (*STATIC_FILES, "papan.html")}

    def build(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        app.add_routes([
            web.get("/papan", self.page), web.get("/papan/", self.page),
            web.get("/papan/static/{name}", self.static),
            web.get("/papan/api/status", self.status),
            web.get("/papan/api/opd/{kode}", self.history),
        ])
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        security_headers(response)
        return response

    async def page(self, request: web.Request) -> web.Response:
        return web.Response(body=self._assets["papan.html"], content_type="text/html", charset="utf-8",
                            headers={"Cache-Control": "no-cache"})

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_FILES:
            raise web.HTTPNotFound()
        return web.Response(body=self._assets[name], content_type=STATIC_FILES[name], charset="utf-8",
                            headers={"Cache-Control": "no-cache"})

    async def _viewer(self, request: web.Request) -> Viewer | web.Response:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "tma" or not raw.strip():
            return refused(401)
        try:
            user = verify_init_data(raw.strip(), self.token, self.clock.now(), self.max_age)
        except InitDataError as exc:
            log.info("board: initData refused (%s)", exc)
            return refused(401)
        viewer = await _off_loop(self.board.viewer, user.id)
        return viewer if viewer is not None else refused(403)

    async def status(self, request: web.Request) -> web.Response:
        viewer = await self._viewer(request)
        if isinstance(viewer, web.Response):
            return viewer
        body = await _off_loop(self._status_body, viewer)
        return web.Response(body=body, content_type="application/json", headers=NO_STORE)

    async def history(self, request: web.Request) -> web.Response:
        viewer = await self._viewer(request)
        if isinstance(viewer, web.Response):
            return viewer
        body = await _off_loop(self._history_body, viewer, request.match_info["kode"][:64])
        if body is None:
            return refused(404)
        return web.Response(body=body, content_type="application/json", headers=NO_STORE)

    # The whole answer (query, shaping, JSON) is built in a worker thread: a 500-OPD board is
    # tens of milliseconds of Python that the bot's event loop must not wait for.

    def _status_body(self, viewer: Viewer) -> bytes:
        board = self.board.board(viewer)
        return _dumps(board_json(board, self.settings.tz, self.settings.webapp_refresh_seconds))

    def _history_body(self, viewer: Viewer, kode: str) -> bytes | None:
        found = self.board.history(viewer, kode)
        return _dumps(history_json(found, self.settings.tz)) if found is not None else None


def _dumps(body: dict[str, Any]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


async def _off_loop(func: Callable[..., Any], *args: Any) -> Any:
    return await asyncio.to_thread(functools.partial(func, *args))


class BoardServer:
    """Starts and stops the board on the running event loop (`AppRunner` + `TCPSite`)."""

    def __init__(self, app: BoardApp, host: str, port: int) -> None:
        self.app, self.host, self.port = app, host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> BoardServer:
        runner = web.AppRunner(self.app.build(), access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self._runner = runner
        self.port = runner.addresses[0][1]
        log.info("papan status di http://%s:%s/papan", self.host, self.port)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/papan"
