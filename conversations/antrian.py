"""Tim SAKIP's queues (issue 13 item 7): /antrian sends them again, a page button turns the
pressed queue message, an OPD's button opens that OPD's submission. The logic is in
bot/services/antrian_pesan.py; the wording in templates/chat/antrian/."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.presentation.keyboards import markup
from bot.presentation.labels import reply
from bot.services.antrian import MAX_PAGE, NS, OPEN, PAGE
from conversations.common import attempt, edit_or_ignore, refuse
from conversations.context import BotContext
from conversations.updates import message_of, pressed, pressed_message, query_of, user_id


async def antrian(update: Update, context: BotContext) -> None:
    """/antrian: the member's queue messages again, at the bottom of the chat (the outbox sends
    them; the old ones point to the new)."""
    sent = await attempt(update, context.svc.antrian.resend, user_id(update))
    if sent == 0:
        await message_of(update).reply_text(messages.render("antrian/kosong"))


async def turn_page(update: Update, context: BotContext) -> None:
    page = pressed(update).id
    if page > MAX_PAGE:
        await refuse(update, reply("unknown_button"))
        return
    shown = await attempt(update, context.svc.antrian.turn, user_id(update), pressed_message(update).message_id,
                          page)
    if shown is None:
        return  # refused, and told why
    await query_of(update).answer()
    if shown:  # {}: the message shows that page already
        await edit_or_ignore(query_of(update), shown["text"], markup(shown["reply_markup"]))


async def open_submission(update: Update, context: BotContext) -> None:
    taken = await attempt(update, context.svc.antrian.take, user_id(update), pressed(update).id)
    if taken is not None:
        await query_of(update).answer(messages.render("antrian/dibuka", opd_nama=taken.opd_nama)[:200])


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("antrian", antrian),
        CallbackQueryHandler(turn_page, pattern=callbacks.pattern(NS, PAGE)),
        CallbackQueryHandler(open_submission, pattern=callbacks.pattern(NS, OPEN)),
    ]
