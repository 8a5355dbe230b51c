"""`esakip-bot run` with what-if switches, to find what a benchmark figure costs. Harness only:
nothing here changes the bot; each switch patches one thing in this process before it starts.

    .venv/bin/python bench/run_variant.py [switch ...]   # with the ESAKIP_* environment of `run`

Switches:
  no-limiter          build the Application without AIORateLimiter (no 30 requests/s cap)
  limiter-rate=N      AIORateLimiter(overall_max_rate=N) instead of Telegram's 30/s
  drain-dispatcher    the dispatcher job sends batch after batch until the outbox has nothing
                      due, instead of one batch of 100 per 2 s tick
  no-deliver-now      without the group-100 handler that starts a dispatcher run after every update
  stale-precheck      Cycles.act refuses a task that is already closed before it locks the cycle
                      and loads its whole state (a stale or second press)
  users-once          the notifier loads the reachable users once per unit of work instead of
                      once per opened task (a stand-in for passing them down in Notifier.apply)
  concurrent=N        Application.concurrent_updates(N) instead of one update at a time
  cached-receipt-pdf  render the tanda terima once and reuse the bytes (a stand-in for rendering
                      it outside the press's unit of work)
  quiet-weasyprint    WeasyPrint's INFO progress lines off (6 log lines per PDF)
  profile=PATH        pyinstrument over the whole run (event-loop thread), text report to PATH
  profile-threads=PATH  pyinstrument in every worker thread (asyncio.to_thread: database,
                      rendering), one combined text report to PATH
"""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def apply(switches: list[str]) -> dict[str, str]:
    import bot.app
    import bot.documents

    options = dict(s.split("=", 1) if "=" in s else (s, "") for s in switches)
    if "no-limiter" in options:
        bot.app.AIORateLimiter = lambda **kwargs: None  # type: ignore[assignment,misc]
    if "limiter-rate" in options:
        bot.app.AIORateLimiter = functools.partial(  # type: ignore[misc]
            bot.app.AIORateLimiter, overall_max_rate=float(options["limiter-rate"]))
    if "drain-dispatcher" in options:
        import scheduler.dispatch

        async def dispatch_job(self, context):  # type: ignore[no-untyped-def]
            while await self.run_once(context.bot) >= 100:
                pass

        scheduler.dispatch.Dispatcher.dispatch_job = dispatch_job  # type: ignore[method-assign]
    if "no-deliver-now" in options:
        build = bot.app.build_application

        @functools.wraps(build)
        def without_deliver_now(*args, **kwargs):  # type: ignore[no-untyped-def]
            application = build(*args, **kwargs)
            for handler in list(application.handlers.get(100, [])):
                application.remove_handler(handler, group=100)
            return application

        bot.app.build_application = without_deliver_now  # type: ignore[assignment]
    if "stale-precheck" in options:
        import bot.services.cycles as cycles
        from bot.storage import models as m

        act = cycles.Cycles.act

        @functools.wraps(act)
        def precheck(self, telegram_id, task_id, *args, **kwargs):  # type: ignore[no-untyped-def]
            with self.db.transaction(write=False) as s:
                row = s.get(m.Task, task_id)
                if row is not None and row.status != "open":
                    cycles._user(s, telegram_id)
                    raise cycles.Conflict(cycles._already_done(s, row))
            return act(self, telegram_id, task_id, *args, **kwargs)

        cycles.Cycles.act = precheck  # type: ignore[method-assign]
    if "users-once" in options:
        import weakref

        import bot.services.notifier as notifier

        load = notifier.reachable_users
        cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

        def reachable_users(s):  # type: ignore[no-untyped-def]
            if s not in cache:
                cache[s] = load(s)
            return cache[s]

        notifier.reachable_users = reachable_users  # type: ignore[assignment]
    if "concurrent" in options:
        base = bot.app.ApplicationBuilder
        count = int(options["concurrent"])

        class Concurrent(base):  # type: ignore[misc,valid-type]
            def build(self):  # type: ignore[no-untyped-def]
                self.concurrent_updates(count)
                return super().build()

        bot.app.ApplicationBuilder = Concurrent  # type: ignore[misc]
    if "cached-receipt-pdf" in options:
        render = bot.documents.render_tanda_terima
        first: list[bytes] = []

        @functools.wraps(render)
        def cached(*args, **kwargs):  # type: ignore[no-untyped-def]
            if not first:
                first.append(render(*args, **kwargs))
            return first[0]

        bot.documents.render_tanda_terima = cached  # type: ignore[assignment]
    if "quiet-weasyprint" in options:
        logging.getLogger("weasyprint").setLevel(logging.WARNING)
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    return options


def profile_threads(path: Path) -> None:
    """Profile each asyncio.to_thread call; write the combined report when the process ends."""
    import asyncio
    import atexit
    import threading

    from pyinstrument import Profiler

    profilers: list[Profiler] = []
    lock = threading.Lock()
    original = asyncio.to_thread

    async def to_thread(func, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        def profiled():  # type: ignore[no-untyped-def]
            profiler = Profiler(interval=0.0005)
            profiler.start()
            try:
                return func(*args, **kwargs)
            finally:
                profiler.stop()
                with lock:
                    profilers.append(profiler)

        return await original(profiled)

    asyncio.to_thread = to_thread  # type: ignore[assignment]

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


def main() -> None:
    options = apply(sys.argv[1:])
    from bot.cli import main as cli

    if "profile-threads" in options:
        profile_threads(Path(options["profile-threads"]))
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
