"""/mulai: the Sekda (or an admin) starts the year's cycle, then may attach the incoming letter
the cycle answers (conversations/incoming.py) or skip it."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ContextTypes

from bot import messages
from bot.services.container import Services
from bot.workflow import DomainError
from conversations import incoming
from conversations.common import call, refuse


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def mulai(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            view = await call(svc.cycles.start, update.effective_user.id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await update.effective_message.reply_text(messages.render("cycle_started", task=view, offer_incoming=True),
                                                  reply_markup=incoming.offer_markup(view.cycle_id))
        await call(svc.reach.notify_unreached, view.cycle_id, "mulai")  # OPDs with no operator (issue 12)

    return [CommandHandler("mulai", mulai), *incoming.build_handlers(svc)]
