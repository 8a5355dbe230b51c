"""The board's web server: an aiohttp application on the bot's own event loop.

Routes: `/papan` (the page), `/papan/static/*` (its script and style), `GET /papan/api/status`
and `GET /papan/api/opd/{kode}` (the data, with `Authorization: tma <initData>`). Every database
call runs in a worker thread, so serving the board never holds up the bot's updates; who asks and what
they may see is decided on every request (see bot/services/board.py for the shared snapshot).

A status request that finds the snapshot current is answered on the event loop with no query and
no thread: the initData's signature, the user looked up in the snapshot, and the JSON of what
everyone sees, serialised once per snapshot in the thread that built it (an OPD's own line is
serialised per request: one row). Its ETag names the snapshot and the user, so a page that sends
it back in `If-None-Match` gets a 304 without a body until the snapshot changes.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from typing import Any

from aiohttp import web

from bot import error_text
from bot.clock import Clock
from bot.config import Settings
from bot.reports.model import OpdHistory
from bot.services.board import Board, BoardService, Snapshot
from bot.webapp.initdata import InitDataError, verify_init_data
from bot.webapp.payload import board_json, history_json, viewer_json
from bot.webapp.rebuild import ProcessRebuilder, dumps, separate_process_possible, shared_body

log = logging.getLogger(__name__)

STATIC = resources.files("bot.webapp") / "static"
STATIC_FILES = {"papan.js": "text/javascript", "papan.css": "text/css"}
NO_STORE = {"Cache-Control": "no-store", "Vary": "Authorization"}
#: What the page shows for a refused request (it adds how to open the board again).
#: Its wording: templates/errors/board.yaml.
REFUSAL = {401: "board.unauthenticated", 403: "board.not_registered", 404: "board.opd_unknown"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def refused(status: int) -> web.Response:
    return web.json_response({"error": error_text.render(REFUSAL[status])}, status=status, headers=NO_STORE)


def security_headers(response: web.StreamResponse) -> None:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    # Everything comes from this origin; Telegram shows the page in a frame on some clients.
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                "connect-src 'self'; frame-ancestors https://web.telegram.org https://*.telegram.org")


class BoardApp:
    def __init__(self, board: BoardService, settings: Settings, token: str, clock: Clock, *,
                 separate_process: bool = False) -> None:
        self.board, self.settings, self.token, self.clock = board, settings, token, clock
        # The page polls a rebuild gap sooner than the refresh interval, so that a write shows on
        # an open board within that interval even when the snapshot waited out its gap.
        self.poll_seconds = max(0.2, settings.webapp_refresh_seconds - board.min_gap)
        self.rebuilder = (ProcessRebuilder(board.db.url, board.sop, board.min_gap, settings.tz, self.poll_seconds)
                          if separate_process and separate_process_possible(board.db.url) else None)
        self.max_age = timedelta(seconds=settings.webapp_max_age_seconds)
        self._assets = {name: (STATIC / name).read_bytes() for name in (*STATIC_FILES, "papan.html")}
        self._prepared: Prepared | None = None
        self._prepared_lock = threading.Lock()
        self._pending: asyncio.Future[Prepared] | None = None
        self._etag_prefix = f'"{id(self):x}.'  # another process's ETags never match

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

    def _user_id(self, request: web.Request) -> int | None:
        """The Telegram user the request's initData names, if it is authentic and fresh."""
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "tma" or not raw.strip():
            return None
        try:
            return verify_init_data(raw.strip(), self.token, self.clock.now(), self.max_age).id
        except InitDataError as exc:
            log.info("board: initData refused (%s)", exc)
            return None

    async def status(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        if user_id is None:
            return refused(401)
        prepared = self._prepared
        if prepared is None or self.board.fresh() is not prepared.snapshot:
            prepared = await self._rebuilt()
            if self.board.fresh() is not prepared.snapshot:  # a rebuild under way predated a change
                prepared = await self._rebuilt()
        board = self.board.board_of(prepared.snapshot, user_id)
        if board is None:
            return refused(403)
        etag = f"{self._etag_prefix}{prepared.snapshot.serial}.{user_id}\""
        if etag in request.headers.get("If-None-Match", ""):
            return web.Response(status=304, headers={**NO_STORE, "ETag": etag})
        return _json(self._status_body(board, prepared), etag)

    async def history(self, request: web.Request) -> web.Response:
        user_id = self._user_id(request)
        if user_id is None:
            return refused(401)
        body = await _off_loop(self._history_body, user_id, request.match_info["kode"][:64])
        if body is False:
            return refused(403)
        return refused(404) if body is None else _json(body)

    # The whole answer (who asks, the query, its shaping and the JSON) is built in one worker
    # thread: a 500-OPD board is tens of milliseconds of Python the bot's event loop must not wait for.

    async def _rebuilt(self) -> Prepared:
        """The snapshot rebuilt once for every request that finds it stale meanwhile (one thread
        hop, not one per waiting board)."""
        if self._pending is None or self._pending.done():
            self._pending = asyncio.ensure_future(_off_loop(self._prepare))
        return await asyncio.shield(self._pending)

    def _prepare(self) -> Prepared:
        """The current snapshot and the JSON everyone who sees all shares (in a worker thread)."""
        snap = self._snapshot()
        with self._prepared_lock:
            if self._prepared is None or self._prepared.snapshot is not snap:
                body = self.rebuilder.body_of(snap) if self.rebuilder is not None else None
                self._prepared = Prepared(snap, body or shared_body(self.board, snap, self.settings.tz,
                                                                    self.poll_seconds))
            return self._prepared

    def _snapshot(self) -> Snapshot:
        rebuilder = self.rebuilder
        if rebuilder is None or not rebuilder.alive:
            return self.board.snapshot()
        try:
            return self.board.snapshot(rebuilder.build)
        except Exception as exc:  # noqa: BLE001  (the child cannot start or died: build here from now on)
            rebuilder.give_up(exc)
            return self.board.snapshot()

    def close(self) -> None:
        if self.rebuilder is not None:
            self.rebuilder.close()

    def _status_body(self, board: Board, prepared: Prepared) -> bytes:
        if board.snapshot is None:  # an OPD's own board: one row, serialised for this request
            return _dumps(board_json(board, self.settings.tz, self.poll_seconds))
        # Everything, for an official: the same for each of them; who is asking goes in front.
        return b'{"pengguna":' + _dumps(viewer_json(board.viewer)) + b"," + prepared.shared[1:]

    def _history_body(self, user_id: int, kode: str) -> bytes | None | bool:
        found = self.board.history_for(user_id, kode)
        if not isinstance(found, OpdHistory):
            return found  # None: no such Perangkat Daerah for this user; False: not registered
        return _dumps(history_json(found, self.settings.tz))


@dataclass(frozen=True)
class Prepared:
    snapshot: Snapshot
    shared: bytes  # the board of those who see everything, without "pengguna"


def _json(body: bytes, etag: str | None = None) -> web.Response:
    headers = {**NO_STORE, "ETag": etag} if etag else NO_STORE
    return web.Response(body=body, content_type="application/json", headers=headers)


_dumps = dumps


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
        self.app.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/papan"
