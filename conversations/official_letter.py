"""Step 8, alternative: Tim SAKIP uploads the letter signed through SRIKANDI (a certified TTE)
and its number; that file is then what every Perangkat Daerah receives."""

from __future__ import annotations

import hashlib
from pathlib import Path

from telegram import Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.services.keyboards import OFFICIAL_LETTER
from bot.workflow import DomainError
from conversations.common import call, form, refuse

FILE, NOMOR = 0, 1
PENDING = "official_letter"


def build_handler(svc: Services) -> BaseHandler:
    max_bytes = int(svc.settings.max_upload_mb * 1024 * 1024)

    async def ask_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        task_id = callbacks.decode(query.data).id
        try:
            await call(svc.cycles.require_actionable, update.effective_user.id, task_id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        await query.answer()
        context.user_data[PENDING] = {"task_id": task_id}
        await query.message.reply_text(messages.render("official_ask", what="file"))
        return FILE

    async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        document = update.effective_message.document
        name = document.file_name or "surat.pdf"
        if Path(name).suffix.lower() != ".pdf":
            await update.effective_message.reply_text(messages.render(
                "refusal", text="Surat ber-TTE harus berupa berkas PDF dari SRIKANDI."))
            return FILE
        if (document.file_size or 0) > max_bytes:
            await update.effective_message.reply_text(messages.render(
                "refusal", text=f"Ukuran berkas melebihi batas {svc.settings.max_upload_mb:g} MB."))
            return FILE
        content = bytes(await (await document.get_file()).download_as_bytearray())
        digest = hashlib.sha256(content).hexdigest()
        folder = Path(svc.settings.data_dir) / "unggahan"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{digest}.pdf"
        path.write_bytes(content)
        context.user_data[PENDING]["attachment"] = {"path": str(path), "filename": name[:200],
                                                    "size": len(content), "sha256": digest}
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
        await update.effective_message.reply_text(messages.render("official_saved", nomor=nomor))
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
        entry_points=[CallbackQueryHandler(ask_file, pattern=rf"^t:{OFFICIAL_LETTER}:\d+$")],
        states={FILE: [MessageHandler(filters.Document.ALL, on_file), MessageHandler(~filters.COMMAND, unexpected)],
                NOMOR: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_nomor),
                        MessageHandler(~filters.COMMAND, unexpected)]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="surat_tte",
        allow_reentry=True,
    )
