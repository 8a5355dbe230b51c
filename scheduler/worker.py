"""`esakip-bot worker`: the sweep and the outbox dispatcher without receiving updates.

Any number of workers may share one PostgreSQL database with the receiving process: outbox rows
are claimed with SKIP LOCKED leases, so each is sent once.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram import Bot

from bot.services.container import Services
from scheduler.dispatch import Dispatcher
from scheduler.sweep import Sweep

log = logging.getLogger(__name__)


async def run_worker(svc: Services, token: str, dispatch_interval: float = 1.0) -> None:
    from bot.app import freeze_startup_heap, outbox_bot

    bot: Bot = outbox_bot(svc, token)
    dispatcher, sweep = Dispatcher(svc, bot), Sweep(svc)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with bot:
        freeze_startup_heap()
        next_sweep = 0.0
        while not stop.is_set():
            now = loop.time()
            if now >= next_sweep:
                await sweep.run_once()
                next_sweep = now + svc.settings.sweep_seconds
            await dispatcher.run_once(bot)
            try:
                await asyncio.wait_for(stop.wait(), timeout=dispatch_interval)
            except TimeoutError:
                pass
    log.info("worker berhenti")
