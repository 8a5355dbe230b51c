"""Step 9: an OPD operator reports the filling, with an optional attachment and a note."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import CODE_ACTION, codes, markup
from bot.presentation.labels import form_button, reply
from bot.services.cycles import ActResult
from bot.services.views import TaskView
from bot.workflow import DomainError, FileRequired, NoteRequired
from bot.workflow.kinds import KINDS, Form
from conversations.common import (call, cancel_form, done_text, edit_or_ignore, form, pressed_task, refuse,
                                  take_upload, typed_note)
from conversations.context import BotContext
from conversations.updates import message_of, pressed, query_of, user_id

COLLECT = 0
REPORT = "report"  # user_data: what this report holds so far
#: What a report takes (`attach`): a file or a photo (the attachment), or text typed (the note).
REPORT_INPUT = filters.Document.ALL | filters.PHOTO | (filters.TEXT & ~filters.COMMAND)


def report_markup(task_id: int) -> InlineKeyboardMarkup | None:
    return markup({"inline_keyboard": [[
        {"text": form_button("report_send"), "callback_data": callbacks.encode("s", "kirim", task_id)},
        {"text": form_button("cancel"), "callback_data": callbacks.encode("s", "batal", task_id)},
    ]]})


async def open_report(update: Update, context: BotContext) -> int:
    view = await pressed_task(update, context.svc)
    if view is None:
        return ConversationHandler.END
    context.user_data[REPORT] = {"task_id": view.id, "note": None, "attachment": None,
                                 "code": pressed(update).action, "kepada": _kepada(view)}
    await message_of(update).reply_text(
        messages.render("report_open", task=view, max_mb=context.svc.settings.max_upload_mb),
        reply_markup=report_markup(view.id))
    return COLLECT


async def attach(update: Update, context: BotContext, report: dict[str, Any]) -> bool:
    """A file or photo sent becomes the report's attachment, text typed its note; False when it was
    refused (and the reason said). The report Tim SAKIP records for an OPD (conversations/on_behalf.py)
    takes them the same way."""
    message = message_of(update)
    if message.document or message.photo:
        photo = f"foto-{message.message_id}.jpg"
        if (saved := await take_upload(update, context.svc, "report", "lampiran", photo)) is None:
            return False
        report["attachment"] = saved
    elif (note := await typed_note(update)) is None:
        return False
    else:
        report["note"] = note.strip()
    return True


async def on_input(update: Update, context: BotContext) -> int:
    report = context.user_data[REPORT]
    if await attach(update, context, report):
        await show_status(update, report)
    return COLLECT


async def show_status(update: Update, report: dict[str, Any]) -> None:
    await message_of(update).reply_text(messages.render("report_status", report=report, kepada=report["kepada"]),
                                        reply_markup=report_markup(report["task_id"]))


async def unsupported(update: Update, context: BotContext) -> int:
    await message_of(update).reply_text(messages.render("refusal", text=reply("report_unsupported")))
    return COLLECT


async def send_report(update: Update, context: BotContext) -> int:
    report = _report_for(context, pressed(update).id)
    try:
        result = await _submit(update, context, report)
    except (NoteRequired, FileRequired) as exc:  # the form stays open for what is missing
        await refuse(update, str(exc))
        return COLLECT
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    context.user_data.pop(REPORT, None)
    await query_of(update).answer(reply("report_sent"))
    await edit_or_ignore(query_of(update), done_text(result.task, context.svc.settings.tz))
    return ConversationHandler.END


def _report_for(context: BotContext, task_id: int) -> dict[str, Any]:
    """What was collected for this task's report (nothing for an older report's button)."""
    report = context.user_data.get(REPORT) or {}
    if report.get("task_id") != task_id:
        return {"task_id": task_id, "note": None, "attachment": None, "code": None, "kepada": None}
    return report


async def _submit(update: Update, context: BotContext, report: dict[str, Any]) -> ActResult:
    svc, task_id = context.svc, report["task_id"]
    code = report["code"] or _code_of(await call(svc.cycles.own_task, user_id(update), task_id))
    return await call(svc.cycles.act, user_id(update), task_id, CODE_ACTION[code], note=report["note"],
                      payload={"attachment": report["attachment"]})


def build_handler() -> BaseHandler:
    return form(
        entry_points=[CallbackQueryHandler(open_report, pattern=callbacks.pattern("t", *codes(Form.REPORT)))],
        states={COLLECT: [
            MessageHandler(REPORT_INPUT, on_input),
            CallbackQueryHandler(send_report, pattern=callbacks.pattern("s", "kirim")),
            CallbackQueryHandler(cancel_form(REPORT, press="remove"), pattern=callbacks.pattern("s", "batal")),
            MessageHandler(~filters.COMMAND, unsupported),
        ]},
        fallbacks=[CommandHandler("batal", cancel_form(REPORT))],
        name="laporan_pengisian",
        allow_reentry=True,
    )


def _kepada(view: TaskView) -> str:
    """Who receives the report: the role of the step that follows."""
    return view.next_role_label or reply("report_default_recipient")


def _code_of(view: TaskView) -> str:
    """The report button of the task's kind (a press from an older report form)."""
    kind = KINDS[view.kind]
    return next(b.code for row in kind.buttons for b in row if b.form is Form.REPORT)
