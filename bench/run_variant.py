"""`esakip-bot run` with what-if switches, to find what a benchmark figure costs. Harness only:
nothing here changes the bot; each switch patches one thing in this process before it starts.

    .venv/bin/python bench/run_variant.py [switch ...]   # with the ESAKIP_* environment of `run`

Switches (each puts back one thing the benchmarks led us to change, or changes one setting):
  gc-unfrozen         skip freeze_startup_heap(): the garbage collector's full passes walk
                      every object start-up made (the bot before this was measured)
  deliver-always      the group-100 handler starts a dispatcher run (a write transaction that
                      claims outbox rows) after every update, not only after one that wrote rows
  guard-uncached      the guard asks the database about the user on every update, instead of
                      trusting a recent yes (Directory.is_registered)
  switch-interval=S   sys.setswitchinterval(S) instead of bot.app.SWITCH_INTERVAL (1 ms);
                      CPython's default, what the bot ran with before, is 0.005
  board-in-thread     the status board's snapshot is rebuilt in a worker thread of the bot, not
                      in a child process (bot/webapp/rebuild.py)
  no-deliver-now      no group-100 handler at all: what updates write waits for the 2 s tick
  outbox-rate=N       the outbox's bot sends at most N messages/s instead of OUTBOX_RATE (28)
  concurrent=N        Application.concurrent_updates(N) instead of one update at a time
  inline              every asyncio.to_thread call runs on the event loop's thread instead
                      (what the hand-off to a worker thread costs; the loop then blocks)
  profile=PATH        pyinstrument over the whole run (event-loop thread), text report to PATH
  profile-threads=PATH  pyinstrument in every worker thread (asyncio.to_thread: database,
                      rendering), one combined text report to PATH
  cprofile=PATH       cProfile on CPU time (time.thread_time) over the event-loop thread, and
                      over every asyncio.to_thread call: PATH.loop.txt and PATH.threads.txt, top
                      functions by cumulative and own time (unlike pyinstrument's wall-clock
                      samples, a loaded machine does not move these much)
  gc-census=PATH      at each full collection, how long it took and how many objects it walked;
                      at exit the types most numerous among the collector's long-lived objects
                      (what a full pass walks that the start-up freeze did not cover), to PATH
  thread-cpu=PATH     the CPU time (time.thread_time) of every asyncio.to_thread call, summed by
                      the function called (the unit of work inside Database.retrying), to PATH
  gc-threshold=A/B/C  gc.set_threshold(A, B, C) once started, instead of CPython's 700/10/10
  trace=PATH          a JSON timeline written at exit: each update handled (id, start, end),
                      each asyncio.to_thread call, each garbage collection, on time.perf_counter
                      (the same clock as the harness's), to find what a slow reply waited for
                      (bench/slow_updates.py)
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

T = TypeVar("T")


def apply(switches: list[str]) -> dict[str, str]:
    import bot.app

    options = dict(s.split("=", 1) if "=" in s else (s, "") for s in switches)
    if "gc-unfrozen" in options:
        bot.app.freeze_startup_heap = lambda: None  # type: ignore[assignment]
    if "deliver-always" in options or "no-deliver-now" in options:
        from telegram import Update
        from telegram.ext import TypeHandler

        build = bot.app.build_application
        always = "deliver-always" in options

        @functools.wraps(build)
        def rebuilt(*args, **kwargs):  # type: ignore[no-untyped-def]
            application = build(*args, **kwargs)
            for handler in list(application.handlers.get(100, [])):
                application.remove_handler(handler, group=100)
            if always:
                dispatcher = application.bot_data["dispatcher"]

                async def deliver_now(update, context):  # type: ignore[no-untyped-def]
                    context.job_queue.run_once(dispatcher.dispatch_job, when=0)

                application.add_handler(TypeHandler(Update, deliver_now), group=100)
            return application

        bot.app.build_application = rebuilt  # type: ignore[assignment]
    if "guard-uncached" in options:
        from bot.services.directory import Directory

        Directory.known_registered = lambda self, telegram_id: False  # type: ignore[method-assign]
        Directory.is_registered = (  # type: ignore[method-assign]
            lambda self, telegram_id: self.find_user(telegram_id) is not None)
    if "switch-interval" in options:
        bot.app.SWITCH_INTERVAL = float(options["switch-interval"])  # type: ignore[assignment]
    if "board-in-thread" in options:
        import bot.webapp.hooks

        bot.webapp.hooks.SEPARATE_PROCESS = False  # type: ignore[assignment]
    if "outbox-rate" in options:
        bot.app.OUTBOX_RATE = float(options["outbox-rate"])  # type: ignore[assignment]
    if "gc-threshold" in options:
        freeze = bot.app.freeze_startup_heap
        thresholds = tuple(int(n) for n in options["gc-threshold"].split("/"))

        def freeze_then_set() -> None:
            import gc

            freeze()
            gc.set_threshold(*thresholds)

        bot.app.freeze_startup_heap = freeze_then_set  # type: ignore[assignment]
    if "concurrent" in options:
        base = bot.app.ApplicationBuilder
        count = int(options["concurrent"])

        class Concurrent(base):  # type: ignore[misc,valid-type]
            def build(self):  # type: ignore[no-untyped-def]
                self.concurrent_updates(count)
                return super().build()

        bot.app.ApplicationBuilder = Concurrent  # type: ignore[misc]
    return options


def each_thread_call(start: Callable[[], Callable[[], T]]) -> list[T]:
    """Wrap every asyncio.to_thread call: `start()` runs in the worker thread before the call and
    returns what stops it; what that stop returns is appended (thread-safely) to the list returned."""
    import asyncio
    import threading

    results: list[T] = []
    lock = threading.Lock()
    original = asyncio.to_thread

    async def to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        def profiled():  # type: ignore[no-untyped-def]
            stop = start()
            try:
                return func(*args, **kwargs)
            finally:
                result = stop()
                with lock:
                    results.append(result)

        return await original(profiled)

    asyncio.to_thread = to_thread  # type: ignore[assignment]
    return results


def profile_threads(path: Path) -> None:
    """Profile each asyncio.to_thread call; write the combined report when the process ends."""
    import atexit

    from pyinstrument import Profiler

    def start() -> Callable[[], Profiler]:
        profiler = Profiler(interval=0.0005)
        profiler.start()

        def stop() -> Profiler:
            profiler.stop()
            return profiler

        return stop

    profilers = each_thread_call(start)

    def write() -> None:
        from pyinstrument.session import Session

        sessions = [p.last_session for p in profilers if p.last_session is not None]
        if not sessions:
            return
        combined = functools.reduce(Session.combine, sessions)
        from pyinstrument.renderers import ConsoleRenderer

        path.write_text(ConsoleRenderer(unicode=True, color=False, show_all=False).render(combined))
        combined.save(path.with_suffix(".pyisession"))

    atexit.register(write)


def cprofile_threads(path: Path) -> None:
    """cProfile (thread CPU time) around each asyncio.to_thread call; merged report at exit."""
    import atexit
    import cProfile
    import pstats
    import time

    def start() -> Callable[[], pstats.Stats]:
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()

        def stop() -> pstats.Stats:
            profiler.disable()
            return pstats.Stats(profiler)

        return stop

    stats = each_thread_call(start)

    def write() -> None:
        if stats:
            write_stats(functools.reduce(lambda a, b: a.add(b), stats), path)

    atexit.register(write)


def write_stats(stats, path: Path) -> None:  # type: ignore[no-untyped-def]
    import io

    out = io.StringIO()
    stats.stream = out
    stats.sort_stats("cumulative").print_stats(70)
    stats.sort_stats("tottime").print_stats(40)
    path.write_text(out.getvalue())
    stats.dump_stats(str(path.with_suffix(".prof")))


def trace(path: Path) -> None:
    """Record the timeline described under `trace=PATH`; write it when the process ends."""
    import asyncio
    import atexit
    import gc
    import json
    import threading
    import time

    from telegram.ext import Application

    events: dict[str, list] = {"updates": [], "threads": [], "gc": []}
    gc_start: dict[int, float] = {}

    def on_gc(phase: str, info: dict) -> None:
        now = time.perf_counter()
        if phase == "start":
            gc_start[threading.get_ident()] = now
        else:
            began = gc_start.pop(threading.get_ident(), now)
            events["gc"].append([began, now, info["generation"], info["collected"]])

    gc.callbacks.append(on_gc)
    process = Application.process_update

    async def timed_process(self, update):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        try:
            return await process(self, update)
        finally:
            uid = getattr(update, "update_id", None)
            events["updates"].append([uid, began, time.perf_counter()])

    Application.process_update = timed_process  # type: ignore[method-assign]
    original = asyncio.to_thread

    async def to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = getattr(getattr(func, "func", func), "__qualname__", repr(func))
        called = time.perf_counter()
        box: list[float] = []

        def timed():  # type: ignore[no-untyped-def]
            box.append(time.perf_counter())
            try:
                return func(*args, **kwargs)
            finally:
                box.append(time.perf_counter())

        try:
            return await original(timed)
        finally:
            events["threads"].append([name, called, *box, time.perf_counter()])

    asyncio.to_thread = to_thread  # type: ignore[assignment]
    atexit.register(lambda: path.write_text(json.dumps(events)))


def thread_cpu(path: Path) -> None:
    """Record what `thread-cpu=PATH` describes; write it when the process ends."""
    import asyncio
    import atexit
    import json
    import threading
    import time

    totals: dict[str, list[float]] = {}
    lock = threading.Lock()
    original = asyncio.to_thread

    def name_of(func: object, args: tuple[object, ...]) -> str:
        func = getattr(func, "func", func)
        name = getattr(func, "__qualname__", repr(func))
        if name == "Database.retrying" and args:
            return name_of(args[0], args[1:])
        return name

    async def to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        name = name_of(func, args)

        def timed():  # type: ignore[no-untyped-def]
            began = time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent = time.thread_time() - began
                with lock:
                    entry = totals.setdefault(name, [0, 0.0])
                    entry[0] += 1
                    entry[1] += spent

        return await original(timed)

    asyncio.to_thread = to_thread  # type: ignore[assignment]

    def write() -> None:
        rows = sorted(totals.items(), key=lambda kv: -kv[1][1])
        path.write_text(json.dumps([{"call": k, "n": n, "cpu_ms": round(t * 1000, 1)} for k, (n, t) in rows],
                                   indent=1))

    atexit.register(write)


def gc_census(path: Path) -> None:
    """Record what `gc-census=PATH` describes; write it when the process ends."""
    import atexit
    import gc
    import json
    import time
    from collections import Counter

    passes: list[dict[str, float]] = []
    began: list[float] = []

    def on_gc(phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            began.append(time.perf_counter())
            return
        passes.append({"ms": (time.perf_counter() - began.pop()) * 1000, "walked": len(gc.get_objects(2)),
                       "frozen": gc.get_freeze_count(), "collected": info["collected"]})

    def write() -> None:
        kinds = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in gc.get_objects(2))
        path.write_text(json.dumps({"passes": passes, "frozen": gc.get_freeze_count(),
                                    "long_lived": sum(kinds.values()), "types": kinds.most_common(40)}, indent=1))

    gc.callbacks.append(on_gc)
    atexit.register(write)


def main() -> None:
    options = apply(sys.argv[1:])
    from bot.cli import main as cli

    if "gc-census" in options:
        gc_census(Path(options["gc-census"]))
    if "thread-cpu" in options:
        thread_cpu(Path(options["thread-cpu"]))

    if "trace" in options:
        trace(Path(options["trace"]))
    if "inline" in options:
        import asyncio

        async def inline(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            return func(*args, **kwargs)

        asyncio.to_thread = inline  # type: ignore[assignment]

    if "profile-threads" in options:
        profile_threads(Path(options["profile-threads"]))
    if "cprofile" in options:
        import cProfile
        import pstats
        import time

        base = Path(options["cprofile"])
        cprofile_threads(base.with_suffix(".threads.txt"))
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        try:
            cli(["run"])
        except SystemExit:
            pass
        finally:
            profiler.disable()
            write_stats(pstats.Stats(profiler), base.with_suffix(".loop.txt"))
        return
    if "profile" not in options:
        cli(["run"])
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    try:
        cli(["run"])
    except SystemExit:
        pass
    finally:
        profiler.stop()
        path = Path(options["profile"])
        path.write_text(profiler.output_text(unicode=True, color=False))
        if profiler.last_session is not None:
            profiler.last_session.save(path.with_suffix(".pyisession"))


if __name__ == "__main__":
    main()
