"""/mulai, optional second part: the Sekda (or an admin) registers the incoming letter the cycle
answers (nomor, tanggal, pengirim, pindaian) for the lembar disposisi; «Lewati» goes without."""

from __future__ import annotations

from typing import Any

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.services.incoming import SCAN_TYPES, clean_nomor, clean_pengirim, parse_tanggal_surat
from bot.presentation.keyboards import button
from bot.workflow import DomainError
from conversations.common import UploadRejected, call, edit_or_ignore, form, refuse, save_upload
from scheduler.dispatch import markup

NS = "sm"
NOMOR, TANGGAL, PENGIRIM, PINDAIAN = range(4)
PENDING = "surat_masuk"
SCAN_NAME = "Pindaian_Surat_Masuk.jpg"  # a photo has no file name
NOT_OURS = "Tombol ini tidak dikenal atau sudah tidak berlaku; tidak ada yang diubah."


def offer_markup(cycle_id: int) -> InlineKeyboardMarkup | None:
    """The buttons under "Siklus ... dimulai"."""
    return markup({"inline_keyboard": [[button("Lampirkan surat masuk", "add", cycle_id, ns=NS),
                                        button("Lewati", "skip", cycle_id, ns=NS)]]})


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def ask(update: Update, what: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        await update.effective_message.reply_text(
            messages.render("incoming_ask", what=what, max_mb=f"{svc.settings.max_upload_mb:g}"),
            reply_markup=reply_markup)

    async def say_problem(update: Update, text: str) -> None:
        await update.effective_message.reply_text(messages.render("refusal", text=text))

    async def open_form(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        cycle_id = callbacks.decode(query.data).id
        if not _shows_button(query):
            await refuse(update, NOT_OURS)
            return ConversationHandler.END
        try:
            await call(svc.incoming.check, update.effective_user.id, cycle_id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        await query.answer()
        context.user_data[PENDING] = {"cycle_id": cycle_id, "message_id": query.message.message_id,
                                      "offer_text": query.message.text_html or ""}
        await ask(update, "nomor")
        return NOMOR

    async def on_nomor(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            context.user_data[PENDING]["nomor"] = clean_nomor(update.effective_message.text)
        except DomainError as exc:
            await say_problem(update, str(exc))
            return NOMOR
        await ask(update, "tanggal")
        return TANGGAL

    async def on_tanggal(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            context.user_data[PENDING]["tanggal"] = parse_tanggal_surat(update.effective_message.text,
                                                                       svc.incoming.today())
        except DomainError as exc:
            await say_problem(update, str(exc))
            return TANGGAL
        await ask(update, "pengirim")
        return PENGIRIM

    async def on_pengirim(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        pending = context.user_data[PENDING]
        try:
            pending["pengirim"] = clean_pengirim(update.effective_message.text)
        except DomainError as exc:
            await say_problem(update, str(exc))
            return PENGIRIM
        await ask(update, "pindaian", markup({"inline_keyboard": [
            [button("Lewati pindaian", "noscan", pending["cycle_id"], ns=NS)]]}))
        return PINDAIAN

    async def on_scan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message = update.effective_message
        file: Any = message.document or (message.photo[-1] if message.photo else None)
        name = (message.document.file_name or "pindaian") if message.document else SCAN_NAME
        try:
            scan = await save_upload(file, name, SCAN_TYPES, svc.settings)
        except UploadRejected as exc:
            await say_problem(update, f"{exc} Atau tekan «Lewati pindaian», atau ketik /batal.")
            return PINDAIAN
        return await finish(update, context, scan)

    async def no_scan(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        await query.answer()
        await edit_or_ignore(query, f"{query.message.text_html}\n\n{messages.render('incoming_noted', what='tanpa_pindaian')}")
        return await finish(update, context, None)

    async def finish(update: Update, context: ContextTypes.DEFAULT_TYPE, scan: dict[str, Any] | None) -> int:
        pending = context.user_data.pop(PENDING)
        try:
            letter = await call(svc.incoming.record, update.effective_user.id, pending["cycle_id"],
                                pending["nomor"], pending["tanggal"], pending["pengirim"], scan)
        except DomainError as exc:
            await say_problem(update, str(exc))
            return ConversationHandler.END
        await update.effective_message.reply_text(messages.render("incoming_saved", letter=letter))
        # The offer under "Siklus ... dimulai" has been answered: its buttons go.
        kept = _without_offer(pending["offer_text"])
        try:
            await context.bot.edit_message_text(
                f"{kept}\n\n{messages.render('incoming_noted', what='tersimpan', letter=letter)}",
                chat_id=update.effective_chat.id, message_id=pending["message_id"], reply_markup=None)
        except BadRequest:
            pass  # deleted or too old to edit: the answer above says it all
        return ConversationHandler.END

    async def unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await say_problem(update, "Mohon jawab pertanyaan di atas dengan teks (atau kirim berkas "
                                  "pindaian bila diminta), atau ketik /batal.")

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(PENDING, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    async def skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if not _shows_button(query):  # the offer's own message only, never another one
            await refuse(update, NOT_OURS)
            return
        await query.answer()
        kept = _without_offer(query.message.text_html or "")
        await edit_or_ignore(query, f"{kept}\n\n{messages.render('incoming_noted', what='dilewati')}")

    async def closed_form(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await refuse(update, "Formulir surat masuk sudah ditutup. Tekan kembali «Lampirkan surat "
                             "masuk» pada pesan dimulainya siklus untuk mengisinya.")

    text = filters.TEXT & ~filters.COMMAND
    return [
        form(
            entry_points=[CallbackQueryHandler(open_form, pattern=callbacks.pattern(NS, "add"))],
            states={
                NOMOR: [MessageHandler(text, on_nomor), MessageHandler(~filters.COMMAND, unexpected)],
                TANGGAL: [MessageHandler(text, on_tanggal), MessageHandler(~filters.COMMAND, unexpected)],
                PENGIRIM: [MessageHandler(text, on_pengirim), MessageHandler(~filters.COMMAND, unexpected)],
                PINDAIAN: [MessageHandler(filters.Document.ALL | filters.PHOTO, on_scan),
                           CallbackQueryHandler(no_scan, pattern=callbacks.pattern(NS, "noscan")),
                           MessageHandler(~filters.COMMAND, unexpected)],
            },
            fallbacks=[CommandHandler("batal", cancel)],
            name="surat_masuk",
            allow_reentry=True,
        ),
        CallbackQueryHandler(skip, pattern=callbacks.pattern(NS, "skip")),
        CallbackQueryHandler(closed_form, pattern=callbacks.pattern(NS, "noscan")),
    ]


def _shows_button(query: CallbackQuery) -> bool:
    """Whether the pressed message really shows this button (a forged press on another message
    must not edit that message)."""
    keyboard = query.message.reply_markup.inline_keyboard if query.message and query.message.reply_markup else ()
    return any(b.callback_data == query.data for row in keyboard for b in row)


def _without_offer(text_html: str) -> str:
    """The "Siklus ... dimulai" message without its last paragraph (the offer to attach)."""
    return text_html.rsplit("\n\n", 1)[0] if "\n\n" in text_html else text_html
