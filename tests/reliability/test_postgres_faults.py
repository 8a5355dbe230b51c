"""PostgreSQL ends the bot's connections (pg_terminate_backend) in the middle of a cycle and
while the dispatcher sends (issue 15, item 9): the next update is served, no transition is lost
and nothing is sent twice. Skipped when PostgreSQL is not up."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from sqlalchemy.pool import NullPool

from bot.demo import run_cycle
from bot.simulation import Simulation
from bot.storage import models as m
from tests.e2e.conftest import OPDS
from tests.reliability.soak_report import write_report

SENDS = frozenset({"sendMessage", "sendDocument", "editMessageText", "answerCallbackQuery"})


@pytest.fixture
def pg_url(postgres_url):
    if postgres_url is None:
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    from bot.storage import Database
    from tests.conftest import _truncate_all

    db = Database(postgres_url)
    _truncate_all(db)
    db.dispose()
    return postgres_url


class Terminator:
    """Ends every other session on the bot's database each `every`-th send the double serves."""

    def __init__(self, url: str, every: int) -> None:
        self.engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                                       poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self.every, self.calls, self.ended = every, 0, 0

    def maybe(self, method: str) -> None:
        if method not in SENDS:
            return
        self.calls += 1
        if self.calls % self.every == 0:
            self.end_all()

    def end_all(self) -> None:
        with self.engine.connect() as conn:
            self.ended += conn.execute(sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()")).scalar() or 0

    def every_few_ms(self, stop: threading.Event, seconds: float = 0.1) -> threading.Thread:
        """In a thread of its own: end the sessions at any moment, mid-transaction included."""
        def loop() -> None:
            while not stop.wait(seconds):
                self.end_all()

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        return thread


def outcome(sim: Simulation) -> tuple[str, Counter[str], dict[str, int]]:
    with sim.svc.db.transaction(write=False) as s:
        status = s.scalar(select(m.Cycle.status))
        actions = Counter(s.scalars(select(m.AuditLog.action)))
        outbox = dict(Counter(s.scalars(select(m.Outbox.status))))
    return status, actions, outbox


def received(sim: Simulation) -> dict[str, int]:
    return {who: sum(1 for x in sim.messages(who) if x.direction == "bot→user") for who in sim.people}


async def cycle(tmp_path, url: str, terminator: Terminator | None):
    async with Simulation(tmp_path, db_url=url, opds=OPDS) as sim:
        if terminator is not None:
            frontend = sim.double._frontend
            call = frontend._call

            async def terminating_call(method, values):
                result = await call(method, values)
                terminator.maybe(method)  # the answer is on its way; the bot's sessions end now
                return result

            frontend._call = terminating_call
        await run_cycle(sim, returned_opd="dinsos")
        sim.double.assert_no_violations()
        return outcome(sim), received(sim)


async def test_sessions_ended_while_the_dispatcher_sends_lose_and_double_nothing(pg_url, tmp_path):
    from bot.services.outbox import enqueue

    async with Simulation(tmp_path, db_url=pg_url, opds=OPDS) as sim:
        people = list(sim.people)
        with sim.svc.db.transaction() as s:
            for n in range(80):
                enqueue(s, now=sim.clock.now(), chat_id=sim.tg(people[n % len(people)]), kind="message",
                        purpose="info", payload={"text": f"Pemberitahuan nomor {n:03d}"})
        terminator = Terminator(pg_url, every=1)
        stop = threading.Event()
        thread = terminator.every_few_ms(stop)
        try:
            dispatcher = sim.app.bot_data["dispatcher"]
            for _ in range(20):  # the frozen clock never expires a lease: what is left is stuck
                await dispatcher.run_once(dispatcher.bot)
        finally:
            stop.set()
            thread.join()
        terminator.end_all()  # the pool now holds only dead sessions
        await sim.say("sekda", "/tugas")  # the next update is served
        terminator.engine.dispose()
        assert terminator.ended >= 5
        assert "Terjadi gangguan" not in sim.last_text("sekda")
        texts = Counter(x.plain_text for who in people for x in sim.messages(who)
                        if x.plain_text.startswith("Pemberitahuan nomor"))
        assert len(texts) == 80 and set(texts.values()) == {1}, texts
        with sim.svc.db.transaction(write=False) as s:
            assert set(s.scalars(select(m.Outbox.status))) == {"sent"}


@pytest.mark.skipif(not os.environ.get("ESAKIP_SOAK"), reason="the long version: make soak")
async def test_ended_sessions_lose_no_transition_and_send_nothing_twice(pg_url, tmp_path):
    (status, actions, outbox), baseline = await cycle(tmp_path / "calm", pg_url, None)
    from bot.storage import Database
    from tests.conftest import _truncate_all

    db = Database(pg_url)
    _truncate_all(db)
    db.dispose()
    terminator = Terminator(pg_url, every=5)
    (f_status, f_actions, f_outbox), faulted = await cycle(tmp_path / "faults", pg_url, terminator)
    terminator.engine.dispose()
    lost = sum(max(0, n - f_actions.get(a, 0)) for a, n in actions.items())
    write_report("cycle_with_sessions_ended", {
        "sessions_ended": terminator.ended, "sends_seen": terminator.calls, "cycle_status": f_status,
        "lost_transitions": lost, "outbox_status": f_outbox,
        "messages_differing_from_calm_run": {w: faulted[w] - n for w, n in baseline.items() if faulted[w] != n}})
    assert terminator.ended >= 10  # sessions really were ended, many times
    assert (f_status, f_actions) == (status, actions)  # the cycle closed, every transition in
    assert f_outbox == outbox == {"sent": sum(outbox.values())}
    assert faulted == baseline  # every person got exactly the messages of the calm run
