"""Two `esakip-bot worker` processes on one PostgreSQL database send each message and each
reminder exactly once (outbox rows and due tasks are claimed with SKIP LOCKED)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import insert, select

from bot.config import Settings
from bot.fakegram import FakeTelegram, RateLimits
from bot.services.container import build_services
from bot.services.directory import OpdRow
from bot.services.outbox import enqueue
from bot.storage import models as m

TOKEN = "424242:WORKER-TEST"
USERS = 40


def seed(svc, now: datetime) -> int:
    """USERS operators with two queued messages each, and one overdue task per OPD."""
    opds = [OpdRow(f"W{i:02d}", f"Perangkat Daerah W{i:02d}", "") for i in range(USERS)]
    svc.directory.import_opd(opds)
    for i, opd in enumerate(opds):
        svc.directory.add_user(7000 + i, f"Operator W{i:02d}", "opd", opd.kode)
    svc.directory.add_user(6999, "Sekda", "sekda")
    with svc.db.transaction() as s:
        for i in range(USERS):
            for n in (1, 2):
                enqueue(s, now=now, chat_id=7000 + i, kind="message", purpose="info",
                        payload={"text": f"Pesan {n} untuk W{i:02d}"})
        sekda = s.scalar(select(m.User.id).where(m.User.telegram_id == 6999))
        cycle = m.Cycle(sop_name="esakip", sop_version=1, tahun=2026, status="open", opened_at=now,
                        opened_by=sekda, letter={})
        s.add(cycle)
        s.flush()
        s.execute(insert(m.Task), [dict(
            cycle_id=cycle.id, seq=i + 1, step=9, role="opd", opd_kode=opd.kode, status="open",
            started_at=now - timedelta(hours=3), due_at=now - timedelta(minutes=1),
            next_alert_at=now - timedelta(minutes=1), alert_level=0) for i, opd in enumerate(opds)])
    return USERS * 3  # two messages and one "due" reminder per operator


async def test_two_workers_send_everything_exactly_once(pg_db, tmp_path):
    async with FakeTelegram(token=TOKEN, rate_limits=RateLimits(enabled=False)) as double:
        for i in range(USERS):
            double.add_user(7000 + i, first_name=f"Operator {i}")
        settings = Settings(_env_file=None, database_url=pg_db.url, data_dir=tmp_path, calendar="24x7")
        svc = build_services(settings, db=pg_db)
        env = {**os.environ, "ESAKIP_DATABASE_URL": pg_db.url, "ESAKIP_BOT_TOKEN": TOKEN,
               "ESAKIP_BOT_API_URL": double.base_url, "ESAKIP_BOT_FILE_URL": double.base_file_url,
               "ESAKIP_CALENDAR": "24x7", "ESAKIP_SWEEP_SECONDS": "0.2", "ESAKIP_DATA_DIR": str(tmp_path)}
        cli = [sys.executable, "-c", "from bot.cli import main; main()", "worker"]
        workers = [subprocess.Popen(cli, env=env, cwd=Path(__file__).parents[2],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
        try:
            # both workers are up (each asked getMe) before anything is due, so they compete
            await double.wait_for(lambda: double.stats.methods["getMe"] >= 2, timeout=30, interval=0.05)
            expected = seed(svc, datetime.now(timezone.utc))

            def delivered() -> int:
                return sum(len([x for x in double.messages_for(7000 + i) if x.direction == "bot→user"])
                           for i in range(USERS))

            await double.wait_for(lambda: delivered() >= expected, timeout=60, interval=0.1)
            await asyncio.sleep(1.0)  # anything sent twice would arrive now
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            outputs = [worker.communicate(timeout=20) for worker in workers]
        for worker, (_, err) in zip(workers, outputs):
            assert worker.returncode == 0, err.decode()
            assert b"Traceback" not in err, err.decode()
        for i in range(USERS):
            texts = Counter(x.plain_text.splitlines()[0] for x in double.messages_for(7000 + i)
                            if x.direction == "bot→user")
            assert all(count == 1 for count in texts.values()), texts
            assert len(texts) == 3, texts
        with pg_db.transaction(write=False) as s:
            statuses = Counter(s.scalars(select(m.Outbox.status)))
        assert statuses == {"sent": expected}
        double.assert_no_violations()
