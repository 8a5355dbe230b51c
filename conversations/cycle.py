"""/mulai: the Sekda (or an admin, or whoever the SOP file names) starts a cycle; with several
SOPs the bot first asks which. After it, the incoming letter the cycle answers may be attached
(conversations/incoming.py) or skipped, unless the SOP registers the letter as a step itself."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import callbacks, messages
from bot.presentation.keyboards import button
from bot.services.container import Services
from bot.sop.definition import StepKind
from bot.workflow import DomainError
from conversations import incoming
from conversations.common import call, edit_or_ignore, refuse
from scheduler.dispatch import markup

NS = "mu"


def build_handlers(svc: Services) -> list[BaseHandler]:
    sops = svc.catalog.sops if svc.catalog is not None else (svc.sop,)

    async def start(update: Update, name: str | None) -> None:
        try:
            view = await call(svc.cycles.start, update.effective_user.id, None, name)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        offer = not next(s for s in sops if s.name == view.sop_name).has_kind(StepKind.REGISTRATION)
        if update.callback_query is not None:
            await update.callback_query.answer()
            await edit_or_ignore(update.callback_query, messages.render("mulai_pilih", sops=sops, chosen=view.sop_title))
        starter = await call(svc.directory.find_user, update.effective_user.id)
        own = starter is not None and starter.peran == view.role  # his own task follows
        await update.effective_message.reply_text(messages.render("cycle_started", task=view, offer_incoming=offer,
                                                                  own=own),
                                                  reply_markup=incoming.offer_markup(view.cycle_id) if offer else None)
        await call(svc.reach.notify_unreached, view.cycle_id, "mulai")  # OPDs with no operator (issue 12)

    async def mulai(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if len(sops) == 1:
            await start(update, None)
            return
        keyboard = [[button(sop.title, "sop", index, ns=NS)] for index, sop in enumerate(sops)]
        await update.effective_message.reply_text(messages.render("mulai_pilih", sops=sops, chosen=None),
                                                  reply_markup=markup({"inline_keyboard": keyboard}))

    async def chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        index = callbacks.decode(update.callback_query.data).id
        if index >= len(sops):
            await refuse(update, "Pilihan SOP ini sudah tidak berlaku. Ketik /mulai untuk memilih lagi.")
            return
        await start(update, sops[index].name)

    return [CommandHandler("mulai", mulai), CallbackQueryHandler(chosen, pattern=callbacks.pattern(NS, "sop")),
            *incoming.build_handlers(svc)]
