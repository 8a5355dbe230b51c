"""Step 8, alternative: Tim SAKIP uploads the letter signed through SRIKANDI (a certified TTE)
and its number; that file is then what every Perangkat Daerah receives."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import codes
from bot.presentation.labels import reply
from bot.workflow import DomainError
from bot.workflow.kinds import Form
from conversations.common import call, cancel_form, form, pressed_task, refuse, reply_refusal, take_upload
from conversations.context import BotContext
from conversations.updates import message_of, text_of, user_id

FILE, NOMOR = 0, 1
PENDING = "official_letter"


async def ask_file(update: Update, context: BotContext) -> int:
    view = await pressed_task(update, context.svc)
    if view is None:
        return ConversationHandler.END
    context.user_data[PENDING] = {"task_id": view.id, "step": view.step}
    await message_of(update).reply_text(messages.render("official_ask", what="file"))
    return FILE


async def on_file(update: Update, context: BotContext) -> int:
    if (saved := await take_upload(update, context.svc, "pdf", "surat.pdf")) is None:
        return FILE
    context.user_data[PENDING]["attachment"] = saved
    await message_of(update).reply_text(messages.render("official_ask", what="nomor"))
    return NOMOR


async def on_nomor(update: Update, context: BotContext) -> int:
    pending = context.user_data[PENDING]
    try:
        nomor = await call(context.svc.letters.attach_official, user_id(update), pending["task_id"],
                           pending["attachment"], text_of(update))
    except DomainError as exc:
        await refuse(update, str(exc))
        return NOMOR if exc.code == "letters.srikandi_nomor_required" else ConversationHandler.END
    context.user_data.pop(PENDING, None)
    await message_of(update).reply_text(messages.render("official_saved", nomor=nomor, step_no=pending["step"]))
    return ConversationHandler.END


async def unexpected(update: Update, context: BotContext) -> None:
    await reply_refusal(update, reply("official_unexpected"))


def build_handler() -> BaseHandler:
    return form(
        entry_points=[CallbackQueryHandler(ask_file, pattern=callbacks.pattern("t", *codes(Form.OFFICIAL)))],
        states={FILE: [MessageHandler(filters.Document.ALL, on_file), MessageHandler(~filters.COMMAND, unexpected)],
                NOMOR: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_nomor),
                        MessageHandler(~filters.COMMAND, unexpected)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))],
        name="surat_tte",
        allow_reentry=True,
    )
