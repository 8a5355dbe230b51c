"""Cost of the recap for N Perangkat Daerah in mixed states: the /rekap text, the XLSX, the chart,
the PDF, the SOP monitoring form and the audit trail CSV (SQLite and PostgreSQL).

    .venv/bin/python bench/bench_recap.py [--opd 500] [--repeat 5] [--pdf-repeat 3]

The cycle is written with bulk inserts (tasks, per-OPD progress, audit log) shaped like a real
one at the verification stage; the timed calls are the same ones the bot and the CLI make.
PostgreSQL is used when it answers on 127.0.0.1:5432 (a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import messages  # noqa: E402
from botproc import postgres_answers, scratch_postgres  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.formatting import WIB  # noqa: E402
from bot.reports import exports, text  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.services.directory import OpdRow  # noqa: E402
from bot.storage import Database, models as m  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402

START = datetime(2026, 11, 24, 10, 0, tzinfo=WIB)
DISTRIBUTED = START + timedelta(hours=2)
DEADLINE = datetime(2026, 12, 4, 16, 0, tzinfo=WIB)
WINDOW = datetime(2027, 1, 11, 12, 0, tzinfo=WIB)
NOW = datetime(2026, 12, 8, 10, 0, tzinfo=WIB)

#: (share of the OPDs, final status, the per-OPD tasks as (step, outcome or None while open)).
MIX = [
    (0.40, "terverifikasi", [(8, "received"), (9, "submitted"), (10, "sesuai")]),
    (0.10, "terverifikasi", [(8, "received"), (9, "submitted"), (10, "tidak_sesuai"), (9, "submitted"),
                             (10, "sesuai")]),
    (0.15, "menunggu_verifikasi", [(8, "received"), (9, "submitted"), (10, None)]),
    (0.05, "dikembalikan", [(8, "received"), (9, "submitted"), (10, "tidak_sesuai"), (9, None)]),
    (0.20, "mengisi", [(8, "received"), (9, None)]),
    (0.10, "belum_menerima", [(8, None)]),
]
ROLE = {8: "opd", 9: "opd", 10: "tim_sakip"}
ACTION = {"received": "task_confirm_receipt", "submitted": "task_submit", "sesuai": "task_sesuai",
          "tidak_sesuai": "task_tidak_sesuai"}


def seed(svc, count: int) -> int:  # type: ignore[no-untyped-def]
    opds = [OpdRow(f"OPD{i:03d}", f"Perangkat Daerah Uji Coba Nomor {i:03d} Kabupaten Lamandau", f"PD{i}")
            for i in range(count)]
    svc.directory.import_opd(opds)
    for telegram_id, nama, peran in [(1, "Sekda", "sekda"), (2, "Asisten", "asisten"), (3, "Kabag", "kabag"),
                                     (4, "Tim SAKIP", "tim_sakip")]:
        svc.directory.add_user(telegram_id, nama, peran)
    with svc.db.transaction() as s:
        users = {u.telegram_id: u.id for u in s.query(m.User)}
        cycle = m.Cycle(sop_name="esakip", sop_version=1, tahun=2026, status="open", opened_at=START,
                        opened_by=users[1], letter={"nomor": "000.8/1/SETDA-ORG/XI/2026"},
                        letter_deadline=DEADLINE, window_closes_at=WINDOW)
        s.add(cycle)
        s.flush()
        tasks, progress, audit = [], [], []
        seq = 0

        def task(step: int, role: str, opd: str | None, started: datetime, due: datetime | None,
                 outcome: str | None, actor: int | None) -> None:
            nonlocal seq
            seq += 1
            done = started + timedelta(hours=3 + seq % 40) if outcome else None
            tasks.append(dict(cycle_id=cycle.id, seq=seq, step=step, role=role, opd_kode=opd,
                              status="done" if outcome else "open", started_at=started, due_at=due,
                              completed_at=done, outcome=outcome, claimed_by=actor if outcome else None,
                              alert_level=0))
            if outcome:
                audit.append(dict(at=done, cycle_id=cycle.id, actor_id=actor, actor_label="Pengguna",
                                  action=ACTION.get(outcome, "task_forward"), entity="task", entity_id=str(seq),
                                  after={"task": {"step": step, "opd": opd, "note": "Catatan uji coba"}}))
            elif due is not None and due < NOW:
                audit.append(dict(at=NOW - timedelta(days=1), cycle_id=cycle.id, actor_label="sistem",
                                  action="escalation", entity="task", entity_id=str(seq),
                                  after={"tingkat": 1, "langkah": step, "opd": opd, "ringkasan_pagi": True}))

        for step, role in enumerate(["sekda", "asisten", "kabag", "tim_sakip", "kabag", "asisten", "sekda"], 1):
            task(step, role, None, START + timedelta(minutes=15 * step), START + timedelta(minutes=15 * step + 30),
                 "forwarded", users[1])
        task(8, "tim_sakip", None, START + timedelta(hours=1), DISTRIBUTED + timedelta(days=1), "distributed", users[4])
        bounds, acc = [], 0.0
        for share, status, steps in MIX:
            acc += share
            bounds.append((acc * count, status, steps))
        for i, opd in enumerate(opds):
            _, status, steps = next(b for b in bounds if i < b[0])
            for step, outcome in steps:
                due = {8: DISTRIBUTED + timedelta(days=1), 9: DEADLINE, 10: WINDOW}[step]
                task(step, ROLE[step], opd.kode, DISTRIBUTED, due, outcome, users[4] if step == 10 else None)
            received = any(step == 8 and out for step, out in steps)
            submitted = any(step == 9 and out for step, out in steps)
            progress.append(dict(cycle_id=cycle.id, opd_kode=opd.kode, urutan=i + 1, status=status,
                                 received_at=DISTRIBUTED + timedelta(hours=3) if received else None,
                                 submitted_at=DEADLINE - timedelta(days=2) if submitted else None,
                                 verified_at=DEADLINE if status == "terverifikasi" else None,
                                 returns=sum(1 for _, out in steps if out == "tidak_sesuai")))
        s.execute(insert(m.Task), tasks)
        s.execute(insert(m.CycleOpd), progress)
        s.execute(insert(m.AuditLog), audit)
        return cycle.id


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(median ms, first-call ms, last result); the first call also pays imports and caches."""
    timings, result = [], None
    for _ in range(repeat + 1):
        start = time.perf_counter()
        result = fn()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings[1:]), timings[0], result


