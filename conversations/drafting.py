"""Step 4: Tim SAKIP fills the letter's fields in a form, previews it, and submits the draft."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import codes, markup
from bot.presentation.labels import form_button, reply, target
from bot.services.letters import FIELDS, LetterFields
from bot.services.views import TaskView
from bot.workflow import ActionKind
from bot.workflow.kinds import Form
from conversations.common import (attempt, call, cancel_form, done_text, edit_or_ignore, form, pressed_task, refuse,
                                  reply_refusal, take_upload)
from conversations.context import BotContext
from conversations.updates import message_of, pressed, pressed_message, query_of, text_of, user_id

MENU, FIELD, BERKAS = 0, 1, 2
DRAFTS = "drafts"  # user_data: task id -> fields typed so far (kept across /batal)
EDITING = "editing"  # user_data: (task id, field) being typed
#: The form's menu: rows of (action, label key in labels.yaml `forms`).
MENU_ROWS = [
    [("nomor", "draft_nomor"), ("tanggal", "draft_tanggal"), ("sifat", "draft_sifat")],
    [("batas", "draft_batas"), ("hal", "draft_hal")],
    [("dasar", "draft_dasar"), ("pembuka", "draft_pembuka"), ("rincian", "draft_rincian")],
    [("narahubung", "draft_narahubung"), ("tambahan", "draft_tambahan"), ("penutup", "draft_penutup")],
    [("berkas", "draft_berkas")],
    [("pratinjau", "draft_pratinjau"), ("kirim", "draft_kirim")],
    [("tutup", "draft_tutup")],
]


def menu_markup(view: TaskView) -> InlineKeyboardMarkup | None:
    """The menu under the form; «Kirim ke ...» names whom the SOP sends the draft to."""
    return markup({"inline_keyboard": [[{"text": form_button(key, target=target(view.next_role_label)),
                                         "callback_data": callbacks.encode("f", action, view.id)}
                                        for action, key in row] for row in MENU_ROWS]})


def fields_for(context: BotContext, view: TaskView) -> LetterFields:
    """What this user typed in this form before; else the draft last submitted in this cycle
    (kept in the database, so a returned draft reopens with every field for whoever of Tim
    SAKIP opens it); else the defaults."""
    drafts = context.user_data.setdefault(DRAFTS, {})
    if view.id not in drafts:
        drafts[view.id] = (LetterFields.from_dict(dict(view.letter)).as_dict() if view.letter.get("tanggal")
                           else context.svc.letters.defaults(view.tahun).as_dict())
    return LetterFields.from_dict(drafts[view.id])


async def show_menu(update: Update, context: BotContext, view: TaskView, fields: LetterFields) -> int:
    letters = context.svc.letters
    nomor = await call(letters.number_preview, fields)
    lampiran = await call(letters.lampiran, fields)
    text = messages.render("draft_form", f=fields, nomor=nomor, lampiran=lampiran, step_no=view.step,
                           isi=letters.body(fields, view.tahun), warning=letters.problem(fields, view.tahun))
    await message_of(update).reply_text(text, reply_markup=menu_markup(view))
    return MENU


async def open_form(update: Update, context: BotContext) -> int:
    view = await pressed_task(update, context.svc)
    if view is None:
        return ConversationHandler.END
    if view.instruction:
        await message_of(update).reply_text(messages.render("draft_returned", note=view.instruction))
    return await show_menu(update, context, view, fields_for(context, view))


async def on_menu(update: Update, context: BotContext) -> int:
    data = pressed(update)
    if data.action == "tutup":
        return await close_form(update, context)
    if (view := await attempt(update, context.svc.cycles.require_actionable, user_id(update), data.id)) is None:
        return ConversationHandler.END
    choose = MENU_ACTIONS.get(data.action, ask_field)
    return await choose(update, context, view, fields_for(context, view))


#: "Tutup (simpan isian)": the buttons go, what was typed is kept.
close_form = cancel_form(kept=True, press="close")


async def send_preview(update: Update, context: BotContext, view: TaskView, fields: LetterFields) -> int:
    await query_of(update).answer(reply("draft_preparing"))
    pdf = await call(context.svc.letters.preview, fields, view.tahun)
    await pressed_message(update).reply_document(InputFile(pdf, filename=reply("draft_preview_file")),
                                                 caption=reply("draft_preview_caption"))
    return MENU


async def submit_draft(update: Update, context: BotContext, view: TaskView, fields: LetterFields) -> int:
    if problem := context.svc.letters.problem(fields, view.tahun):
        await refuse(update, problem)
        return MENU
    if (result := await attempt(update, context.svc.cycles.act, user_id(update), view.id, ActionKind.SUBMIT_DRAFT,
                                payload=context.svc.letters.payload(fields))) is None:
        return MENU
    context.user_data.get(DRAFTS, {}).pop(view.id, None)
    await query_of(update).answer(reply("draft_sent"))
    await edit_or_ignore(query_of(update), done_text(result.task, context.svc.settings.tz))
    return ConversationHandler.END


async def ask_field(update: Update, context: BotContext, view: TaskView, fields: LetterFields) -> int:
    choice = pressed(update).action
    if choice not in (*FIELDS, "berkas"):
        await refuse(update, reply("draft_unknown_choice"))
        return MENU
    await query_of(update).answer()
    context.user_data[EDITING] = (view, choice)
    current = next((p for p in context.svc.letters.body(fields, view.tahun) if p.bagian == choice), None)
    await pressed_message(update).reply_text(messages.render("draft_ask", field=choice, f=fields, bagian=current,
                                                             max_mb=context.svc.settings.max_upload_mb))
    return BERKAS if choice == "berkas" else FIELD


MENU_ACTIONS: dict[str, Callable[[Update, BotContext, TaskView, LetterFields], Awaitable[int]]] = {
    "pratinjau": send_preview, "kirim": submit_draft}


async def on_text(update: Update, context: BotContext) -> int:
    view, field = context.user_data[EDITING]
    draft, text = context.user_data[DRAFTS][view.id], text_of(update)
    if field == "berkas":
        if text.strip() != "-":
            return await not_a_file(update, context)
        draft.pop("berkas", None)
    else:
        try:
            draft.update(LetterFields.parse_field(field, text, draft))
        except ValueError as exc:
            await reply_refusal(update, str(exc))
            return FIELD
    return await show_menu(update, context, view, LetterFields.from_dict(draft))


async def on_document(update: Update, context: BotContext) -> int:
    view, _ = context.user_data[EDITING]
    if (saved := await take_upload(update, context.svc, "pdf", "lampiran.pdf")) is None:
        return BERKAS
    context.user_data[DRAFTS][view.id]["berkas"] = saved
    return await show_menu(update, context, view, LetterFields.from_dict(context.user_data[DRAFTS][view.id]))


async def not_a_file(update: Update, context: BotContext) -> int:
    await reply_refusal(update, reply("draft_not_a_file"))
    return BERKAS


async def unexpected(update: Update, context: BotContext) -> None:
    await reply_refusal(update, reply("draft_unexpected"))


def build_handler() -> BaseHandler:
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
        fallbacks=[CommandHandler("batal", cancel_form(EDITING, kept=True))],
        name="konsep_surat",
        allow_reentry=True,
    )
