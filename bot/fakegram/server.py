"""FakeTelegram: a local Bot API server for tests and the offline demo.

    async with FakeTelegram(token="123:ABC") as double:
        double.add_user(1001, "Budi")
        app = (ApplicationBuilder().token(double.token)
               .base_url(double.base_url).base_file_url(double.base_file_url).build())
        ...
        await double.send_text(1001, "/start")
        await double.wait_idle()
        assert double.last_message(1001).plain_text.startswith("Selamat")
        double.assert_no_violations()
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self, TypeVar

from aiohttp import web

from bot.fakegram.activity import Activity, IdleProbe
from bot.fakegram.faults import Fault, FaultInjector, FaultKind, RandomFaults
from bot.fakegram.http_app import HttpFrontend
from bot.fakegram.inspection import Inspection
from bot.fakegram.ratelimit import RateLimiter, RateLimits
from bot.fakegram.spec import load_spec
from bot.fakegram.state import BotIdentity, Clock, SystemClock, TelegramState
from bot.fakegram.users import UserActions

T = TypeVar("T")


class BotBuilder(Protocol):
    """What ``configure`` needs of ``telegram.ext.ApplicationBuilder``."""

    def token(self, token: str) -> Self: ...

    def base_url(self, base_url: str) -> Self: ...

    def base_file_url(self, base_file_url: str) -> Self: ...


B = TypeVar("B", bound=BotBuilder)


class UpdateProcessor(Protocol):
    @property
    def current_concurrent_updates(self) -> int: ...


class ProcessingApplication(Protocol):
    """What ``watch`` needs of ``telegram.ext.Application``."""

    update_queue: asyncio.Queue[object]

    @property
    def update_processor(self) -> UpdateProcessor: ...


class FakeTelegram(UserActions, Inspection):
    """A Bot API double on 127.0.0.1 that validates every request against the spec."""

    def __init__(
        self,
        token: str = "123:ABC",
        *,
        bot_id: int = BotIdentity.id,
        username: str = BotIdentity.username,
        first_name: str = BotIdentity.first_name,
        clock: Clock | None = None,
        rate_limits: RateLimits | None = None,
        timeout_delay: float = 10.0,
        callback_query_max_age: float = 15.0,
        quiet_period: float = 0.1,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.token = token
        self.state = TelegramState(load_spec(), BotIdentity(bot_id, username, first_name),
                                   clock or SystemClock())
        self.state.callback_query_max_age = callback_query_max_age
        self.activity = Activity()
        self.state.updates.on_change = self.activity.touch
        self.rate_limits = rate_limits or RateLimits()
        self.rate_limiter = RateLimiter(self.rate_limits)
        self.faults = FaultInjector()
        #: How long an injected "timeout" holds the response back, in seconds.
        self.timeout_delay = timeout_delay
        #: How long wait_idle wants to see no request before it calls the bot idle, in seconds.
        self.quiet_period = quiet_period
        self.host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self._frontend: HttpFrontend | None = None

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        """Start serving (on a random free port unless one was given)."""
        if self._runner is not None:
            raise RuntimeError("the double is already running")
        self.state.updates.open()
        self._frontend = HttpFrontend(self)
        runner = web.AppRunner(self._frontend.build(), access_log=None, handle_signals=False,
                               handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._port)
        await site.start()
        self._runner = runner
        self._port = runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Answer pending long polls and held requests, then close the server."""
        if self._runner is None:
            return
        if self._frontend is not None:  # set together with the runner by start()
            self._frontend.stopping.set()
        await self.state.updates.close()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # -- addresses ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._runner is None:
            raise RuntimeError("the double is not running; call start() first")
        return self._port

    @property
    def url(self) -> str:
        """Root of the server, e.g. http://127.0.0.1:PORT."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)``: PTB appends the token."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)``: PTB appends the token."""
        return f"{self.url}/file/bot"

    @property
    def api_url(self) -> str:
        """The bot's endpoint prefix with the token: ``f"{double.api_url}/getMe"``."""
        return f"{self.base_url}{self.token}"

    def configure(self, builder: B) -> B:
        """Point a ``telegram.ext.ApplicationBuilder`` at the double (token and both URLs)."""
        return builder.token(self.token).base_url(self.base_url).base_file_url(self.base_file_url)

    # -- behaviour switches ---------------------------------------------------------------------

    @property
    def conflict_on_get_updates(self) -> bool:
        """When True, getUpdates answers 409 as if another instance were polling."""
        return self.state.conflict_on_get_updates

    @conflict_on_get_updates.setter
    def conflict_on_get_updates(self, value: bool) -> None:
        self.state.conflict_on_get_updates = value

    @property
    def callback_query_max_age(self) -> float:
        """Seconds (on the double's clock) after which answerCallbackQuery is too late."""
        return self.state.callback_query_max_age

    @callback_query_max_age.setter
    def callback_query_max_age(self, seconds: float) -> None:
        self.state.callback_query_max_age = seconds

    def inject(
        self,
        method: str | None,
        kind: FaultKind,
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | str | None = None,
        delay: float = 7.0,
    ) -> Fault:
        """Make the next ``times`` valid requests to ``method`` fail.

        ``method=None`` matches every method except getUpdates; ``chat_id`` narrows it to
        requests for that chat. Kinds: "5xx" (502 Bad Gateway), "internal" (500 Internal Server
        Error), "timeout" (no answer for ``timeout_delay`` seconds), "429" (Too Many Requests,
        ``retry_after``), "403" (bot blocked by the user), "network" (connection dropped), "latency" (carried out, the answer
        held back ``delay`` seconds). ``double.faults.randomly(rate)`` fails requests at random.
        """
        return self.faults.add(Fault(method, kind, times, retry_after, chat_id, delay))

    def inject_randomly(self, rate: float, kinds: tuple[FaultKind, ...] = ("5xx", "network"),
                        methods: tuple[str, ...] = (), seed: int = 0) -> RandomFaults:
        """From now on each request (to ``methods``, or to any method but getUpdates) fails with
        probability ``rate``, its kind drawn from ``kinds``; ``rate=0`` (or ``faults.clear()``)
        stops it. Counted faults added with ``inject`` are used up first."""
        self.faults.random = RandomFaults(rate, tuple(kinds), frozenset(methods), seed)
        return self.faults.random

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every request for this chat gets 403 from now on."""
        self.state.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.state.blocked.discard(chat_id)

    # -- synchronisation ------------------------------------------------------------------------

    def watch(self, application: ProcessingApplication) -> None:
        """Let ``wait_idle`` also wait for the Application to finish the updates it fetched
        (its update queue is empty and no update is being processed), so a handler that
        works longer than ``quiet_period`` before its first request is still waited for."""

        def probe() -> str | None:
            queued = application.update_queue.qsize()
            running = application.update_processor.current_concurrent_updates
            if queued or running:
                return f"application: {queued} update(s) queued, {running} being processed"
            return None

        self.add_idle_probe(probe)

    def add_idle_probe(self, probe: IdleProbe) -> None:
        """Add a check ``wait_idle`` must pass: it returns None when idle, else what is busy."""
        self.activity.probes.append(probe)

    async def wait_idle(self, timeout: float = 5.0, quiet: float | None = None) -> None:
        """Wait until the bot fetched every queued update, has no request in flight and made
        no request for ``quiet`` seconds (default ``quiet_period``)."""
        quiet = self.quiet_period if quiet is None else quiet
        deadline = time.monotonic() + timeout
        while True:
            pending = self.state.updates.pending
            busy = self.activity.in_flight or self.activity.busy_probes()
            if not pending and not busy and self.activity.quiet_for() >= quiet:
                return
            if time.monotonic() >= deadline:
                raise TimeoutError(f"the bot is not idle after {timeout} s: " + self._busy_report())
            await asyncio.sleep(min(0.01, quiet or 0.01))

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, interval: float = 0.01) -> T:
        """Poll ``predicate`` until it returns something truthy, and return that."""
        deadline = time.monotonic() + timeout
        while True:
            result = predicate()
            if result:
                return result
            if time.monotonic() >= deadline:
                name = getattr(predicate, "__name__", repr(predicate))
                raise TimeoutError(f"{name} still false after {timeout} s; {self._busy_report()}")
            await asyncio.sleep(interval)

    def _busy_report(self) -> str:
        pending = self.state.updates.pending
        parts = []
        if pending:
            described = ", ".join(
                f"#{u.update_id} {u.kind} ({'fetched, not confirmed' if u.delivered else 'not fetched'})"
                for u in pending[:5]
            )
            parts.append(f"{len(pending)} update(s) pending: {described}")
        if self.activity.in_flight:
            parts.append(f"requests in flight: {', '.join(self.activity.in_flight)}")
        parts.extend(self.activity.busy_probes())
        parts.append(f"last activity {self.activity.quiet_for():.2f} s ago")
        return "; ".join(parts)

    def __repr__(self) -> str:
        where = self.url if self._runner is not None else "stopped"
        return f"<FakeTelegram {self.state.bot.username} {where}>"
