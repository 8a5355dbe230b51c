"""Runs before every other handler: unknown users get a polite refusal and nothing else runs;
edited messages are not acted on at all."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, TypeHandler

from bot import messages
from bot.presentation.labels import reply
from conversations.common import read, refuse
from conversations.context import BotContext


async def check_registered(update: Update, context: BotContext) -> None:
    if not _for_this_bot(update):
        raise ApplicationHandlerStop
    user_id = update.effective_user.id if update.effective_user is not None else 0
    message = update.effective_message
    if message is not None and message.text and message.text.startswith("/start"):
        return  # /start registers people, so it must reach its handler
    if context.svc.directory.known_registered(user_id) or await read(context.svc, context.svc.directory.is_registered, user_id):
        query = update.callback_query
        if query is not None and not query.data:
            # python-telegram-bot hands a press without data to the first patterned handler
            await refuse(update, reply("unknown_button"))
            raise ApplicationHandlerStop
        return
    await _not_registered(update, user_id)
    raise ApplicationHandlerStop


def _for_this_bot(update: Update) -> bool:
    """New messages and presses of a person, in a private chat."""
    # python-telegram-bot's CommandHandler and MessageHandler take edited messages too; editing
    # an old /mulai or form answer must not run it again: only new messages act.
    if update.edited_message is not None:
        return False
    if update.effective_user is None or update.effective_chat is None:
        return False  # channel posts, polls...: not for this bot
    return update.effective_chat.type == "private"  # the bot works in private chats only


async def _not_registered(update: Update, user_id: int) -> None:
    if update.callback_query is not None:
        await update.callback_query.answer(reply("not_registered"), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(messages.render("not_registered", telegram_id=user_id))


def build_handler() -> BaseHandler:
    return TypeHandler(Update, check_registered)
