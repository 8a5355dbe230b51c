"""/rekap: the cycle's status per Perangkat Daerah (richer reporting comes with issue 6)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot import messages
from bot.roles import Peran
from bot.services.container import Services
from conversations.common import call, refuse

ALLOWED = {Peran.TIM_SAKIP, Peran.KABAG, Peran.ASISTEN, Peran.SEKDA, Peran.ADMIN}


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def rekap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = await call(svc.directory.require_user, update.effective_user.id)
        if user.peran not in ALLOWED:
            await refuse(update, "Rekap hanya tersedia bagi Tim SAKIP, Kabag Organisasi, Asisten, "
                                 "Sekretaris Daerah, dan administrator.")
            return
        recap = await call(svc.recap.current)
        if recap is None:
            await update.effective_message.reply_text(messages.render("refusal",
                                                      text="Belum ada siklus Pengisian E-SAKIP."))
            return
        for part in messages.split(messages.render("rekap", r=recap)):
            await update.effective_message.reply_text(part)

    return [CommandHandler("rekap", rekap)]
