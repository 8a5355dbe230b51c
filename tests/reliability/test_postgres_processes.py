"""One `esakip-bot run` and two `esakip-bot worker` on one PostgreSQL database; one worker is
killed -9 midway (issue 15, item 9): every reminder and message is delivered, at most one twice."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.fakegram import FakeTelegram, RateLimits
from bot.services.container import build_services
from bot.storage import models as m
from tests.e2e.test_workers import seed
from tests.reliability.procs import BotProcess, bot_env, wait_polling
from tests.reliability.soak_report import soak_enabled, write_report

TOKEN = "424242:WORKER-TEST"  # the seed's users and texts are those of tests/e2e/test_workers.py
GUEST = 5999


@pytest.mark.skipif(not soak_enabled(), reason="three processes for 40 s: make soak (ESAKIP_SOAK=1)")
async def test_run_and_two_workers_deliver_everything_when_a_worker_is_killed(pg_db, tmp_path):
    from tests.e2e.test_workers import USERS

    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as double:
        for i in range(USERS):
            double.add_user(7000 + i, first_name=f"Operator {i}")
        double.add_user(GUEST, first_name="Tamu")
        svc = build_services(Settings(_env_file=None, database_url=pg_db.url, data_dir=tmp_path,
                                      calendar="24x7"), db=pg_db)
        env = bot_env(double, pg_db.url, tmp_path, ESAKIP_SWEEP_SECONDS="0.2")
        procs = [BotProcess("run", env), BotProcess("worker", env), BotProcess("worker", env)]
        try:
            for proc in procs:
                await proc.start()
            await wait_polling(double, 0)
            await double.wait_for(lambda: double.stats.methods["getMe"] >= 3, timeout=60, interval=0.05)
            expected = seed(svc, datetime.now(timezone.utc))

            def delivered() -> int:
                return sum(len(double.messages_for(7000 + i)) for i in range(USERS))

            await double.wait_for(lambda: delivered() >= expected // 3, timeout=60, interval=0.005)
            await procs[1].kill9()
            await double.send_text(GUEST, "/start")  # the receiving process still serves
            await double.wait_for(lambda: double.messages_for(GUEST), timeout=30, interval=0.05)
            await double.wait_for(lambda: len({(i, x.plain_text.splitlines()[0]) for i in range(USERS)
                                               for x in double.messages_for(7000 + i)}) >= expected,
                                  timeout=60, interval=0.1)
            await double.wait_for(lambda: _settled(pg_db), timeout=30, interval=0.1)
        finally:
            for proc in (procs[0], procs[2]):
                if proc.returncode is None:
                    assert await proc.stop() == 0, proc.stderr
            for proc in procs:
                await proc.ensure_dead()
        for proc in procs:
            assert "Traceback" not in proc.stderr, proc.stderr
        copies = Counter((i, x.plain_text.splitlines()[0]) for i in range(USERS) for x in double.messages_for(7000 + i))
        assert len(copies) == expected  # every message and every reminder arrived
        assert sum(n - 1 for n in copies.values()) <= 1, [k for k, n in copies.items() if n > 1]
        reminders = sum(1 for (_, first), n in copies.items() if not first.startswith("Pesan "))
        write_report("run_and_two_workers", {"expected": expected, "delivered": len(copies), "reminders": reminders,
                                             "duplicates": sum(n - 1 for n in copies.values()),
                                             "violations": len(double.violations)})
        assert reminders == USERS
        double.assert_no_violations()


def _settled(db) -> bool:
    with db.transaction(write=False) as s:
        return set(s.scalars(select(m.Outbox.status))) == {"sent"}
