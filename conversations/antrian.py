"""Tim SAKIP's queues (issue 13 item 7): /antrian sends them again, a page button turns the
pressed queue message, an OPD's button opens that OPD's submission. The logic is in
bot/services/antrian_pesan.py; the wording in templates/chat/antrian/."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.services.antrian import MAX_PAGE, NS, OPEN, PAGE
from bot.workflow import DomainError
from conversations.common import UNKNOWN_BUTTON, call, edit_or_ignore, refuse
from conversations.context import BotContext
from scheduler.dispatch import markup


async def antrian(update: Update, context: BotContext) -> None:
    """/antrian: the member's queue messages again, at the bottom of the chat (the outbox sends
    them; the old ones point to the new)."""
    try:
        sent = await call(context.svc.antrian.resend, update.effective_user.id)
    except DomainError as exc:
        await refuse(update, str(exc))
        return
    if not sent:
        await update.effective_message.reply_text(messages.render("antrian/kosong"))


async def turn_page(update: Update, context: BotContext) -> None:
    query = update.callback_query
    page = callbacks.decode(query.data).id
    if page > MAX_PAGE:
        await refuse(update, UNKNOWN_BUTTON)
        return
    try:
        shown = await call(context.svc.antrian.turn, update.effective_user.id, query.message.message_id, page)
    except DomainError as exc:
        await refuse(update, str(exc))
        return
    await query.answer()
    if shown is not None:
        await edit_or_ignore(query, shown["text"], markup(shown["reply_markup"]))


async def open_submission(update: Update, context: BotContext) -> None:
    query = update.callback_query
    try:
        taken = await call(context.svc.antrian.take, update.effective_user.id, callbacks.decode(query.data).id)
    except DomainError as exc:
        await refuse(update, str(exc))
        return
    await query.answer(messages.render("antrian/dibuka", opd_nama=taken.opd_nama)[:200])


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("antrian", antrian),
        CallbackQueryHandler(turn_page, pattern=callbacks.pattern(NS, PAGE)),
        CallbackQueryHandler(open_submission, pattern=callbacks.pattern(NS, OPEN)),
    ]
