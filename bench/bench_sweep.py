"""Cost of one deadline sweep against N open tasks of which 100 are due (SQLite and PostgreSQL).

    .venv/bin/python bench/bench_sweep.py [--sizes 1000,10000,100000] [--repeat 5]

PostgreSQL is used when it answers on 127.0.0.1:5432 (a scratch database is created and dropped).
Wall-clock figures (median, min) are the target's; "CPU" is this process's CPU time per sweep,
which moves much less when other processes load the machine (their share over the repetitions
is printed).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from botproc import CORES, busy_seconds, postgres_answers, scratch_postgres  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.formatting import WIB  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.services.directory import OpdRow  # noqa: E402
from bot.storage import Database, models as m  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402

DUE = 100
NOW = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)


def seed(svc, open_tasks: int) -> list[int]:
    """One cycle, `open_tasks` open step-9 tasks; the first DUE of them owe an alert now."""
    opds = [OpdRow(f"OPD{i:03d}", f"Perangkat Daerah {i:03d}", "") for i in range(50)]
    svc.directory.import_opd(opds)
    for i, opd in enumerate(opds):
        svc.directory.add_user(10_000 + i, f"Operator {i}", "opd", opd.kode)
    svc.directory.add_user(1, "Sekda", "sekda")
    with svc.db.transaction() as s:
        cycle = m.Cycle(sop_name="esakip", sop_version=1, tahun=2026, status="open", opened_at=NOW,
                        opened_by=s.query(m.User.id).filter(m.User.telegram_id == 1).scalar(), letter={})
        s.add(cycle)
        s.flush()
        far = NOW + timedelta(days=20)
        rows = []
        for seq in range(1, open_tasks + 1):
            due = seq <= DUE
            rows.append(dict(cycle_id=cycle.id, seq=seq, step=9, role="opd", opd_kode=opds[seq % 50].kode,
                             status="open", started_at=NOW - timedelta(days=10),
                             due_at=NOW - timedelta(hours=1) if due else far,
                             next_alert_at=NOW - timedelta(minutes=5) if due else far - timedelta(days=7),
                             alert_level=0))
            if len(rows) == 5000:
                s.execute(insert(m.Task), rows)
                rows = []
        if rows:
            s.execute(insert(m.Task), rows)
    return list(range(1, DUE + 1))


def reset(svc) -> None:
    """Make the same 100 tasks due again (untimed). The writes of the reset itself are settled
    first (a WAL checkpoint on SQLite, VACUUM on PostgreSQL) so they are not billed to the sweep."""
    with svc.db.transaction() as s:
        s.execute(delete(m.Outbox))
        s.execute(delete(m.AuditLog).where(m.AuditLog.action == "escalation"))
        s.execute(update(m.Task).where(m.Task.seq <= DUE).values(
            next_alert_at=NOW - timedelta(minutes=5), alert_level=0))
    with svc.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        if svc.db.is_sqlite:
            c.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            c.exec_driver_sql("VACUUM ANALYZE tasks, outbox, audit_log")
    gc.collect()  # the reset's garbage is not the sweep's: collected here, untimed


def measure(url: str, sizes: list[int], repeat: int, label: str) -> None:
    for size in sizes:
        db = Database(url)
        if db.is_postgresql:
            from bot.storage.base import Base

            Base.metadata.drop_all(db.engine)
            with db.engine.begin() as c:
                c.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(db)
        settings = Settings(_env_file=None, database_url=url, data_dir=Path(tempfile.mkdtemp()))
        svc = build_services(settings, clock=FrozenClock(NOW), db=db)
        seed(svc, size)
        gc.collect()
        gc.freeze()  # as the bot does once started (bot/app.py freeze_startup_heap)
        if db.is_postgresql:
            with db.engine.begin() as c:
                c.exec_driver_sql("ANALYZE")
        timings, cpu, sent = [], [], 0
        busy, wall, own = busy_seconds(), time.perf_counter(), time.process_time()
        for _ in range(repeat):
            reset(svc)
            start, cpu0 = time.perf_counter(), time.process_time()
            result = svc.alerts.sweep()
            cpu.append((time.process_time() - cpu0) * 1000)
            timings.append((time.perf_counter() - start) * 1000)
            sent = result.tasks
        window = time.perf_counter() - wall
        others = max(0.0, (busy_seconds() - busy) - (time.process_time() - own)) / CORES / window
        print(f"{label:<10} {size:>8} open  {sent:>4} due  median {statistics.median(timings):7.1f} ms"
              f"  min {min(timings):7.1f} ms  CPU median {statistics.median(cpu):6.1f} ms"
              f"  (others used about {others:.0%} of the machine)")
        db.dispose()
        if not db.is_postgresql:
            Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    folder = Path(tempfile.mkdtemp())
    measure(f"sqlite:///{folder / 'bench.db'}", sizes, args.repeat, "sqlite")
    if not postgres_answers():
        print("postgresql: not running on 127.0.0.1:5432, skipped")
        return
    with scratch_postgres() as url:
        measure(url, sizes, args.repeat, "postgresql")


if __name__ == "__main__":
    main()
