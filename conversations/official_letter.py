"""Step 8, alternative: Tim SAKIP uploads the letter signed through SRIKANDI (a certified TTE)
and its number; that file is then what every Perangkat Daerah receives."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.presentation.keyboards import codes
from bot.workflow import DomainError
from bot.workflow.kinds import Form
from conversations.common import UploadRejected, call, form, pressed_task, refuse, save_upload

FILE, NOMOR = 0, 1
PENDING = "official_letter"


def build_handler(svc: Services) -> BaseHandler:
    async def ask_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        view = await pressed_task(update, svc)
        if view is None:
            return ConversationHandler.END
        context.user_data[PENDING] = {"task_id": view.id, "step": view.step}
        await update.effective_message.reply_text(messages.render("official_ask", what="file"))
        return FILE

    async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        document = update.effective_message.document
        try:
            context.user_data[PENDING]["attachment"] = await save_upload(
                document, document.file_name or "surat.pdf", {".pdf": "application/pdf"}, svc.settings)
        except UploadRejected as exc:
            await update.effective_message.reply_text(messages.render("refusal", text=str(exc)))
            return FILE
        await update.effective_message.reply_text(messages.render("official_ask", what="nomor"))
        return NOMOR

    async def on_nomor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = context.user_data[PENDING]
        try:
            nomor = await call(svc.letters.attach_official, update.effective_user.id, pending["task_id"],
                               pending["attachment"], update.effective_message.text)
        except DomainError as exc:
            await refuse(update, str(exc))
            return NOMOR if "Nomor" in str(exc) else ConversationHandler.END
        context.user_data.pop(PENDING, None)
        await update.effective_message.reply_text(messages.render("official_saved", nomor=nomor, step_no=pending["step"]))
        return ConversationHandler.END

    async def unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
        await update.effective_message.reply_text(messages.render(
            "refusal", text="Mohon kirim berkas PDF surat ber-TTE, lalu ketik nomornya; atau ketik /batal."))
        return None

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(PENDING, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    return form(
        entry_points=[CallbackQueryHandler(ask_file, pattern=callbacks.pattern("t", *codes(Form.OFFICIAL)))],
        states={FILE: [MessageHandler(filters.Document.ALL, on_file), MessageHandler(~filters.COMMAND, unexpected)],
                NOMOR: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_nomor),
                        MessageHandler(~filters.COMMAND, unexpected)]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="surat_tte",
        allow_reentry=True,
    )
