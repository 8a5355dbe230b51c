"""Status boards refreshing beside the updates load (bench_updates.py --boards N): N open boards,
each asking the bot's `GET /papan/api/status` once a second as Tim SAKIP, as the page does (with
the last answer's ETag in `If-None-Match`, so an unchanged board is a 304)."""

from __future__ import annotations

import asyncio
import socket
import statistics
import time
from datetime import datetime, timezone

import aiohttp

from bot.webapp.initdata import sign_init_data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def board_env(boards: int, port: int) -> dict[str, str]:
    """The settings that make `esakip-bot run` serve the board (none when no boards are asked)."""
    return {"ESAKIP_WEBAPP_HOST": "127.0.0.1", "ESAKIP_WEBAPP_PORT": str(port)} if boards else {}


class Boards:
    def __init__(self, count: int, port: int, token: str, telegram_id: int, interval: float = 1.0) -> None:
        self.count, self.interval = count, interval
        self.url = f"http://127.0.0.1:{port}/papan/api/status"
        init = sign_init_data(token, {"id": telegram_id, "first_name": "Tim SAKIP"}, datetime.now(timezone.utc))
        self.headers = {"Authorization": f"tma {init}"}
        self.timings: list[float] = []
        self.failures = 0
        self.unchanged = 0
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._http: aiohttp.ClientSession | None = None

    async def ready(self, timeout: float = 15.0) -> None:
        """Wait until the bot's board answers."""
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession() as http:
            while True:
                try:
                    async with http.get(self.url, headers=self.headers) as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the board at {self.url} did not answer")
                await asyncio.sleep(0.2)

    def start(self) -> None:
        self._http = aiohttp.ClientSession()
        self._tasks = [asyncio.create_task(self._board(i)) for i in range(self.count)]

    async def _board(self, index: int) -> None:
        assert self._http is not None
        await asyncio.sleep(self.interval * index / max(self.count, 1))  # spread like real openings
        etag = ""
        while not self._stop.is_set():
            started = time.perf_counter()
            headers = {**self.headers, "If-None-Match": etag} if etag else self.headers
            try:
                async with self._http.get(self.url, headers=headers) as response:
                    await response.read()
                    if response.status == 304:
                        self.unchanged += 1
                    elif response.status != 200:
                        self.failures += 1
                    else:
                        etag = response.headers.get("ETag", "")
            except aiohttp.ClientError:
                self.failures += 1
            self.timings.append((time.perf_counter() - started) * 1000)
            try:
                await asyncio.wait_for(self._stop.wait(), self.interval)
            except TimeoutError:
                pass

    async def stop(self) -> str:
        self._stop.set()
        await asyncio.gather(*self._tasks)
        if self._http is not None:
            await self._http.close()
        ordered = sorted(self.timings) or [float("nan")]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return (f"boards: {self.count} refreshing every {self.interval:g} s, {len(self.timings)} requests, "
                f"{self.unchanged} unchanged (304), {self.failures} failed, "
                f"p50 {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms")
