"""The status board (Telegram Mini App): latency of `GET /papan/api/status` for N Perangkat
Daerah, as Tim SAKIP (everything) and as an OPD operator (one line), and the page's weight.

    .venv/bin/python bench/bench_board.py [--sizes 40,500] [--repeat 30]

The cycle is bench_recap.py's (bulk inserts, verification stage, 90 % of the OPDs with an
operator); the board is served by the real aiohttp application on 127.0.0.1 and asked over HTTP
with signed initData, as the page asks. PostgreSQL is used as well when it answers on
127.0.0.1:5432. Targets: < 50 ms for 40 OPDs, < 300 ms for 500, a page under 200 KB.

"afresh" ages the shared snapshot before each request (the board is built for it, as after any
write); "snapshot" asks again while it is current (what the other open boards pay).
"CPU ms/req" is this process's CPU time (server and client, every thread) per request: unlike the
wall-clock figures it barely moves when other processes load the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_recap import NOW, seed  # noqa: E402
from botproc import busy_seconds, postgres_answers, scratch_postgres, wait_for_quiet_machine  # noqa: E402
from botproc import CORES  # noqa: E402
from bot.clock import FrozenClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.services.container import build_services  # noqa: E402
from bot.storage import Database, models as m  # noqa: E402
from bot.storage.migrate import upgrade  # noqa: E402
from bot.services.board import SNAPSHOT_SECONDS  # noqa: E402
from bot.webapp.hooks import board_server  # noqa: E402
from bot.webapp.initdata import sign_init_data  # noqa: E402

TOKEN = "123456:BENCH-PAPAN"
TIM_SAKIP = 4  # bench_recap.seed's Tim SAKIP
OPERATOR = 100_000  # + index


def add_operators(svc, share: float = 0.9) -> None:  # type: ignore[no-untyped-def]
    with svc.db.transaction(write=False) as s:
        kodes = list(s.scalars(select(m.PerangkatDaerah.kode).order_by(m.PerangkatDaerah.id)))
    for i, kode in enumerate(kodes[: int(len(kodes) * share)]):
        svc.directory.add_user(OPERATOR + i, f"Operator {kode}", "opd", kode)


async def timed_get(http: aiohttp.ClientSession, url: str, init: str, repeat: int,
                    clock: FrozenClock | None = None) -> tuple[list[float], int]:
    """`repeat` requests; with `clock`, each first ages the board's snapshot so it is rebuilt."""
    timings, size = [], 0
    for _ in range(repeat):
        if clock is not None:
            clock.advance(seconds=SNAPSHOT_SECONDS)
        start = time.perf_counter()
        async with http.get(url, headers={"Authorization": f"tma {init}"}) as response:
            body = await response.read()
            assert response.status == 200, response.status
        timings.append((time.perf_counter() - start) * 1000)
        size = len(body)
    return timings, size


def summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered):6.1f} ms  p95 {p95:6.1f} ms  max {ordered[-1]:6.1f} ms"


async def measure(url: str, count: int, repeat: int, label: str, patience: float = 180.0) -> None:
    db = Database(url)
    upgrade(db)
    settings = Settings(_env_file=None, database_url=url, data_dir=Path(tempfile.mkdtemp()))
    clock = FrozenClock(NOW)
    svc = build_services(settings, clock=clock, db=db)
    seed(svc, count)
    add_operators(svc)
    if db.is_postgresql:
        with db.engine.begin() as c:
            c.exec_driver_sql("ANALYZE")
    server = await board_server(svc, TOKEN, host="127.0.0.1", port=0).start()
    try:
        # The recap alone, in the same conditions: what /rekap's data costs, for comparison.
        await wait_for_quiet_machine(patience=patience)
        for _ in range(2):
            svc.recap.current()
        recap_ms = []
        for _ in range(repeat):
            start = time.perf_counter()
            svc.recap.current()
            recap_ms.append((time.perf_counter() - start) * 1000)
        print(f"{label:10s} {count:4d} OPD  recap service alone (no HTTP): {summary(recap_ms)}", flush=True)
        async with aiohttp.ClientSession() as http:
            api = f"{server.url}/api/status"
            for who, telegram_id in (("Tim SAKIP", TIM_SAKIP), ("operator", OPERATOR)):
                init = sign_init_data(TOKEN, {"id": telegram_id, "first_name": who}, NOW)
                for mode, ages in (("afresh", clock), ("snapshot", None)):
                    first, _ = await timed_get(http, api, init, 1, ages)
                    await timed_get(http, api, init, 2, ages)  # warm
                    await wait_for_quiet_machine(patience=patience)
                    busy, cpu, wall = busy_seconds(), time.process_time(), time.perf_counter()
                    timings, size = await timed_get(http, api, init, repeat, ages)
                    used = time.process_time() - cpu
                    others = ((busy_seconds() - busy) - used) / CORES / (time.perf_counter() - wall)
                    print(f"{label:10s} {count:4d} OPD  {who:9s} {mode:8s}  {summary(timings)}  "
                          f"CPU {used * 1000 / repeat:6.1f} ms/req  body {size / 1024:6.1f} KiB  "
                          f"(others used {others:.0%} of the machine)", flush=True)
    finally:
        await server.stop()
        db.dispose()


async def page_weight() -> None:
    static = Path(__file__).resolve().parents[1] / "bot" / "webapp" / "static"
    files = sorted(static.iterdir())
    raw = sum(f.stat().st_size for f in files)
    packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
    names = ", ".join(f"{f.name} {f.stat().st_size / 1024:.1f}" for f in files)
    print(f"page weight: {raw / 1024:.1f} KiB ({names}); gzip {packed / 1024:.1f} KiB; no other request")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="40,500")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--patience", type=float, default=180.0,
                        help="how long to wait for a quiet machine before each measurement (s)")
    args = parser.parse_args()
    await page_weight()
    for count in (int(n) for n in args.sizes.split(",")):
        folder = Path(tempfile.mkdtemp(prefix="bench-board-"))
        await measure(f"sqlite:///{folder / 'esakip.db'}", count, args.repeat, "SQLite", args.patience)
        if postgres_answers():
            with scratch_postgres() as pg_url:
                await measure(pg_url, count, args.repeat, "PostgreSQL", args.patience)


if __name__ == "__main__":
    asyncio.run(main())
