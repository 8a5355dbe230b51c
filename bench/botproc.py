"""A bot in its own process (so its CPU time and memory are its own), and scratch databases."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

from timed_double import TimedDouble

ROOT = Path(__file__).resolve().parents[1]
#: `esakip-bot run`, from this checkout (the sources next to bench/, whatever is installed).
ESAKIP_RUN = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
ECHO_BOT = ROOT / "bench" / "echo_bot.py"
RUN_VARIANT = ROOT / "bench" / "run_variant.py"


def esakip_argv(variant: str | None) -> list[str]:
    """`esakip-bot run`, or with `variant` (comma-separated switches) bench/run_variant.py."""
    return [sys.executable, str(RUN_VARIANT), *variant.split(",")] if variant else ESAKIP_RUN


def run_bench(parser: argparse.ArgumentParser, run: Callable[[argparse.Namespace], Awaitable[None]]) -> None:
    """The end of a bench's main(): `--variant` (read by `esakip_argv`), quiet logs, run."""
    parser.add_argument("--variant", help="what-if: run the bot through bench/run_variant.py with these "
                                          "comma-separated switches instead of `esakip-bot run`")
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(parser.parse_args()))


def bot_env(double: TimedDouble, db_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of `esakip-bot run` pointed at the double (nothing read from a .env)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESAKIP_")}
    env.update(ESAKIP_BOT_TOKEN=double.token, ESAKIP_BOT_API_URL=double.base_url,
               ESAKIP_BOT_FILE_URL=double.base_file_url, ESAKIP_DATABASE_URL=db_url,
               ESAKIP_DATA_DIR=str(data_dir), PTB_TIMEDELTA="1", PYTHONPATH=str(ROOT), **extra)
    return env


class BotProcess:
    """Starts a bot with `argv`, waits until it polls the double, measures it, stops it."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
        self.argv, self.env, self.cwd, self.log = argv, env, cwd, log
        self.popen: subprocess.Popen[bytes] | None = None
        self.proc: psutil.Process | None = None
        self.samples: list[tuple[float, int]] = []  # (perf_counter, rss bytes)
        self._sampler: asyncio.Task[None] | None = None

    async def start(self, double: TimedDouble, timeout: float = 60.0) -> None:
        polls = double.polls
        with open(self.log, "ab") as out:
            self.popen = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=out,
                                          stderr=subprocess.STDOUT)
        self.proc = psutil.Process(self.popen.pid)
        self._sampler = asyncio.create_task(self._sample())
        deadline = time.monotonic() + timeout
        while double.polls == polls:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.argv[0]} ended with {self.popen.returncode}; see {self.log}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.argv[0]} did not poll within {timeout} s; see {self.log}")
            await asyncio.sleep(0.02)

    async def _sample(self, interval: float = 0.02) -> None:
        assert self.proc is not None
        while True:
            try:
                self.samples.append((time.perf_counter(), self.proc.memory_info().rss))
            except psutil.Error:
                return
            await asyncio.sleep(interval)

    def cpu_seconds(self) -> float:
        """User + system CPU time of the bot process so far, its threads and its child processes
        included (the status board's rebuilds run in one: bot/webapp/rebuild.py)."""
        return sum(self.cpu_split()[:2])

    def loop_seconds(self) -> float:
        """CPU time of the bot's main thread (the event loop) so far; the rest of cpu_seconds()
        is its worker threads (the services) and children."""
        assert self.proc is not None
        return next((t.user_time + t.system_time for t in self.proc.threads() if t.id == self.proc.pid), 0.0)

    def cpu_split(self) -> tuple[float, float, int]:
        """(user seconds, system seconds, context switches) of the bot process and its children
        so far: the system time and the switches are what handing work between threads costs."""
        assert self.proc is not None
        user = system = 0.0
        switches = 0
        for proc in (self.proc, *self.proc.children(recursive=True)):
            try:
                times, ctx = proc.cpu_times(), proc.num_ctx_switches()
            except psutil.NoSuchProcess:
                continue
            user, system = user + times.user, system + times.system
            switches += ctx.voluntary + ctx.involuntary
        return user, system, switches

    def rss(self) -> int:
        assert self.proc is not None
        return int(self.proc.memory_info().rss)

    def peak_rss(self) -> int:
        """The kernel's high-water mark of the resident set (VmHWM), in bytes."""
        for line in Path(f"/proc/{self.popen.pid}/status").read_text().splitlines():  # type: ignore[union-attr]
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return max(rss for _, rss in self.samples)

    def sampled_peak(self, since: float = 0.0) -> int:
        return max((rss for at, rss in self.samples if at >= since), default=0)

    async def stop(self, timeout: float = 15.0) -> None:
        if self._sampler is not None:
            self._sampler.cancel()
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGINT)
        deadline = time.monotonic() + timeout
        while self.popen.poll() is None:
            if time.monotonic() > deadline:
                self.popen.kill()
                break
            await asyncio.sleep(0.05)


def postgres_answers(host: str = "127.0.0.1", port: int = 5432) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


@contextmanager
def scratch_postgres() -> Iterator[str]:
    """A new PostgreSQL database on 127.0.0.1:5432 (trust auth), dropped afterwards."""
    import sqlalchemy as sa

    name = f"esakip_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as c:
            c.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


CORES = psutil.cpu_count() or 1


def busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores, all processes) since boot."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0) + getattr(t, "softirq", 0) + getattr(t, "steal", 0)


async def wait_for_quiet_machine(limit: float = 0.25, patience: float = 180.0) -> None:
    """Wait (up to `patience` s) until other processes use less than `limit` of the machine for
    3 s in a row, so that a run is not measured while, say, a test suite runs beside it."""
    deadline = time.monotonic() + patience
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        before = busy_seconds()
        await asyncio.sleep(1.0)
        quiet = quiet + 1 if (busy_seconds() - before) / CORES < limit else 0
    if quiet < 3:
        print(f"(the machine stayed busy for {patience:.0f} s; measuring anyway)")


def machine() -> str:
    import platform

    import sqlalchemy
    import telegram

    mem = psutil.virtual_memory().total / 2**30
    return (f"{psutil.cpu_count()} cores, {mem:.0f} GiB, {platform.platform(terse=True)}, "
            f"CPython {platform.python_version()}, python-telegram-bot {telegram.__version__}, "
            f"SQLAlchemy {sqlalchemy.__version__}")
