"""Peak memory of one bot process: idle with 1,000 users and 10,000 tasks, then after the load of
bench_updates.py, and after that load once more (to see whether it keeps growing).

    .venv/bin/python bench/bench_memory.py [--users 1000] [--tasks 10000] [--idle 10]

The bot runs as `esakip-bot run` in its own process (so the double, the load generator and the
seeding are not in its memory); its resident set is sampled with psutil every 20 ms and its
high-water mark read from the kernel (VmHWM in /proc/<pid>/status). The database: the cycle of
bench_updates.py (40 OPDs, letter distributed) plus users up to `--users` (operators of
Perangkat Daerah that joined after the cycle started) and tasks up to `--tasks` (earlier years'
closed cycles). The same is measured for the bare echo bot, for reference.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.fakegram import RateLimits  # noqa: E402
from bot.simulation import TOKEN  # noqa: E402
from bot.storage import Database, models as m  # noqa: E402

from bench_updates import add_load_arguments, drive  # noqa: E402
from botproc import (ECHO_BOT, BotProcess, bot_env, esakip_argv, machine, run_bench,  # noqa: E402
                     wait_for_quiet_machine)
from scenario import opd_rows, prepare_distributed  # noqa: E402
from timed_double import TimedDouble  # noqa: E402

MB = 2**20


def seed_history(db_url: str, users: int, tasks: int) -> tuple[int, int]:
    """Top the database up to `users` users and `tasks` tasks; returns the counts reached."""
    db = Database(db_url)
    now = datetime.now(timezone.utc)
    try:
        with db.transaction() as s:
            have_users = s.scalar(select(func.count()).select_from(m.User)) or 0
            have_tasks = s.scalar(select(func.count()).select_from(m.Task)) or 0
            current = s.scalars(select(m.Cycle).where(m.Cycle.status == "open")).one()
            opds = list(s.scalars(select(m.CycleOpd.opd_kode).where(m.CycleOpd.cycle_id == current.id)))
            extra = users - have_users
            new_opds = [dict(kode=f"PDB{i:03d}", nama=f"Perangkat Daerah Baru {i:03d}", singkatan=f"PDB{i:03d}",
                             aktif=True) for i in range((extra + 5) // 6)]
            if new_opds:
                s.execute(insert(m.PerangkatDaerah), new_opds)
            if extra > 0:
                s.execute(insert(m.User), [
                    dict(telegram_id=900_000 + i, nama=f"Operator {i:04d}", peran="opd",
                         opd_kode=new_opds[i // 6]["kode"], aktif=True, created_at=now)
                    for i in range(extra)])
            years = 10
            per_year = (tasks - have_tasks) // years
            for year in range(years):
                opened = now - timedelta(days=365 * (years - year))
                cycle = m.Cycle(sop_name=current.sop_name, sop_version=current.sop_version,
                                tahun=current.tahun - years + year, status="closed", opened_at=opened,
                                opened_by=current.opened_by, closed_at=opened + timedelta(days=40),
                                letter={})
                s.add(cycle)
                s.flush()
                count = per_year + (tasks - have_tasks - per_year * years if year == years - 1 else 0)
                s.execute(insert(m.Task), [
                    dict(cycle_id=cycle.id, seq=seq, step=9, role="opd", opd_kode=opds[seq % len(opds)],
                         status="done", started_at=opened, due_at=opened + timedelta(days=30),
                         completed_at=opened + timedelta(days=20), outcome="submitted", alert_level=0)
                    for seq in range(1, count + 1)
                ])
        with db.transaction(write=False) as s:
            return (s.scalar(select(func.count()).select_from(m.User)) or 0,
                    s.scalar(select(func.count()).select_from(m.Task)) or 0)
    finally:
        db.dispose()


async def measure(label: str, argv: list[str], args: argparse.Namespace) -> dict[str, float]:
    workdir = Path(tempfile.mkdtemp(prefix="esakip-bench-mem-"))
    db_url = f"sqlite:///{workdir / 'esakip.db'}"
    double = TimedDouble(token=TOKEN, rate_limits=RateLimits(enabled=False), quiet_period=0.02)
    cast = await prepare_distributed(double, workdir, db_url, opd_rows(40))
    users, tasks = seed_history(db_url, args.users, args.tasks)
    bot = BotProcess(argv, bot_env(double, db_url, cast.data_dir), workdir, workdir / "bot.log")
    try:
        await bot.start(double)
        await asyncio.sleep(args.idle)  # the first sweep runs after 1 s, the dispatcher every 2 s
        idle, idle_peak = bot.rss(), bot.peak_rss()
        result = await drive(label, double, bot, cast, db_url, args)
        after, peak = bot.rss(), bot.peak_rss()
        again = await drive(label, double, bot, cast, db_url, args)  # does it keep growing?
        return dict(users=users, tasks=tasks, idle=idle / MB, idle_peak=idle_peak / MB, after=after / MB,
                    peak=peak / MB, again=bot.rss() / MB, peak_again=bot.peak_rss() / MB,
                    sampled_peak=bot.sampled_peak() / MB, answered=result.answered + again.answered)
    finally:
        await bot.stop()
        await double.stop()


async def run(args: argparse.Namespace) -> None:
    print(machine())
    esakip = esakip_argv(args.variant)
    targets = [(f"E-SAKIP bot{' (' + args.variant + ')' if args.variant else ''}"[:22], esakip),
               ("echo bot (bare PTB)", [sys.executable, str(ECHO_BOT)])]
    print(f"{'process':<22} {'users':>6} {'tasks':>6}  {'idle':>8} {'idle peak':>9}  "
          f"{'after load':>10} {'peak':>8}  {'after 2nd':>9} {'peak':>8}")
    for label, argv in targets:
        await wait_for_quiet_machine()
        r = await measure(label, argv, args)
        print(f"{label:<22} {r['users']:>6.0f} {r['tasks']:>6.0f}  {r['idle']:>5.1f} MB {r['idle_peak']:>6.1f} MB"
              f"  {r['after']:>7.1f} MB {r['peak']:>5.1f} MB  {r['again']:>6.1f} MB {r['peak_again']:>5.1f} MB"
              f"   ({r['answered']:.0f} updates answered; psutil-sampled peak {r['sampled_peak']:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=10000)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds idle before the load")
    add_load_arguments(parser)
    run_bench(parser, run)


if __name__ == "__main__":
    main()
