"""The bare framework, for comparison: a python-telegram-bot echo bot with one CommandHandler and
one CallbackQueryHandler that reply with a fixed text. No database, no rate limiter.

    ESAKIP_BOT_TOKEN=... ESAKIP_BOT_API_URL=http://127.0.0.1:PORT/bot .venv/bin/python bench/echo_bot.py

Polls like `esakip-bot run` does (long polling, 30 s timeout); stops on SIGINT.
"""

from __future__ import annotations

import os
from datetime import timedelta

from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes


async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text("Baik.")


async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Tercatat.")
    if query.message is not None and getattr(query.message, "caption", None) is not None:
        await query.edit_message_caption(f"Tercatat ({update.update_id}).")  # the letter: a document
    else:
        await query.edit_message_text(f"Tercatat ({update.update_id}).")


def main() -> None:
    application = (ApplicationBuilder().token(os.environ["ESAKIP_BOT_TOKEN"])
                   .base_url(os.environ["ESAKIP_BOT_API_URL"])
                   .base_file_url(os.environ.get("ESAKIP_BOT_FILE_URL", "https://api.telegram.org/file/bot"))
                   .build())
    application.add_handler(CommandHandler(["tugas", "rekap", "start"], reply))
    application.add_handler(CallbackQueryHandler(press))
    application.run_polling(timeout=timedelta(seconds=30), drop_pending_updates=False)


if __name__ == "__main__":
    main()
