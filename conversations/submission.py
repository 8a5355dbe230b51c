"""Step 9: an OPD operator reports the filling, with an optional attachment and a note."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.presentation.keyboards import CODE_ACTION, codes
from bot.workflow import DomainError, FileRequired, NoteRequired
from bot.workflow.kinds import Form
from conversations.common import (call, done_text, edit_or_ignore, form, pressed_task, refuse, remove_buttons,
                                  take_upload, typed_note)
from scheduler.dispatch import markup

COLLECT = 0
REPORT = "report"  # user_data: what this report holds so far

def report_markup(task_id: int) -> object:
    return markup({"inline_keyboard": [[
        {"text": "Kirim laporan", "callback_data": callbacks.encode("s", "kirim", task_id)},
        {"text": "Batal", "callback_data": callbacks.encode("s", "batal", task_id)},
    ]]})


def build_handler(svc: Services) -> BaseHandler:
    async def open_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        view = await pressed_task(update, svc)
        if view is None:
            return ConversationHandler.END
        context.user_data[REPORT] = {"task_id": view.id, "note": None, "attachment": None,
                                     "code": callbacks.decode(update.callback_query.data).action,
                                     "kepada": _kepada(view)}
        await update.effective_message.reply_text(
            messages.render("report_open", task=view, max_mb=svc.settings.max_upload_mb),
            reply_markup=report_markup(view.id))
        return COLLECT

    async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message = update.effective_message
        report = context.user_data[REPORT]
        saved = await take_upload(update, svc, "report", "lampiran", f"foto-{message.message_id}.jpg")
        if saved is None:
            return COLLECT
        report["attachment"] = saved
        await message.reply_text(messages.render("report_status", report=report, kepada=report["kepada"]),
                                 reply_markup=report_markup(report["task_id"]))
        return COLLECT

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        report = context.user_data[REPORT]
        if (note := await typed_note(update)) is None:
            return COLLECT
        report["note"] = note.strip()
        await update.effective_message.reply_text(messages.render("report_status", report=report, kepada=report["kepada"]),
                                                  reply_markup=report_markup(report["task_id"]))
        return COLLECT

    async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.effective_message.reply_text(messages.render("refusal", text=(
            "Pesan ini tidak dapat diproses. Mohon unggah berkas (PDF, XLSX, DOCX, gambar), "
            "ketik catatan, atau tekan Kirim laporan.")))
        return COLLECT

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        data = callbacks.decode(query.data)
        report = context.user_data.get(REPORT) or {}
        if report.get("task_id") != data.id:  # an older report's button: nothing typed for it here
            report = {"task_id": data.id, "note": None, "attachment": None, "code": None, "kepada": None}
        if data.action == "batal":
            context.user_data.pop(REPORT, None)
            await query.answer("Dibatalkan.")
            await remove_buttons(query)
            return ConversationHandler.END
        try:
            code = report["code"] or _code_of(await call(svc.cycles.own_task, update.effective_user.id, data.id))
            result = await call(svc.cycles.act, update.effective_user.id, data.id, CODE_ACTION[code],
                                note=report["note"], payload={"attachment": report["attachment"]})
        except (NoteRequired, FileRequired) as exc:  # the form stays open for what is missing
            await refuse(update, str(exc))
            return COLLECT
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        context.user_data.pop(REPORT, None)
        await query.answer("Laporan terkirim.")
        await edit_or_ignore(query, done_text(result.task, svc.settings.tz))
        return ConversationHandler.END

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(REPORT, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    return form(
        entry_points=[CallbackQueryHandler(open_report, pattern=callbacks.pattern("t", *codes(Form.REPORT)))],
        states={COLLECT: [
            MessageHandler(filters.Document.ALL | filters.PHOTO, on_document),
            MessageHandler(filters.TEXT & ~filters.COMMAND, on_text),
            CallbackQueryHandler(on_button, pattern=callbacks.pattern("s", "kirim", "batal")),
            MessageHandler(~filters.COMMAND, unsupported),
        ]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="laporan_pengisian",
        allow_reentry=True,
    )


def _kepada(view: object) -> str:
    """Who receives the report: the role of the step that follows."""
    return getattr(view, "next_role_label", None) or "Tim SAKIP"


def _code_of(view: object) -> str:
    """The report button of the task's kind (a press from an older report form)."""
    from bot.workflow.kinds import KINDS

    kind = KINDS[view.kind]  # type: ignore[attr-defined]
    return next(b.code for row in kind.buttons for b in row if b.form is Form.REPORT)