def measure(url: str, count: int, repeat: int, pdf_repeat: int, label: str) -> None:
    db = Database(url)
    upgrade(db)
    settings = Settings(_env_file=None, database_url=url, data_dir=Path(tempfile.mkdtemp()))
    svc = build_services(settings, clock=FrozenClock(NOW), db=db)
    cycle_id = seed(svc, count)
    if db.is_postgresql:
        with db.engine.begin() as c:
            c.exec_driver_sql("ANALYZE")

    def chat_text() -> list[str]:
        return messages.split(text.recap_html(svc.recap.build(cycle_id)))

    cases: list[tuple[str, Callable[[], object], int]] = [
        ("recap data (service)", lambda: svc.recap.build(cycle_id), repeat),
        ("/rekap text (data+render+split)", chat_text, repeat),
        ("recap XLSX (3 sheets)", lambda: exports.recap_file(svc.recap, cycle_id, "xlsx"), repeat),
        ("recap chart PNG", lambda: exports.recap_file(svc.recap, cycle_id, "png"), repeat),
        ("recap PDF (with chart)", lambda: exports.recap_file(svc.recap, cycle_id, "pdf"), pdf_repeat),
        ("monitoring text", lambda: exports.monitoring_file(svc.recap, cycle_id, "text"), repeat),
        ("monitoring XLSX", lambda: exports.monitoring_file(svc.recap, cycle_id, "xlsx"), repeat),
        ("monitoring PDF", lambda: exports.monitoring_file(svc.recap, cycle_id, "pdf"), pdf_repeat),
        ("audit trail CSV", lambda: exports.trail_file(svc.recap, cycle_id), repeat),
    ]
    with svc.db.transaction(write=False) as s:
        events = s.query(m.AuditLog).count()
        task_rows = s.query(m.Task).count()
    print(f"{label}: {count} Perangkat Daerah, {task_rows} tasks, {events} audit events")
    for name, fn, n in cases:
        median, first, result = timed(fn, n)
        size = ""
        if isinstance(result, list):
            size = f"{len(result)} messages, {sum(len(p) for p in result):,} chars"
        elif isinstance(result, exports.ExportFile):
            size = f"{len(result.content):,} bytes"
        print(f"  {name:<34} median {median:8.1f} ms  first {first:8.1f} ms  (n={n})  {size}")
    db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opd", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pdf-repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    measure(f"sqlite:///{folder / 'bench.db'}", args.opd, args.repeat, args.pdf_repeat, "sqlite")
    if not postgres_answers():
        print("postgresql: not running on 127.0.0.1:5432, skipped")
        return
    with scratch_postgres() as url:
        measure(url, args.opd, args.repeat, args.pdf_repeat, "postgresql")


if __name__ == "__main__":
    main()
