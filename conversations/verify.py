"""/verifikasi <kode>: tells a genuine signed letter from a forged code."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot import messages
from bot.services.container import Services
from conversations.common import call


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def verifikasi(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = " ".join(context.args or [])
        found = await call(svc.verification.verify, text) if text else None
        await update.effective_message.reply_text(messages.render("verify_result", tz=svc.settings.tz, asked=bool(text),
                                                                  code=text[:40], found=found))

    return [CommandHandler("verifikasi", verifikasi)]
