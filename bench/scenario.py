"""The cycle the benchmarks start from, the load they fire, and how replies are matched to updates.

`prepare_distributed` drives the real Application (in this process, through the double) from
/mulai to "Distribusikan surat", so every OPD operator holds a receipt task with its button. The
bot under test then runs in another process against the same double and database.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from bot.clock import FrozenClock
from bot.services.directory import OpdRow, bundled_opd
from bot.simulation import Person, Simulation

from timed_double import Arrival, TimedDouble

OFFICIALS = ("sekda", "asisten", "kabag", "tim1", "tim2")


def opd_rows(count: int) -> list[OpdRow]:
    """The bundled Perangkat Daerah, topped up with numbered ones to `count`."""
    rows = bundled_opd()[:count]
    rows += [OpdRow(f"PDX{i:03d}", f"Perangkat Daerah Tambahan {i:03d}", f"PDX{i:03d}")
             for i in range(count - len(rows))]
    return rows


class PrepSimulation(Simulation):
    """A Simulation whose double keeps serving after the in-process bot stopped."""

    async def __aexit__(self, *exc: object) -> None:
        await self._stop_app()
        self.svc.db.dispose()


@dataclass(frozen=True)
class Operator:
    user_id: int
    message_id: int  # the receipt task message
    data: str  # its "Terima surat" callback data


@dataclass(frozen=True)
class Cast:
    officials: list[int]
    operators: list[Operator]
    data_dir: Path  # ESAKIP_DATA_DIR of the prepared bot (documents live there)


async def prepare_distributed(double: TimedDouble, workdir: Path, db_url: str, opds: list[OpdRow],
                              people: list[Person] | None = None, distribute: bool = True) -> Cast:
    """Start a cycle and take it to the distribution of the signed letter (or just before)."""
    sim = PrepSimulation(workdir, db_url=db_url, opds=opds, people=people,
                         clock=FrozenClock(datetime.now(timezone.utc)))
    sim.double = double
    async with sim:
        await sim.say("sekda", "/mulai 2026")
        await sim.press("sekda", "Disposisikan ke Asisten")
        await sim.press("asisten", "Disposisikan ke Kabag")
        await sim.press("kabag", "Disposisikan ke Tim SAKIP")
        await sim.press("tim1", "Isi konsep surat")
        await sim.press("tim1", "Kirim ke Kabag")
        await sim.press("kabag", "Setujui")
        await sim.press("asisten", "Setujui")
        await sim.press("sekda", "Tandatangani")
        await sim.press("sekda", "Ya, tandatangani")
        if distribute:
            await sim.press("tim1", "Distribusikan surat")
        double.assert_no_violations()
        operators = []
        for person in sim.people.values():
            if person.peran != "opd" or not distribute:
                continue
            message = sim.find_message(person.key, "Terima surat")
            data = next(b.data for row in message.buttons for b in row if b.text == "Terima surat")
            operators.append(Operator(person.telegram_id, message.message_id, data))
        officials = [sim.tg(key) for key in OFFICIALS]
    double.reset_timing()
    return Cast(officials, operators, workdir / "data")


@dataclass
class Action:
    kind: str  # receipt | stale_press | tugas | rekap
    user: int
    update_id: int
    sent: float
    query_id: str | None = None

    @property
    def is_press(self) -> bool:
        return self.query_id is not None


#: Shares of the updates that are not receipts (receipts are spread evenly, one per operator).
MIX = {"tugas": 0.63, "rekap": 0.13, "stale_press": 0.24}
#: A simulated user acts again only this long after the bot's first reply to their last update,
#: so that the rest of that reply (the task messages after the /tugas header) is in.
GUARD = 0.25


class Load:
    """Simulated people acting through the double; tracks who still waits for a reply."""

    def __init__(self, double: TimedDouble, cast: Cast, seed: int = 7) -> None:
        self.double, self.cast = double, cast
        self.rng = random.Random(seed)
        self.everyone = cast.officials + [o.user_id for o in cast.operators]
        self.waiting: dict[int, Action] = {}
        self.free_at: dict[int, float] = {}
        self.received: list[Operator] = []
        self.unreceived = list(cast.operators)
        self.rng.shuffle(self.unreceived)
        self.queries: dict[str, Action] = {}
        self.overlapped = 0
        double.listeners.append(self._on_arrival)

    def _on_arrival(self, arrival: Arrival) -> None:
        if arrival.method == "answerCallbackQuery":
            action = self.queries.get(arrival.query_id or "")
            if action is not None and self.waiting.get(action.user) is action:
                del self.waiting[action.user]
                self.free_at[action.user] = arrival.at
        elif arrival.method == "sendMessage" and arrival.chat_id in self.waiting:
            action = self.waiting[arrival.chat_id]
            if not action.is_press:
                del self.waiting[arrival.chat_id]
                self.free_at[arrival.chat_id] = arrival.at

    def _pick(self, candidates: list[int]) -> int | None:
        now = time.perf_counter()
        free = [u for u in candidates if u not in self.waiting and now - self.free_at.get(u, 0) >= GUARD]
        return self.rng.choice(free) if free else None

    def _pick_anyway(self, candidates: list[int]) -> int:
        chosen = self._pick(candidates)
        if chosen is None:
            self.overlapped += 1
            chosen = min(candidates, key=lambda u: self.free_at.get(u, 0))
        return chosen

    async def _command(self, user: int, text: str, kind: str) -> Action:
        await self.double.send_text(user, text)
        action = Action(kind, user, self.double.last_update_id, time.perf_counter())
        self.waiting.setdefault(user, action)
        return action

    async def _press(self, operator: Operator, kind: str) -> Action:
        query_id = await self.double.press_raw(operator.user_id, operator.message_id, operator.data)
        action = Action(kind, operator.user_id, self.double.last_update_id, time.perf_counter(), query_id)
        self.queries[query_id] = action
        self.waiting.setdefault(operator.user_id, action)
        return action

    async def one(self, receipt: bool, free_only: bool = True) -> Action:
        if receipt and self.unreceived:
            ids = [o.user_id for o in self.unreceived]
            user = self._pick(ids) if free_only else None
            chosen = user if user is not None else self._pick_anyway(ids)
            operator = next(o for o in self.unreceived if o.user_id == chosen)
            self.unreceived.remove(operator)
            self.received.append(operator)
            return await self._press(operator, "receipt")
        kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
        if kind == "stale_press" and self.received:
            ids = [o.user_id for o in self.received]
            user = self._pick(ids) if free_only else self.rng.choice(ids)
            if user is not None:
                return await self._press(next(o for o in self.received if o.user_id == user), kind)
            kind = "tugas"
        if kind == "rekap":
            user = self._pick(self.cast.officials) if free_only else self.rng.choice(self.cast.officials)
            if user is not None:
                return await self._command(user, "/rekap", "rekap")
        user = self._pick_anyway(self.everyone) if free_only else self.rng.choice(self.everyone)
        return await self._command(user, "/tugas", "tugas")

    async def paced(self, rate: float, seconds: float) -> list[Action]:
        """`rate` updates/s for `seconds`; the receipts spread evenly over the window."""
        count = int(rate * seconds)
        receipts = len(self.unreceived)
        start = time.perf_counter()
        actions = []
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            is_receipt = (i + 1) * receipts // count > i * receipts // count
            actions.append(await self.one(is_receipt))
        return actions

    async def burst(self, count: int) -> list[Action]:
        """`count` updates at once, from anyone (no receipts)."""
        return [await self.one(False, free_only=False) for _ in range(count)]

    async def wait_answered(self, actions: list[Action], timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        pending = {id(a) for a in actions}
        while True:
            pending = {p for p in pending if any(id(w) == p for w in self.waiting.values())}
            if not pending or time.monotonic() > deadline:
                return
            await asyncio.sleep(0.02)


async def settle_quiet(double: TimedDouble, quiet: float = 1.0, at_least: float = 0.0,
                       timeout: float = 120.0) -> None:
    """Wait until the bot made no request for `quiet` seconds (and `at_least` seconds passed)."""
    start = time.perf_counter()
    deadline = start + timeout
    while time.perf_counter() < deadline:
        last = double.arrivals[-1].at if double.arrivals else start
        now = time.perf_counter()
        if now - last >= quiet and now - start >= at_least and not double.state.updates.pending:
            return
        await asyncio.sleep(0.05)


def first_replies(double: TimedDouble, actions: list[Action],
                  not_replies: set[tuple[int, int]] = frozenset()) -> dict[int, float]:  # type: ignore[assignment]
    """update_id -> when the bot's first reply to it reached the double.

    A press is answered by the answerCallbackQuery carrying its query id. A command by the first
    message sent to that chat after the update was handed out and not taken by an earlier
    command of the same chat; `not_replies` are (chat, message id) pairs the outbox dispatcher
    sent, which are not replies.
    """
    found: dict[int, float] = {}
    answers = {a.query_id: a.at for a in double.arrivals if a.method == "answerCallbackQuery"}
    sends: dict[int, list[float]] = {}
    for a in double.arrivals:
        if a.method in ("sendMessage", "sendDocument") and a.status == 200 and a.chat_id is not None \
                and (a.chat_id, a.message_id) not in not_replies:
            sends.setdefault(a.chat_id, []).append(a.at)
    used: dict[int, int] = {}
    for action in sorted(actions, key=lambda a: a.update_id):
        handed = double.handed.get(action.update_id)
        if handed is None:
            continue
        if action.is_press:
            if action.query_id in answers:
                found[action.update_id] = answers[action.query_id]
            continue
        times, i = sends.get(action.user, []), used.get(action.user, 0)
        while i < len(times) and times[i] < handed:
            i += 1
        if i < len(times):
            found[action.update_id] = times[i]
            used[action.user] = i + 1
    return found


@dataclass
class Latencies:
    values: dict[str, list[float]] = field(default_factory=dict)  # kind -> ms

    def add(self, kind: str, ms: float) -> None:
        self.values.setdefault(kind, []).append(ms)
        self.values.setdefault("all", []).append(ms)

    def summary(self, kind: str = "all") -> dict[str, float]:
        data = sorted(self.values.get(kind, []))
        if len(data) < 2:
            return {"n": len(data), "p50": data[0] if data else 0, "p95": 0, "p99": 0, "max": 0}
        q = statistics.quantiles(data, n=100, method="inclusive")
        return {"n": len(data), "p50": q[49], "p95": q[94], "p99": q[98], "max": data[-1]}


def latencies(double: TimedDouble, actions: list[Action], replies: dict[int, float]) -> Latencies:
    result = Latencies()
    for action in actions:
        if action.update_id in replies:
            result.add(action.kind, (replies[action.update_id] - double.handed[action.update_id]) * 1000)
    return result
