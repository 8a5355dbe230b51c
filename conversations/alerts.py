"""The buttons on reminders and escalations: "Sedang dikerjakan" and "Ingatkan"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks, formatting
from bot.presentation.labels import reply
from conversations.common import attempt, remove_buttons
from conversations.context import BotContext
from conversations.updates import pressed, query_of, user_id


async def acknowledge(update: Update, context: BotContext) -> None:
    if (until := await attempt(update, context.svc.alerts.acknowledge, user_id(update), pressed(update).id)) is None:
        return
    await query_of(update).answer(reply("alert_paused", until=formatting.tanggal_jam(until, context.svc.settings.tz)), show_alert=True)
    await remove_buttons(query_of(update))


async def nudge(update: Update, context: BotContext) -> None:
    if (count := await attempt(update, context.svc.alerts.nudge, user_id(update), pressed(update).id)) is None:
        return
    await query_of(update).answer(reply("nudged", count=count) if count else reply("nudged_nobody"),
                                  show_alert=True)


def build_handlers() -> list[BaseHandler]:
    return [CallbackQueryHandler(acknowledge, pattern=callbacks.pattern("a", "ack")),
            CallbackQueryHandler(nudge, pattern=callbacks.pattern("a", "nudge"))]
