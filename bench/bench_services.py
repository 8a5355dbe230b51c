"""The CPU time of the services behind the hot updates, in-process, on the cycle bench_updates.py
uses (40 OPDs, the signed letter distributed): what one `/rekap`, one `/tugas` and one receipt
press cost the worker thread, without the event loop, HTTP or the other updates around them.

    .venv/bin/python bench/bench_services.py [--opds 40] [--profile recap|tugas|receipt]

CPU is `time.thread_time()` of this thread, so other processes on the machine move it less than
wall time (caches and frequency still do: compare runs of the same minutes). `--profile` runs
the same calls under cProfile and prints the top of one use case (shares, not milliseconds: the
profiler about triples them).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import pstats
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bot.config import load_settings  # noqa: E402
from bot.fakegram import RateLimits  # noqa: E402
from bot.services.container import Services, build_services  # noqa: E402
from bot.simulation import TOKEN  # noqa: E402
from bot.storage import models as m  # noqa: E402
from bot.workflow import ActionKind  # noqa: E402
from bot.workflow.actions import DomainError  # noqa: E402
from scenario import opd_rows, prepare_distributed  # noqa: E402
from timed_double import TimedDouble  # noqa: E402


def cpu_ms(call: Callable[[int], object], n: int, profiler: cProfile.Profile | None) -> float:
    """The mean CPU of n calls (they differ: each receipt is another OPD's)."""
    start = time.thread_time()
    if profiler is not None:
        profiler.enable()
    for i in range(n):
        call(i)
    if profiler is not None:
        profiler.disable()
    return (time.thread_time() - start) / n * 1000


def cases(svc: Services, officials: list[int]) -> dict[str, tuple[Callable[[int], object], int]]:
    with svc.db.transaction(write=False) as s:
        receipts = {t.opd_kode: t.id for t in s.scalars(select(m.Task).where(
            m.Task.status == "open", m.Task.opd_kode.is_not(None)))}
        operators = {u.opd_kode: u.telegram_id for u in s.scalars(select(m.User).where(m.User.peran == "opd"))}
    kodes = sorted(receipts)
    half = len(kodes) // 2

    def receipt(i: int) -> object:
        return svc.cycles.act(operators[kodes[i]], receipts[kodes[i]], ActionKind.CONFIRM_RECEIPT)

    def stale(i: int) -> object:
        try:
            return receipt(i)
        except DomainError as refused:  # what the presser is told
            return refused

    cycle_id = svc.recap.current_cycle_id()
    assert cycle_id is not None

    def whole_rekap() -> object:
        """What /rekap asks the services, all of it (conversations/recap.py)."""
        svc.recap.may_view(officials[0], "rekap")
        current = svc.recap.current_cycle_id()
        assert current is not None
        return svc.recap.build(current), svc.reach.unreached_lines(current)

    return {
        "recap": (lambda i: svc.recap.build(cycle_id), 30),
        "tugas": (lambda i: svc.cycles.open_tasks_for(operators[kodes[i % len(kodes)]]), 100),
        "tugas (official)": (lambda i: svc.cycles.open_tasks_for(officials[i % len(officials)]), 50),
        "receipt": (lambda i: receipt(i), half),
        "queue refresh (after those receipts)": (lambda i: svc.antrian.refresh_stale(), 1),
        "receipt, then its queue refresh": (lambda i: (receipt(half + i), svc.antrian.refresh_stale()),
                                            len(kodes) - half),
        "stale press (a receipt pressed again)": (lambda i: stale(i), len(kodes)),
        "rekap (the whole command)": (lambda i: whole_rekap(), 30),
    }


async def run(args: argparse.Namespace) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="esakip-services-"))
    url = f"sqlite:///{workdir}/bench.db"
    double = TimedDouble(token=TOKEN, rate_limits=RateLimits(enabled=False), quiet_period=0.02)
    cast = await prepare_distributed(double, workdir, url, opd_rows(args.opds))
    svc = build_services(load_settings(database_url=url, data_dir=str(cast.data_dir)))
    print(f"{args.opds} OPDs, SQLite; CPU of this thread per call")
    gc.collect()
    gc.freeze()  # as the bot does once started (bot/app.py freeze_startup_heap)
    for name, (call, n) in cases(svc, cast.officials).items():
        profiler = cProfile.Profile(time.thread_time) if args.profile and name.split()[0] == args.profile else None
        print(f"  {name:<36} {cpu_ms(call, n, profiler):7.2f} ms  (n={n})")
        if profiler is not None:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(r"/bot/", 40)  # the project's functions first
            stats.print_stats(25)
    svc.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--profile", choices=("recap", "tugas", "receipt", "stale", "rekap"))
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
