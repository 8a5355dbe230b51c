"""Last in line: buttons the bot does not know, messages it does not expect, a stray /batal."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot import callbacks, messages
from bot.services.container import Services
from bot.workflow import DomainError
from conversations.common import UNKNOWN_BUTTON, call, done_text, edit_or_ignore, refuse

#: Buttons of forms (konsep surat, laporan): their id is a task, and the form may have closed.
FORM_NAMESPACES = ("f", "s")


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def stale_or_unknown_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        try:
            data = callbacks.decode(query.data)
            if data.ns not in FORM_NAMESPACES:
                raise callbacks.CallbackError(data.ns)
        except callbacks.CallbackError:
            await refuse(update, UNKNOWN_BUTTON)
            return
        # A known shape whose form is no longer open (e.g. after a restart): re-derive from the DB.
        try:
            view = await call(svc.cycles.own_task, update.effective_user.id, data.id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        if not view.is_open:
            await refuse(update, "Tugas ini sudah selesai diproses; tidak ada yang diubah.")
            if getattr(query.message, "reply_markup", None):  # still shows buttons: close them
                await edit_or_ignore(query, done_text(view, svc.settings.tz))
            return
        await refuse(update, "Formulir ini sudah ditutup. Mohon tekan kembali tombol pada pesan "
                             "tugas, atau ketik /tugas.")

    async def unexpected_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(messages.render("unexpected"))

    async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(messages.render("refusal",
                                                  text="Tidak ada isian yang sedang berjalan."))

    return [
        CommandHandler("batal", nothing_to_cancel),
        CallbackQueryHandler(stale_or_unknown_button),
        MessageHandler(filters.ALL, unexpected_message),
    ]
