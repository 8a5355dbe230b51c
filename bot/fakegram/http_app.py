"""The HTTP face of the double: an aiohttp application speaking the Bot API wire protocol.

Routes: ``/bot<TOKEN>/<method>`` (GET or POST; query string, JSON, form or multipart body)
and ``/file/bot<TOKEN>/<file_path>`` for downloads. Each API request goes through: token
check, body parsing, spec validation, injected faults, blocked users, flood control, and
finally the method's handler.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.fakegram.errors import ApiError, forbidden, not_supported, too_many_requests
from bot.fakegram.faults import Fault
from bot.fakegram.methods_bot import BOT_METHODS
from bot.fakegram.methods_messages import MESSAGE_METHODS
from bot.fakegram.records import RequestRecord
from bot.fakegram.validation import UploadedFile

if TYPE_CHECKING:
    from bot.fakegram.server import FakeTelegram

HANDLERS = {**BOT_METHODS, **MESSAGE_METHODS}
MAX_BODY_BYTES = 60 * 1024 * 1024
#: Methods that send a message and therefore count against flood control.
UNLIMITED_SENDS = frozenset({"sendChatAction"})


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters and uploaded files of a request, whatever encoding the client used."""
    params: dict[str, Any] = dict(request.query)
    uploads: dict[str, UploadedFile] = {}
    if request.method != "POST" or not request.body_exists:
        return params, uploads
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise ValueError(f"the JSON body does not parse: {error}") from None
        if not isinstance(body, dict):
            raise ValueError("the JSON body is not an object")
        params.update(body)
        return params, uploads
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            uploads[name] = UploadedFile(name, value.filename, value.content_type, value.file.read())
        else:
            params[name] = value
    return params, uploads


def _summary(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters for the request log, with file contents replaced by a short description."""
    return {
        k: f"<file {v.filename!r}, {len(v.data)} bytes>" if isinstance(v, UploadedFile) else v
        for k, v in params.items()
    }


class HttpFrontend:
    """Turns HTTP requests into calls of the method handlers and records what happened."""

    def __init__(self, double: FakeTelegram) -> None:
        self.double = double
        self.state = double.state
        self.stopping = asyncio.Event()

    def build(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_route("*", "/bot{token}/{method}", self.handle_api)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self.handle_file)
        return app

    # -- downloads --------------------------------------------------------------------------

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.double.token:
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        stored = self.state.files.by_path(request.match_info["file_path"])
        if stored is None:
            return _json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # -- API calls --------------------------------------------------------------------------

    async def handle_api(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.double.token:
            return _json(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        name = request.match_info["method"]
        activity = self.double.activity
        ticket = None if name.lower() == "getupdates" else activity.begin(name)
        try:
            return await self._process(request, name)
        finally:
            if ticket is not None:
                activity.end(ticket)

    async def _process(self, request: web.Request, name: str) -> web.StreamResponse:
        try:
            params, uploads = await read_params(request)
        except ValueError as error:
            return self._error(name, {}, ApiError(400, f"Bad Request: {error}"))
        spec = self.state.spec.method(name)
        if spec is None:
            self.state.record_violation(name, "unknown method (not in the Bot API spec)")
            return self._error(name, params, ApiError(404, "Not Found", violation=False))
        values, problems = self.state.validator.validate(spec, params, uploads)
        if problems:
            for problem in problems:
                self.state.record_violation(spec.name, str(problem))
            refusal = ApiError(400, f"Bad Request: {problems[0]}", violation=False)
            return self._error(spec.name, params, refusal)
        fault = self.double.faults.take(spec.name, values.get("chat_id"))
        if fault is not None and fault.kind != "latency":
            return await self._inject(request, spec.name, values, fault)
        try:
            result = await self._call(spec.name, values)
        except ApiError as error:
            return self._error(spec.name, values, error)
        finally:
            if fault is not None:  # "latency": carried out, the answer held back
                self.state.stats.injected[fault.kind] += 1
                await self._hold(fault.delay)
        for problem in self.state.validator.check_value(result, spec.returns, "result"):
            self.state.record_violation(spec.name, f"fakegram bug, answer breaks the spec: {problem}")
        self._record(spec.name, values, 200)
        return _json(200, {"ok": True, "result": result})

    async def _call(self, method: str, values: dict[str, Any]) -> Any:
        handler = HANDLERS.get(method)
        if handler is None:
            raise not_supported(f"method {method}")
        chat_id = values.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self.state.blocked:
            raise forbidden("bot was blocked by the user")
        if method.startswith("send") and method not in UNLIMITED_SENDS and chat_id is not None:
            retry_after = self.double.rate_limiter.acquire(chat_id)
            if retry_after is not None:
                raise too_many_requests(retry_after)
        return await handler(self.state, values)

    async def _inject(
        self, request: web.Request, method: str, values: dict[str, Any], fault: Fault
    ) -> web.StreamResponse:
        self.state.stats.injected[fault.kind] += 1
        if fault.kind == "internal":
            self._record(method, values, 500, "Internal Server Error (injected)")
            return _json(500, {"ok": False, "error_code": 500, "description": "Internal Server Error"})
        if fault.kind == "5xx":
            self._record(method, values, 502, "Bad Gateway (injected)")
            return _json(502, {"ok": False, "error_code": 502, "description": "Bad Gateway"})
        if fault.kind == "429":
            return self._error(method, values, too_many_requests(fault.retry_after))
        if fault.kind == "403":
            return self._error(method, values, forbidden("bot was blocked by the user"))
        if fault.kind == "network":
            self._record(method, values, 0, "connection dropped (injected)")
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=500)
        self._record(method, values, 0, "response held back (injected timeout)")
        await self._hold(self.double.timeout_delay)
        return _json(504, {"ok": False, "error_code": 504, "description": "Gateway Timeout"})

    async def _hold(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self.stopping.wait(), seconds)
        except TimeoutError:
            pass

    # -- answers and bookkeeping --------------------------------------------------------------

    def _error(self, method: str, params: dict[str, Any], error: ApiError) -> web.Response:
        if error.violation:
            self.state.record_violation(method, error.description)
        self._record(method, params, error.status, error.description)
        return _json(error.status, error.payload())

    def _record(self, method: str, params: dict[str, Any], status: int, description: str | None = None) -> None:
        stats = self.state.stats
        stats.methods[method] += 1
        if status == 429:
            stats.too_many_requests += 1
        elif status == 403:
            stats.forbidden += 1
        elif status == 400:
            stats.bad_requests += 1
        self.state.requests.append(
            RequestRecord(self.state.now(), method, _summary(params), status, description)
        )


def _json(status: int, body: dict[str, Any]) -> web.Response:
    return web.Response(status=status, text=json.dumps(body), content_type="application/json")
