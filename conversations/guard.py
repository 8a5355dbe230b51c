"""Runs before every other handler: unknown users get a polite refusal and nothing else runs;
edited messages are not acted on at all."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, ContextTypes, TypeHandler

from bot import messages
from bot.services.container import Services
from conversations.common import UNKNOWN_BUTTON, call, refuse


def build_handler(svc: Services) -> BaseHandler:
    async def check_registered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.edited_message is not None:
            # python-telegram-bot's CommandHandler and MessageHandler take edited messages too;
            # editing an old /mulai or form answer must not run it again: only new messages act.
            raise ApplicationHandlerStop
        user = update.effective_user
        if user is None or update.effective_chat is None:
            raise ApplicationHandlerStop  # channel posts, polls...: not for this bot
        if update.effective_chat.type != "private":
            raise ApplicationHandlerStop  # the bot works in private chats only
        message = update.effective_message
        if message is not None and message.text and message.text.startswith("/start"):
            return  # /start registers people, so it must reach its handler
        if svc.directory.known_registered(user.id) or await call(svc.directory.is_registered, user.id):
            query = update.callback_query
            if query is not None and not query.data:
                # python-telegram-bot hands a press without data to the first patterned handler
                await refuse(update, UNKNOWN_BUTTON)
                raise ApplicationHandlerStop
            return
        text = messages.render("not_registered", telegram_id=user.id)
        if update.callback_query is not None:
            await update.callback_query.answer(
                "Akun Bapak/Ibu belum terdaftar pada Bot E-SAKIP.", show_alert=True)
        elif message is not None:
            await message.reply_text(text)
        raise ApplicationHandlerStop

    return TypeHandler(Update, check_registered)
