"""/atasnama: Tim SAKIP records, for an OPD with no operator on the bot, the receipt of the letter
(on paper or by e-mail: who received it and when) and the submission (the file it sent by e-mail).
Every decision is the service's (bot.services.reach); the form only collects the answers."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.services.reach_behalf import VIA, parse_received_at
from bot.workflow import DomainError
from conversations.common import UploadRejected, call, edit_or_ignore, form, note_problem, refuse, save_upload
from conversations.submission import ALLOWED
from scheduler.dispatch import markup

VIA_STATE, NAME, WHEN, FILE = range(4)
FORM = "atas_nama"  # user_data: the task, and the answers so far
KIND = {"rc": "receipt", "sb": "submission"}
LABEL = {"receipt": "Penerimaan surat", "submission": "Laporan pengisian"}
MAX_LISTED = 40


def keyboard(*rows: list[tuple[str, str, int]]) -> object:
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ob", a, i)} for t, a, i in row]
                                       for row in rows]})


def build_handler(svc: Services) -> BaseHandler:
    async def list_items(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            items = await call(svc.on_behalf.open_items, update.effective_user.id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        rows = [[(f"{LABEL[i.kind]} — {i.opd_nama}"[:60], "rc" if i.kind == "receipt" else "sb", i.task_id)]
                for i in items[:MAX_LISTED]]
        await update.effective_message.reply_text(messages.render("atas_nama", bagian="daftar", items=items),
                                                  reply_markup=keyboard(*rows) if rows else None)
        return ConversationHandler.END

    async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query, data = update.callback_query, callbacks.decode(update.callback_query.data)
        try:
            item = await call(svc.on_behalf.check, update.effective_user.id, data.id, KIND[data.action])
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        await query.answer()
        context.user_data[FORM] = {"item": item, "note": None, "attachment": None}
        if item.kind == "receipt":
            await query.message.reply_text(messages.render("atas_nama", bagian="cara", item=item), reply_markup=keyboard(
                [("Diterima secara fisik", "fisik", item.task_id), ("Diterima melalui surel", "surel", item.task_id)],
                [("Batal", "batal", item.task_id)]))
            return VIA_STATE
        await query.message.reply_text(messages.render("atas_nama", bagian="berkas", item=item,
                                                       max_mb=svc.settings.max_upload_mb), reply_markup=file_keys(item))
        return FILE

    def file_keys(item) -> object:  # type: ignore[no-untyped-def]
        return keyboard([("Catat laporan", "kirim", item.task_id), ("Batal", "batal", item.task_id)])

    async def choose_via(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query, data = update.callback_query, callbacks.decode(update.callback_query.data)
        current = context.user_data.get(FORM)
        if current is None or current["item"].task_id != data.id:
            await refuse(update, "Tombol ini bukan untuk isian yang sedang berjalan. Ketik /atasnama untuk memulai lagi.")
            return VIA_STATE if current else ConversationHandler.END
        current["via"] = data.action
        await query.answer()
        await edit_or_ignore(query, messages.render("atas_nama", bagian="nama", item=current["item"],
                                                    via_label=VIA[data.action]))
        return NAME

    async def receive_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        problem = note_problem(update.effective_message.text)
        if problem or len(update.effective_message.text) > 200:
            await update.effective_message.reply_text(messages.render(
                "refusal", text=problem or "Nama terlalu panjang (paling banyak 200 karakter)."))
            return NAME
        current = context.user_data[FORM]
        current["nama"] = " ".join(update.effective_message.text.split())
        contoh = svc.clock.now().astimezone(svc.settings.tz).strftime("%d-%m-%Y %H.%M")
        await update.effective_message.reply_text(
            messages.render("atas_nama", bagian="waktu", nama=current["nama"], contoh=contoh),
            reply_markup=keyboard([("Sekarang", "kini", current["item"].task_id), ("Batal", "batal", current["item"].task_id)]))
        return WHEN

    async def receive_when(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        current = context.user_data[FORM]
        try:
            at = parse_received_at(update.effective_message.text, svc.settings.tz)
        except DomainError as exc:
            await update.effective_message.reply_text(messages.render("refusal", text=str(exc)))
            return WHEN
        return await record_receipt(update, context, current, at)

    async def receive_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        current = context.user_data.get(FORM)
        if current is None or current["item"].task_id != callbacks.decode(update.callback_query.data).id:
            await refuse(update, "Tombol ini bukan untuk isian yang sedang berjalan. Ketik /atasnama untuk memulai lagi.")
            return WHEN if current else ConversationHandler.END
        await update.callback_query.answer()
        return await record_receipt(update, context, current, None)

    async def record_receipt(update: Update, context: ContextTypes.DEFAULT_TYPE, current: dict, at) -> int:  # type: ignore[no-untyped-def]
        try:
            view = await call(svc.on_behalf.record_receipt, update.effective_user.id, current["item"].task_id,
                              current["via"], current["nama"], at)
        except DomainError as exc:
            await refuse(update, str(exc))
            return WHEN if "Waktu" in str(exc) else end(context)
        await update.effective_message.reply_text(messages.render(
            "atas_nama", tz=svc.settings.tz, bagian="selesai", task=view))
        return end(context)

    async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message, current = update.effective_message, context.user_data[FORM]
        file, name = ((message.document, message.document.file_name or "lampiran") if message.document is not None
                      else (message.photo[-1], f"foto-{message.message_id}.jpg"))
        try:
            current["attachment"] = await save_upload(file, name, ALLOWED, svc.settings)
        except UploadRejected as exc:
            await message.reply_text(messages.render("refusal", text=str(exc)))
            return FILE
        await message.reply_text(messages.render("atas_nama", bagian="status", item=current["item"], report=current),
                                 reply_markup=file_keys(current["item"]))
        return FILE

    async def on_note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        current, problem = context.user_data[FORM], note_problem(update.effective_message.text)
        if problem:
            await update.effective_message.reply_text(messages.render("refusal", text=problem))
            return FILE
        current["note"] = update.effective_message.text.strip()
        await update.effective_message.reply_text(messages.render("atas_nama", bagian="status", item=current["item"],
                                                                  report=current), reply_markup=file_keys(current["item"]))
        return FILE

    async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query, current = update.callback_query, context.user_data.get(FORM)
        if current is None or current["item"].task_id != callbacks.decode(query.data).id:
            await refuse(update, "Tombol ini bukan untuk isian yang sedang berjalan. Ketik /atasnama untuk memulai lagi.")
            return FILE if current else ConversationHandler.END
        try:
            view = await call(svc.on_behalf.record_submission, update.effective_user.id, current["item"].task_id,
                              current["attachment"], current["note"])
        except DomainError as exc:
            await refuse(update, str(exc))
            return FILE if current["attachment"] is None else end(context)
        await query.answer("Laporan tercatat.")
        await edit_or_ignore(query, messages.render("atas_nama", tz=svc.settings.tz, bagian="selesai", task=view))
        return end(context)

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        if update.callback_query is not None:
            await update.callback_query.answer("Dibatalkan.")
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return end(context)

    def end(context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(FORM, None)
        return ConversationHandler.END

    async def refuse_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(messages.render("refusal", text=(
            "Pesan ini tidak dapat diproses pada isian ini. Ikuti petunjuk di atas, atau ketik /batal.")))

    unsupported = MessageHandler(~filters.COMMAND, refuse_unsupported)

    batal = CallbackQueryHandler(cancel, pattern=callbacks.pattern("ob", "batal"))
    return form(
        entry_points=[CommandHandler("atasnama", list_items),
                      CallbackQueryHandler(choose, pattern=callbacks.pattern("ob", *KIND))],
        states={
            VIA_STATE: [CallbackQueryHandler(choose_via, pattern=callbacks.pattern("ob", *VIA)), batal, unsupported],
            NAME: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_name), batal, unsupported],
            WHEN: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_when),
                   CallbackQueryHandler(receive_now, pattern=callbacks.pattern("ob", "kini")), batal, unsupported],
            FILE: [MessageHandler(filters.Document.ALL | filters.PHOTO, on_file),
                   MessageHandler(filters.TEXT & ~filters.COMMAND, on_note),
                   CallbackQueryHandler(submit, pattern=callbacks.pattern("ob", "kirim")), batal, unsupported],
        },
        fallbacks=[CommandHandler("batal", cancel)],
        name="atas_nama",
        allow_reentry=True,
    )
