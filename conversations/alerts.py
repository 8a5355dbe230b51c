"""The buttons on reminders and escalations: "Sedang dikerjakan" and "Ingatkan"."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, ContextTypes

from bot import callbacks, formatting
from bot.services.container import Services
from bot.workflow import DomainError
from conversations.common import call, refuse, remove_buttons


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def acknowledge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        try:
            until = await call(svc.alerts.acknowledge, update.effective_user.id,
                               callbacks.decode(query.data).id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await query.answer(f"Pengingat dijeda sampai {formatting.tanggal_jam(until, svc.settings.tz)}; "
                           "batas waktu tidak berubah.", show_alert=True)
        await remove_buttons(query)

    async def nudge(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        try:
            count = await call(svc.alerts.nudge, update.effective_user.id, callbacks.decode(query.data).id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await query.answer(f"Pengingat dikirim kepada {count} penanggung jawab." if count
                           else "Belum ada penanggung jawab terdaftar yang dapat dihubungi.", show_alert=True)

    return [CallbackQueryHandler(acknowledge, pattern=callbacks.pattern("a", "ack")),
            CallbackQueryHandler(nudge, pattern=callbacks.pattern("a", "nudge"))]
