"""Step 4: Tim SAKIP fills the letter's fields in a form, previews it, and submits the draft."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.services.letters import FIELDS, LetterFields
from bot.services.views import TaskView
from bot.presentation.keyboards import codes
from bot.workflow import ActionKind, DomainError
from bot.workflow.kinds import Form
from conversations.common import (call, done_text, edit_or_ignore, form, pressed_task, refuse, remove_buttons,
                                  take_upload)
from scheduler.dispatch import markup

MENU, FIELD, BERKAS = 0, 1, 2
DRAFTS = "drafts"  # user_data: task id -> fields typed so far (kept across /batal)
EDITING = "editing"  # user_data: (task id, field) being typed


def menu_markup(task_id: int) -> object:
    b = lambda text, action: {"text": text, "callback_data": callbacks.encode("f", action, task_id)}  # noqa: E731
    return markup({"inline_keyboard": [
        [b("Nomor", "nomor"), b("Tanggal", "tanggal"), b("Sifat", "sifat")],
        [b("Batas waktu pengisian", "batas"), b("Hal", "hal")],
        [b("Dasar", "dasar"), b("Pembuka", "pembuka"), b("Rincian", "rincian")],
        [b("Narahubung", "narahubung"), b("Paragraf tambahan", "tambahan"), b("Penutup", "penutup")],
        [b("Lampirkan berkas", "berkas")],
        [b("Pratinjau PDF", "pratinjau"), b("Kirim ke Kabag", "kirim")],
        [b("Tutup (simpan isian)", "tutup")],
    ]})


def build_handler(svc: Services) -> BaseHandler:
    letters = svc.letters

    def fields_for(context: ContextTypes.DEFAULT_TYPE, view: TaskView) -> LetterFields:
        """What this user typed in this form before; else the draft last submitted in this cycle
        (kept in the database, so a returned draft reopens with every field for whoever of Tim
        SAKIP opens it); else the defaults."""
        drafts = context.user_data.setdefault(DRAFTS, {})
        if view.id not in drafts:
            drafts[view.id] = (LetterFields.from_dict(dict(view.letter)).as_dict() if view.letter.get("tanggal")
                               else letters.defaults(view.tahun).as_dict())
        return LetterFields.from_dict(drafts[view.id])

    async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, view: TaskView,
                        fields: LetterFields) -> None:
        nomor = await call(letters.number_preview, fields)
        lampiran = await call(letters.lampiran, fields)
        text = messages.render("draft_form", f=fields, nomor=nomor, lampiran=lampiran, step_no=view.step,
                               isi=letters.body(fields, view.tahun),
                               warning=letters.problem(fields, view.tahun))
        await update.effective_message.reply_text(text, reply_markup=menu_markup(view.id))

    async def open_form(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        view = await pressed_task(update, svc)
        if view is None:
            return ConversationHandler.END
        if view.instruction:
            await update.effective_message.reply_text(messages.render("draft_returned", note=view.instruction))
        await show_menu(update, context, view, fields_for(context, view))
        return MENU

    async def on_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        data = callbacks.decode(query.data)
        task_id, choice = data.id, data.action
        if choice == "tutup":
            await query.answer()
            await remove_buttons(query)
            await query.message.reply_text(messages.render("cancelled", kept=True))
            return ConversationHandler.END
        try:
            view = await call(svc.cycles.require_actionable, update.effective_user.id, task_id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        fields = fields_for(context, view)
        if choice == "pratinjau":
            await query.answer("Menyiapkan pratinjau…")
            pdf = await call(letters.preview, fields, view.tahun)
            await query.message.reply_document(InputFile(pdf, filename="Pratinjau_Konsep_Surat.pdf"),
                                               caption="Pratinjau konsep surat (belum dikirim).")
            return MENU
        if choice == "kirim":
            problem = letters.problem(fields, view.tahun)
            if problem:
                await refuse(update, problem)
                return MENU
            try:
                result = await call(svc.cycles.act, update.effective_user.id, task_id,
                                    ActionKind.SUBMIT_DRAFT, payload=letters.payload(fields))
            except DomainError as exc:
                await refuse(update, str(exc))
                return MENU
            context.user_data.get(DRAFTS, {}).pop(task_id, None)
            await query.answer("Konsep surat terkirim.")
            await edit_or_ignore(query, done_text(result.task, svc.settings.tz))
            return ConversationHandler.END
        if choice not in (*FIELDS, "berkas"):
            await refuse(update, "Pilihan ini tidak dikenal.")
            return MENU
        await query.answer()
        context.user_data[EDITING] = (view, choice)
        current = next((p for p in letters.body(fields, view.tahun) if p.bagian == choice), None)
        await query.message.reply_text(messages.render("draft_ask", field=choice, f=fields, bagian=current,
                                                       max_mb=svc.settings.max_upload_mb))
        return BERKAS if choice == "berkas" else FIELD

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        view, field = context.user_data[EDITING]
        draft = context.user_data[DRAFTS][view.id]
        text = update.effective_message.text
        if field == "berkas":
            if text.strip() != "-":
                return await not_a_file(update, context)
            draft.pop("berkas", None)
        else:
            try:
                draft.update(LetterFields.parse_field(field, text, draft))
            except ValueError as exc:
                await update.effective_message.reply_text(messages.render("refusal", text=str(exc)))
                return FIELD
        await show_menu(update, context, view, LetterFields.from_dict(draft))
        return MENU

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        view, _ = context.user_data[EDITING]
        message = update.effective_message
        if (saved := await take_upload(update, svc, "pdf", "lampiran.pdf")) is None:
            return BERKAS
        context.user_data[DRAFTS][view.id]["berkas"] = saved
        await show_menu(update, context, view, LetterFields.from_dict(context.user_data[DRAFTS][view.id]))
        return MENU

    async def not_a_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.effective_message.reply_text(messages.render(
            "refusal", text="Mohon unggah lampiran surat sebagai berkas PDF, atau ketik - untuk "
                            "menghapus lampiran."))
        return BERKAS

    async def unexpected(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int | None:
        await update.effective_message.reply_text(messages.render(
            "refusal", text="Isian konsep surat sedang terbuka. Mohon gunakan tombol pada formulir, "
                            "ketik isian yang diminta, atau ketik /batal."))
        return None

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(EDITING, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=True))
        return ConversationHandler.END

    return form(
        entry_points=[CallbackQueryHandler(open_form, pattern=callbacks.pattern("t", *codes(Form.DRAFT)))],
        states={
            MENU: [CallbackQueryHandler(on_menu, pattern=callbacks.pattern("f")),
                   MessageHandler(~filters.COMMAND, unexpected)],
            FIELD: [MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                    MessageHandler(~filters.COMMAND, unexpected)],
            BERKAS: [MessageHandler(filters.Document.ALL, on_document),
                     MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
                     MessageHandler(~filters.COMMAND, not_a_file)],
        },
        fallbacks=[CommandHandler("batal", cancel)],
        name="konsep_surat",
        allow_reentry=True,
    )
