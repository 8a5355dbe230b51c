"""The long versions (`make soak`, ESAKIP_SOAK=1): 100 kill -9 of a real `esakip-bot run`, the
same against a saturated outbox, and a whole cycle with 25 % of the deliveries failing."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections import Counter

import pytest
from sqlalchemy import select

from bot.demo import run_cycle
from bot.simulation import Simulation
from bot.storage import models as m
from tests.e2e.conftest import OPDS
from tests.reliability.kill_storm import allowed_kills_with_duplicates, storm
from tests.reliability.soak_report import soak_enabled, write_report

pytestmark = pytest.mark.skipif(not soak_enabled(), reason="the long version: make soak (ESAKIP_SOAK=1)")

FAULTS = ("internal", "5xx", "network", "latency")


def storm_figures(report) -> dict:
    figures = dataclasses.asdict(report)
    figures["kills_with_duplicates"] = report.kills_with_duplicates
    figures["per_kill"] = dict(Counter(report.per_kill))
    return figures


async def test_a_hundred_kills_of_run(tmp_path):
    kills = int(os.environ.get("ESAKIP_SOAK_KILLS", "100"))
    report = await storm(tmp_path, kills=kills, command="run")
    write_report("kill_storm", storm_figures(report))
    assert report.lost == 0 and report.statuses == {"sent": report.messages}, report
    assert all(n <= 1 for n in report.per_kill), report
    assert report.kills_with_duplicates <= allowed_kills_with_duplicates(kills), report
    assert report.tracebacks == 0 and report.violations == 0, report


async def test_kills_while_a_broadcast_saturates_the_outbox(tmp_path):
    """The physical limit: a kill while a send is in flight repeats that one message."""
    report = await storm(tmp_path, kills=20, rate=0, backlog=1500, command="worker", window=1.0)
    write_report("kill_storm_saturated", storm_figures(report))
    assert report.lost == 0 and report.statuses == {"sent": report.messages}, report
    assert all(n <= 1 for n in report.per_kill), report
    assert report.tracebacks == 0 and report.violations == 0, report


async def cycle(tmp_path, rate: float, caplog) -> dict:
    caplog.clear()
    async with Simulation(tmp_path, opds=OPDS) as sim:
        double = sim.double
        if rate:
            double.faults.randomly(rate, kinds=FAULTS, delay=7.0, seed=15)
        double.faults.paused = True
        dispatcher = sim.app.bot_data["dispatcher"]
        plain = dispatcher.run_once

        def waiting() -> int:
            with sim.svc.db.transaction(write=False) as s:
                return len(s.scalars(select(m.Outbox.id).where(m.Outbox.status == "pending")).all())

        async def run_once(bot, limit=dispatcher.BATCH):
            """Deliver under faults; rows that failed are retried once their backoff has passed."""
            double.faults.paused = False
            try:
                sent = await plain(bot, limit)
                for _ in range(30):
                    if not waiting():
                        break
                    sim.advance(minutes=10)
                    sent += await plain(bot, limit)
                return sent
            finally:
                double.faults.paused = True

        dispatcher.run_once = run_once
        await run_cycle(sim, returned_opd="dinsos")
        with sim.svc.db.transaction(write=False) as s:
            status = s.scalar(select(m.Cycle.status))
            actions = dict(Counter(s.scalars(select(m.AuditLog.action))))
            outbox = dict(Counter(s.scalars(select(m.Outbox.status))))
        return {
            "status": status, "actions": actions, "outbox": outbox,
            "received": {who: len(sim.messages(who)) for who in sim.people},
            "updates": double.state.updates._next_id - 1,  # every update the simulated people sent
            "injected": dict(double.stats.injected),
            "violations": list(double.violations),
            "tracebacks": sum(1 for r in caplog.records if r.exc_info and r.levelno >= logging.ERROR),
        }


async def test_a_whole_cycle_with_a_quarter_of_the_deliveries_failing(tmp_path, caplog):
    calm = await cycle(tmp_path / "calm", 0.0, caplog)
    faulted = await cycle(tmp_path / "faults", 0.25, caplog)
    lost = sum(max(0, n - faulted["actions"].get(a, 0)) for a, n in calm["actions"].items())
    extra = {who: faulted["received"][who] - n for who, n in calm["received"].items()
             if faulted["received"][who] != n}
    write_report("cycle_under_faults", {
        "rate": 0.25, "kinds": list(FAULTS), "updates_sent": faulted["updates"],
        "outbox_rows": sum(faulted["outbox"].values()), "outbox_status": faulted["outbox"],
        "injected": faulted["injected"], "tracebacks": faulted["tracebacks"], "lost_transitions": lost,
        "messages_differing_from_calm_run": extra, "spec_violations": len(faulted["violations"]),
        "cycle_status": faulted["status"]})
    assert faulted["status"] == calm["status"] == "closed"
    assert lost == 0 and faulted["actions"] == calm["actions"]
    assert faulted["outbox"] == {"sent": sum(calm["outbox"].values())}
    assert extra == {}, extra  # nothing lost, nothing doubled
    assert sum(faulted["injected"].values()) >= 10
    assert faulted["tracebacks"] == 0 and faulted["violations"] == []
