"""Last in line: buttons the bot does not know, messages it does not expect, a stray /batal."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.labels import reply
from conversations.common import attempt, done_text, edit_or_ignore, refuse
from conversations.context import BotContext
from conversations.updates import message_of, query_of, user_id

#: Buttons of forms (konsep surat, laporan): their id is a task, and the form may have closed.
FORM_NAMESPACES = ("f", "s")


async def stale_or_unknown_button(update: Update, context: BotContext) -> None:
    if (data := _form_button(update)) is None:
        await refuse(update, reply("unknown_button"))
        return
    # A known shape whose form is no longer open (e.g. after a restart): re-derive from the DB.
    if (view := await attempt(update, context.svc.cycles.own_task, user_id(update), data.id)) is None:
        return
    if view.is_open:
        await refuse(update, reply("form_closed"))
        return
    await refuse(update, reply("task_already_done"))
    if getattr(query_of(update).message, "reply_markup", None):  # still shows buttons: close them
        await edit_or_ignore(query_of(update), done_text(view, context.svc.settings.tz))


def _form_button(update: Update) -> callbacks.Callback | None:
    """The pressed button, if it is a form's (its id a task); None for an unknown one."""
    try:
        data = callbacks.decode(query_of(update).data)
    except callbacks.CallbackError:
        return None
    return data if data.ns in FORM_NAMESPACES else None


async def unexpected_message(update: Update, context: BotContext) -> None:
    await message_of(update).reply_text(messages.render("unexpected"))


async def nothing_to_cancel(update: Update, context: BotContext) -> None:
    await message_of(update).reply_text(messages.render("refusal", text=reply("nothing_to_cancel")))


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("batal", nothing_to_cancel),
        CallbackQueryHandler(stale_or_unknown_button),
        MessageHandler(filters.ALL, unexpected_message),
    ]
