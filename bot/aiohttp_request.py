"""python-telegram-bot's requests over aiohttp instead of httpx.

Each update costs the bot one to three Bot API requests, and with httpx (pure-Python h11 and
anyio) the HTTP layer was about half of the event loop's CPU: the largest single cost of an
update (docs/BENCHMARKS.md, "2026-12-02 (session 7)"). aiohttp parses HTTP in C and is already a
dependency (the status board, the Bot API double). Behaviour follows PTB's HTTPXRequest: the same
timeouts per request, TimedOut for a timeout, NetworkError for a failed connection, the raw
status and body for PTB to interpret; the parameters go as JSON rather than form-encoded.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

log = logging.getLogger(__name__)
JSON = "application/json"


class AiohttpRequest(BaseRequest):
    """A BaseRequest with one aiohttp ClientSession (and its connection pool) per instance."""

    def __init__(self, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = connection_pool_size
        self._timeouts = {"read": read_timeout, "write": write_timeout, "connect": connect_timeout,
                          "pool": pool_timeout, "media_write": media_write_timeout}
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            # No cookies (Telegram sets none; httpx kept a jar it parsed every answer for).
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data else None
        read = self._timeout(read_timeout, "read")
        write = self._timeout(write_timeout, "media_write" if files else "write")
        connect = self._timeout(connect_timeout, "connect")
        pool = self._timeout(pool_timeout, "pool")
        # aiohttp has no write timeout of its own: the whole request may take the write and the
        # read timeouts together once connected; `connect` covers waiting for a pooled connection.
        timeout = aiohttp.ClientTimeout(
            total=None if read is None or write is None else read + write + (connect or 0) + (pool or 0),
            connect=None if connect is None and pool is None else (connect or 0) + (pool or 0),
            sock_connect=connect, sock_read=read)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as response:
                return response.status, await response.read()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err

    def _timeout(self, given: ODVInput[float], name: str) -> float | None:
        return self._timeouts[name] if isinstance(given, DefaultValue) else given


def _body(request_data: RequestData | None) -> Any:
    """The parameters as a JSON object (one call to the C encoder; form-encoding a 4096-character
    message percent-quoted it byte by byte in Python, the largest single cost of the event loop
    after httpx went); with files, multipart as HTTPXRequest sends them. Telegram takes either."""
    if request_data is None:
        return None
    files = request_data.multipart_data
    if not files:
        parameters = request_data.parameters
        return aiohttp.BytesPayload(json.dumps(parameters).encode(), content_type=JSON) if parameters else None
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
