"""/atasnama: Tim SAKIP records, for an OPD with no operator on the bot, the receipt of the letter
(on paper or by e-mail: who received it and when) and the submission (the file it sent by e-mail).
Every decision is the service's (bot.services.reach); the form only collects the answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import markup
from bot.presentation.labels import form_button, reply
from bot.services.reach_behalf import VIA, OnBehalfItem, clean_receiver, parse_received_at
from bot.workflow import DomainError
from conversations.common import call, cancel_form, edit_or_ignore, form, refuse, reply_refusal
from conversations.context import BotContext
from conversations.submission import REPORT_INPUT, attach
from conversations.updates import message_of, pressed, query_of, text_of, user_id

VIA_STATE, NAME, WHEN, FILE = range(4)
FORM = "atas_nama"  # user_data: the task, and the answers so far
KIND = {"rc": "receipt", "sb": "submission"}
MAX_LISTED = 40
#: Refusals of the time typed: the form asks for it again.
WHEN_REFUSED = ("reach.received_in_future", "reach.received_before_distribution")


def keyboard(*rows: list[tuple[str, str, int]]) -> InlineKeyboardMarkup | None:
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ob", a, i)} for t, a, i in row]
                                       for row in rows]})


def file_keys(item: OnBehalfItem) -> InlineKeyboardMarkup | None:
    return keyboard([(form_button("behalf_record"), "kirim", item.task_id), (form_button("cancel"), "batal", item.task_id)])


async def list_items(update: Update, context: BotContext) -> int:
    try:
        items = await call(context.svc.on_behalf.open_items, user_id(update))
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    rows = [[(form_button(f"behalf_{i.kind}", opd=i.opd_nama)[:60], "rc" if i.kind == "receipt" else "sb", i.task_id)]
            for i in items[:MAX_LISTED]]
    await message_of(update).reply_text(messages.render("atas_nama", bagian="daftar", items=items),
                                        reply_markup=keyboard(*rows) if rows else None)
    return ConversationHandler.END


async def choose(update: Update, context: BotContext) -> int:
    data = pressed(update)
    try:
        item = await call(context.svc.on_behalf.check, user_id(update), data.id, KIND[data.action])
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    await query_of(update).answer()
    context.user_data[FORM] = {"item": item, "note": None, "attachment": None}
    return await (ask_via(update, item) if item.kind == "receipt" else ask_file(update, context, item))


async def ask_via(update: Update, item: OnBehalfItem) -> int:
    await message_of(update).reply_text(messages.render("atas_nama", bagian="cara", item=item), reply_markup=keyboard(
        [(form_button("behalf_fisik"), "fisik", item.task_id), (form_button("behalf_surel"), "surel", item.task_id)],
        [(form_button("cancel"), "batal", item.task_id)]))
    return VIA_STATE


async def ask_file(update: Update, context: BotContext, item: OnBehalfItem) -> int:
    await message_of(update).reply_text(messages.render("atas_nama", bagian="berkas", item=item,
                                                        max_mb=context.svc.settings.max_upload_mb),
                                        reply_markup=file_keys(item))
    return FILE


async def not_this_form(update: Update, context: BotContext, state: int) -> int | None:
    """Where a press goes when it is not for the form running now (said to the user); None when it is."""
    current = context.user_data.get(FORM)
    if current is not None and current["item"].task_id == pressed(update).id:
        return None
    await refuse(update, reply("behalf_other_form"))
    return state if current else ConversationHandler.END


async def choose_via(update: Update, context: BotContext) -> int:
    if (back := await not_this_form(update, context, VIA_STATE)) is not None:
        return back
    current, via = context.user_data[FORM], pressed(update).action
    current["via"] = via
    await query_of(update).answer()
    await edit_or_ignore(query_of(update), messages.render("atas_nama", bagian="nama", item=current["item"],
                                                          via=via))
    return NAME


async def receive_name(update: Update, context: BotContext) -> int:
    try:
        nama = clean_receiver(text_of(update))
    except DomainError as exc:
        await reply_refusal(update, str(exc))
        return NAME
    current = context.user_data[FORM]
    current["nama"] = nama
    contoh = context.svc.clock.now().astimezone(context.svc.settings.tz).strftime("%d-%m-%Y %H.%M")
    task_id = current["item"].task_id
    await message_of(update).reply_text(
        messages.render("atas_nama", bagian="waktu", nama=nama, contoh=contoh),
        reply_markup=keyboard([(form_button("now"), "kini", task_id), (form_button("cancel"), "batal", task_id)]))
    return WHEN


async def receive_when(update: Update, context: BotContext) -> int:
    try:
        at = parse_received_at(text_of(update), context.svc.settings.tz)
    except DomainError as exc:
        await reply_refusal(update, str(exc))
        return WHEN
    return await record_receipt(update, context, context.user_data[FORM], at)


async def receive_now(update: Update, context: BotContext) -> int:
    if (back := await not_this_form(update, context, WHEN)) is not None:
        return back
    await query_of(update).answer()
    return await record_receipt(update, context, context.user_data[FORM], None)


async def record_receipt(update: Update, context: BotContext, current: dict[str, Any], at: datetime | None) -> int:
    try:
        view = await call(context.svc.on_behalf.record_receipt, user_id(update), current["item"].task_id,
                          current["via"], current["nama"], at)
    except DomainError as exc:
        await refuse(update, str(exc))
        return WHEN if exc.code in WHEN_REFUSED else end(context)
    await message_of(update).reply_text(messages.render("atas_nama", tz=context.svc.settings.tz, bagian="selesai", task=view))
    return end(context)


async def on_input(update: Update, context: BotContext) -> int:
    current = context.user_data[FORM]
    if await attach(update, context, current):
        await show_report(update, current)
    return FILE


async def show_report(update: Update, current: dict[str, Any]) -> None:
    await message_of(update).reply_text(messages.render("atas_nama", bagian="status", item=current["item"],
                                                        report=current), reply_markup=file_keys(current["item"]))


async def submit(update: Update, context: BotContext) -> int:
    if (back := await not_this_form(update, context, FILE)) is not None:
        return back
    current = context.user_data[FORM]
    try:
        view = await call(context.svc.on_behalf.record_submission, user_id(update), current["item"].task_id,
                          current["attachment"], current["note"])
    except DomainError as exc:
        await refuse(update, str(exc))
        return FILE if current["attachment"] is None else end(context)
    await query_of(update).answer(reply("behalf_recorded"))
    await edit_or_ignore(query_of(update), messages.render("atas_nama", tz=context.svc.settings.tz, bagian="selesai", task=view))
    return end(context)


def end(context: BotContext) -> int:
    context.user_data.pop(FORM, None)
    return ConversationHandler.END


async def refuse_unsupported(update: Update, context: BotContext) -> None:
    await reply_refusal(update, reply("behalf_unsupported"))


def build_handler() -> BaseHandler:
    unsupported = MessageHandler(~filters.COMMAND, refuse_unsupported)
    text = filters.TEXT & ~filters.COMMAND
    batal = CallbackQueryHandler(cancel_form(FORM, press="reply"), pattern=callbacks.pattern("ob", "batal"))
    return form(
        entry_points=[CommandHandler("atasnama", list_items),
                      CallbackQueryHandler(choose, pattern=callbacks.pattern("ob", *KIND))],
        states={
            VIA_STATE: [CallbackQueryHandler(choose_via, pattern=callbacks.pattern("ob", *VIA)), batal, unsupported],
            NAME: [MessageHandler(text, receive_name), batal, unsupported],
            WHEN: [MessageHandler(text, receive_when),
                   CallbackQueryHandler(receive_now, pattern=callbacks.pattern("ob", "kini")), batal, unsupported],
            FILE: [MessageHandler(REPORT_INPUT, on_input),
                   CallbackQueryHandler(submit, pattern=callbacks.pattern("ob", "kirim")), batal, unsupported],
        },
        fallbacks=[CommandHandler("batal", cancel_form(FORM, press="reply"))],
        name="atas_nama",
        allow_reentry=True,
    )
