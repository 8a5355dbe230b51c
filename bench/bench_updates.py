"""Updates one bot process handles: the real bot (SQLite, PostgreSQL) against a bare echo bot.

    .venv/bin/python bench/bench_updates.py [--rate 50] [--seconds 10] [--burst 300] [--opds 40]

For each target: a cycle is taken to the distribution of the signed letter to `--opds` OPDs
(in this process, through the Bot API double), then the bot runs in its own process
(`esakip-bot run`, or bench/echo_bot.py) against the double over HTTP. The double's flood control
is OFF here (RateLimits(enabled=False)): this measures the bot, not Telegram's limits.

Phase 1, paced: `--rate` updates/s for `--seconds` s — OPD operators press "Terima surat" (each
once, spread evenly) and press it again later (a stale button), everyone sends /tugas, officials
send /rekap. Latency: from the getUpdates answer that handed the update out to the bot's first
reply arriving at the double (the answerCallbackQuery of a press, the first message of a command).
Phase 2, burst: `--burst` updates (no receipts) queued at once; capacity = updates / time to drain.
Cost per update = the bot process's CPU time (user + system) over the phase / updates.
PostgreSQL runs when 127.0.0.1:5432 answers (a scratch database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bot.fakegram import RateLimits  # noqa: E402
from bot.simulation import TOKEN  # noqa: E402
from bot.storage import Database, models as m  # noqa: E402

from botproc import (CORES, ECHO_BOT, BotProcess, bot_env, esakip_argv,  # noqa: E402
                     busy_seconds, machine, postgres_answers, run_bench, scratch_postgres,
                     wait_for_quiet_machine)
from scenario import Cast, Load, first_replies, latencies, opd_rows, prepare_distributed, settle_quiet  # noqa: E402
from timed_double import TimedDouble  # noqa: E402
from boards_load import Boards, board_env, free_port  # noqa: E402

KINDS = ("receipt", "stale_press", "tugas", "rekap")


@dataclass
class Result:
    label: str
    sent: int
    answered: int
    sustained: float
    lat: dict[str, dict[str, float]]
    cpu_ms: float
    sys_ms: float  # of cpu_ms, the kernel's share
    loop_ms: float  # of cpu_ms, the event loop's thread (the rest: worker threads, children)
    switches: float  # context switches of the bot process per update
    burst_capacity: float
    burst_cpu_ms: float
    overlapped: int
    requests: int
    methods: dict[str, int]  # the requests of the paced phase by Bot API method
    chat_rps: float  # requests carrying a chat_id (what AIORateLimiter limits) per second
    violations: list[str]
    too_many: int
    driver_cpu: float  # the harness (double + simulated users), in cores
    others_cpu: float  # every other process on the machine, as a share of all cores
    timeline: list[tuple[int, str, float, float]]  # update id, kind, handed out, first reply


def dispatcher_sends(db_url: str) -> set[tuple[int, int]]:
    """(chat, message id) of everything the outbox dispatcher sent: not replies to updates."""
    db = Database(db_url)
    try:
        with db.transaction(write=False) as s:
            rows = s.execute(select(m.Outbox.chat_id, m.Outbox.telegram_message_id).where(
                m.Outbox.status == "sent", m.Outbox.kind != "edit")).all()
        return {(chat, message) for chat, message in rows if message is not None}
    finally:
        db.dispose()


async def measure(label: str, argv: list[str], db_url: str, args: argparse.Namespace,
                  uses_db: bool = True) -> Result:
    """Prepare the cycle, start the bot in its own process, drive the load, stop."""
    workdir = Path(tempfile.mkdtemp(prefix="esakip-bench-"))
    double = TimedDouble(token=TOKEN, rate_limits=RateLimits(enabled=False), quiet_period=0.02)
    cast = await prepare_distributed(double, workdir, db_url, opd_rows(args.opds))
    args.board_port = free_port()
    bot = BotProcess(argv, bot_env(double, db_url, cast.data_dir, **board_env(args.boards, args.board_port)),
                     workdir, workdir / "bot.log")
    try:
        await bot.start(double)
        return await drive(label, double, bot, cast, db_url, args, uses_db)
    finally:
        await bot.stop()
        await double.stop()


async def drive(label: str, double: TimedDouble, bot: BotProcess, cast: Cast, db_url: str,
                args: argparse.Namespace, uses_db: bool = True) -> Result:
    """Warm-up, the paced phase, then the burst, against a bot that already polls the double."""
    load = Load(double, cast)
    start = 0.0
    # Warm-up: one receipt (the first PDF), a few reads; not measured.
    warm = [await load.one(True)] + [await load.one(False) for _ in range(9)]
    await load.wait_answered(warm)
    boards = Boards(args.boards, getattr(args, "board_port", 0), double.token, cast.officials[3]) if args.boards else None
    if boards is not None:  # boards of Tim SAKIP (officials[3]) refresh through the paced phase
        await boards.ready()
        boards.start()
    await settle_quiet(double, quiet=0.5, at_least=2.5)
    double.reset_timing()
    watcher = on_paced(args.on_paced, bot)
    start = time.perf_counter()
    split0, loop0 = bot.cpu_split(), bot.loop_seconds()
    driver0, cpu0, machine0 = time.process_time(), sum(split0[:2]), busy_seconds()
    actions = await load.paced(args.rate, args.seconds)
    await load.wait_answered(actions)
    await settle_quiet(double, quiet=1.0, at_least=2.5)  # one dispatcher tick for the follow-ups
    split1, loop1 = bot.cpu_split(), bot.loop_seconds()
    cpu1, driver1, machine1 = sum(split1[:2]), time.process_time(), busy_seconds()
    if watcher is not None:
        await asyncio.to_thread(watcher.wait)
    if boards is not None:
        print(await boards.stop())
    window = time.perf_counter() - start
    not_replies = dispatcher_sends(db_url) if uses_db else set()
    replies = first_replies(double, actions, not_replies)
    lat = latencies(double, actions, replies)
    handed = [double.handed[a.update_id] for a in actions if a.update_id in double.handed]
    span = max(replies.values()) - min(handed) if replies else float("nan")
    chat_requests = [a for a in double.arrivals if a.chat_id is not None]
    chat_span = chat_requests[-1].at - chat_requests[0].at if len(chat_requests) > 1 else float("nan")
    requests = len(double.arrivals)
    methods = dict(Counter(a.method for a in double.arrivals).most_common())
    timeline = [(a.update_id, a.kind, double.handed[a.update_id], replies[a.update_id])
                for a in actions if a.update_id in replies]
    # Burst: capacity.
    await settle_quiet(double, quiet=0.5)
    double.reset_timing()
    cpu2 = bot.cpu_seconds()
    burst = await load.burst(args.burst)
    await settle_quiet(double, quiet=1.0)
    cpu3 = bot.cpu_seconds()
    burst_span = double.arrivals[-1].at - min(double.handed.values())
    return Result(
        label=label, sent=len(actions), answered=len(replies),
        sustained=len(replies) / span,
        lat={k: lat.summary(k) for k in ("all", *KINDS)},
        cpu_ms=(cpu1 - cpu0) * 1000 / len(actions), sys_ms=(split1[1] - split0[1]) * 1000 / len(actions),
        loop_ms=(loop1 - loop0) * 1000 / len(actions),
        switches=(split1[2] - split0[2]) / len(actions),
        burst_capacity=len(burst) / burst_span, burst_cpu_ms=(cpu3 - cpu2) * 1000 / len(burst),
        overlapped=load.overlapped, requests=requests,
        methods=methods, chat_rps=len(chat_requests) / chat_span,
        violations=list(double.violations), too_many=double.stats.too_many_requests,
        driver_cpu=(driver1 - driver0) / window,
        others_cpu=((machine1 - machine0) - (cpu1 - cpu0) - (driver1 - driver0)) / window / CORES,
        timeline=timeline,
    )


def print_result(r: Result) -> None:
    a = r.lat["all"]
    print(f"\n== {r.label}")
    print(f"paced: {r.answered}/{r.sent} answered, sustained {r.sustained:.1f} updates/s, "
          f"latency p50 {a['p50']:.1f} ms, p95 {a['p95']:.1f} ms, p99 {a['p99']:.1f} ms, "
          f"max {a['max']:.1f} ms; CPU {r.cpu_ms:.2f} ms/update (event loop {r.loop_ms:.2f} ms, system {r.sys_ms:.2f} ms, "
          f"{r.switches:.0f} context switches); {r.requests} requests "
          f"({r.chat_rps:.1f}/s to chats); "
          f"users acting before their last reply: {r.overlapped}")
    for kind in KINDS:
        s = r.lat[kind]
        if s["n"]:
            print(f"  {kind:<12} n={s['n']:<4} p50 {s['p50']:7.1f}  p95 {s['p95']:7.1f}  "
                  f"p99 {s['p99']:7.1f}  max {s['max']:7.1f} ms")
    print("  requests: " + ", ".join(f"{method} {n}" for method, n in r.methods.items()))
    print(f"burst: capacity {r.burst_capacity:.1f} updates/s, CPU {r.burst_cpu_ms:.2f} ms/update")
    print(f"double: {len(r.violations)} violations, {r.too_many} 429s; harness CPU {r.driver_cpu:.0%} of a core; "
          f"other processes {r.others_cpu:.0%} of the machine")
    for text, count in Counter(v[:110] for v in r.violations).most_common(3):
        print(f"  {count} x {text}")


def median_of(runs: list[Result]) -> dict[str, float]:
    pick = {
        "sustained": lambda r: r.sustained, "p50": lambda r: r.lat["all"]["p50"],
        "p95": lambda r: r.lat["all"]["p95"], "p99": lambda r: r.lat["all"]["p99"],
        "max": lambda r: r.lat["all"]["max"], "cpu_ms": lambda r: r.cpu_ms,
        "burst_cpu_ms": lambda r: r.burst_cpu_ms, "capacity": lambda r: r.burst_capacity,
        "others": lambda r: r.others_cpu,
    }
    return {key: statistics.median(f(r) for r in runs) for key, f in pick.items()}


async def run(args: argparse.Namespace) -> None:
    print(machine())
    print(f"rate {args.rate}/s for {args.seconds} s, burst {args.burst}, {args.opds} OPDs, "
          f"double's flood control OFF, {args.repeat} run(s) per target")
    folder = Path(tempfile.mkdtemp(prefix="esakip-bench-db-"))
    esakip = esakip_argv(args.variant)
    name = f"E-SAKIP bot{' (' + args.variant + ')' if args.variant else ''}"
    targets: list[tuple[str, list[str], str | None]] = []
    if not args.only_echo:
        targets.append((f"{name}, SQLite", esakip, "sqlite"))
        if args.postgres and postgres_answers():
            targets.append((f"{name}, PostgreSQL", esakip, "postgresql"))
        elif args.postgres:
            print("postgresql: not running on 127.0.0.1:5432, skipped")
    if not args.skip_echo:
        targets.append(("echo bot (bare PTB)", [sys.executable, str(ECHO_BOT)], None))
    runs: dict[str, list[Result]] = {label: [] for label, _, _ in targets}
    for i in range(args.repeat):
        for label, argv, engine in targets:
            await wait_for_quiet_machine()
            if engine == "postgresql":
                with scratch_postgres() as url:
                    result = await measure(label, argv, url, args)
            else:
                url = f"sqlite:///{folder / ((engine or 'echo') + f'-{i}.db')}"
                result = await measure(label, argv, url, args, uses_db=engine is not None)
            runs[label].append(result)
            print_result(result)
            if args.timeline:
                out = Path(args.timeline) / f"{engine or 'echo'}-{i}.json"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(json.dumps(result.timeline))
                print(f"timeline: {out}")
    print(f"\n== medians of {args.repeat} run(s)")
    print(f"{'target':<44} {'updates/s':>9} {'p50':>7} {'p95':>7} {'p99':>7} {'CPU/upd':>8} "
          f"{'burst CPU':>9} {'capacity':>8} {'others':>6}")
    medians = {label: median_of(found) for label, found in runs.items()}
    for label, med in medians.items():
        print(f"{label:<44} {med['sustained']:>9.1f} {med['p50']:>6.1f}ms {med['p95']:>5.1f}ms "
              f"{med['p99']:>5.1f}ms {med['cpu_ms']:>6.2f}ms {med['burst_cpu_ms']:>7.2f}ms "
              f"{med['capacity']:>6.1f}/s {med['others']:>5.0%}")
    echo = medians.get("echo bot (bare PTB)")
    if echo is None:
        return
    print("\n== cost per update against the bare echo bot (medians)")
    for label, med in medians.items():
        if med is not echo:
            print(f"{label:<44} paced {med['cpu_ms'] / echo['cpu_ms']:4.1f}x CPU/update, "
                  f"burst {med['burst_cpu_ms'] / echo['burst_cpu_ms']:4.1f}x CPU/update, "
                  f"capacity {med['capacity'] / echo['capacity']:4.2f}x the echo bot's")


def on_paced(command: str | None, bot: BotProcess) -> subprocess.Popen[bytes] | None:
    """`--on-paced`: a command started as the paced phase starts, `{pid}` the bot's process
    (for a sampling profiler: `py-spy record --pid {pid} --duration 10 ...`)."""
    if not command or bot.popen is None:
        return None
    return subprocess.Popen(command.format(pid=bot.popen.pid), shell=True)


def add_load_arguments(parser: argparse.ArgumentParser) -> None:
    """What `drive` reads: the paced rate and length, the burst, the status boards beside it."""
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--burst", type=int, default=300)
    parser.add_argument("--boards", type=int, default=0,
                        help="also keep N status boards refreshing once a second during the paced phase "
                             "(the bot serves the board; bench/boards_load.py)")
    parser.add_argument("--on-paced", metavar="CMD",
                        help="a shell command started as the paced phase starts, {pid} the bot's process "
                             "(e.g. a sampling profiler: py-spy record --pid {pid} --duration 10 -o FILE)")


def main() -> None:
    parser = argparse.ArgumentParser()
    add_load_arguments(parser)
    parser.add_argument("--opds", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1, help="runs per target (medians are reported)")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--only-echo", action="store_true")
    parser.add_argument("--skip-echo", action="store_true")
    parser.add_argument("--timeline", metavar="DIR",
                        help="write each update's (id, kind, handed out, first reply) as JSON to DIR; "
                             "with --variant trace=PATH it shows what a slow reply waited for "
                             "(bench/slow_updates.py)")
    run_bench(parser, run)


if __name__ == "__main__":
    main()
