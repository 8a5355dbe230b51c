"""/verifikasi <kode>: tells a genuine signed letter from a forged code."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot import messages
from conversations.common import call
from conversations.context import BotContext
from conversations.updates import message_of


async def verifikasi(update: Update, context: BotContext) -> None:
    text = " ".join(context.args or [])
    found = await call(context.svc.verification.verify, text) if text else None
    await message_of(update).reply_text(messages.render("verify_result", tz=context.svc.settings.tz, asked=bool(text), code=text[:40],
                                                        found=found))


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("verifikasi", verifikasi)]
