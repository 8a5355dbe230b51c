"""The deadline sweep: one recurring job that asks the services what is due."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import ContextTypes

from bot.services.container import Services

log = logging.getLogger(__name__)


class Sweep:
    def __init__(self, svc: Services) -> None:
        self.svc = svc

    async def sweep_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.run_once()

    async def run_once(self) -> None:
        """Close ended windows, send owed reminders and escalations, and the morning digest."""
        closed = await asyncio.to_thread(self.svc.cycles.close_due_windows)
        if closed:
            log.info("verification window closed for cycles %s", closed)
        result = await asyncio.to_thread(self.svc.alerts.sweep)
        if result.tasks:
            log.info("sweep: %s tasks, %s reminders, %s escalations", result.tasks,
                     result.reminders, result.escalations)
        await asyncio.to_thread(self.svc.alerts.digest)
        await asyncio.to_thread(self.svc.acting.sweep)  # Plh./Plt. periods that start or end
