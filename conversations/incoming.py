"""/mulai, optional second part: the Sekda (or an admin) registers the incoming letter the cycle
answers (nomor, tanggal, pengirim, pindaian) for the lembar disposisi; «Lewati» goes without."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import button, markup
from bot.presentation.labels import form_button, reply
from bot.services.incoming import clean_nomor, clean_pengirim, parse_tanggal_surat
from bot.workflow import DomainError
from conversations.common import call, cancel_form, edit_or_ignore, form, refuse, reply_refusal, take_upload
from conversations.context import BotContext
from conversations.updates import chat_id, message_of, pressed, pressed_message, query_of, text_of, user_id

NS = "sm"
NOMOR, TANGGAL, PENGIRIM, PINDAIAN = range(4)
PENDING = "surat_masuk"
SCAN_NAME = "Pindaian_Surat_Masuk.jpg"  # a photo has no file name


def offer_markup(cycle_id: int) -> InlineKeyboardMarkup | None:
    """The buttons under "Siklus ... dimulai"."""
    return markup({"inline_keyboard": [[button(form_button("incoming_attach"), "add", cycle_id, ns=NS),
                                        button(form_button("skip"), "skip", cycle_id, ns=NS)]]})


async def ask(update: Update, context: BotContext, what: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    await message_of(update).reply_text(
        messages.render("incoming_ask", what=what, max_mb=context.svc.settings.max_upload_mb),
        reply_markup=reply_markup)


async def open_form(update: Update, context: BotContext) -> int:
    cycle_id = pressed(update).id
    if not _shows_button(update):
        await refuse(update, reply("incoming_not_ours"))
        return ConversationHandler.END
    try:
        await call(context.svc.incoming.check, user_id(update), cycle_id)
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    await query_of(update).answer()
    message = pressed_message(update)
    context.user_data[PENDING] = {"cycle_id": cycle_id, "message_id": message.message_id,
                                  "offer_text": message.text_html or ""}
    await ask(update, context, "nomor")
    return NOMOR


async def _take(update: Update, context: BotContext, field: str, parse: Callable[[str], Any]) -> bool:
    """Keep the typed `field` (cleaned by `parse`), or say why it cannot be taken."""
    try:
        context.user_data[PENDING][field] = parse(text_of(update))
    except DomainError as exc:
        await reply_refusal(update, str(exc))
        return False
    return True


async def on_nomor(update: Update, context: BotContext) -> int:
    if not await _take(update, context, "nomor", clean_nomor):
        return NOMOR
    await ask(update, context, "tanggal")
    return TANGGAL


async def on_tanggal(update: Update, context: BotContext) -> int:
    today = context.svc.incoming.today()
    if not await _take(update, context, "tanggal", lambda text: parse_tanggal_surat(text, today)):
        return TANGGAL
    await ask(update, context, "pengirim")
    return PENGIRIM


async def on_pengirim(update: Update, context: BotContext) -> int:
    if not await _take(update, context, "pengirim", clean_pengirim):
        return PENGIRIM
    await ask(update, context, "pindaian", markup({"inline_keyboard": [
        [button(form_button("incoming_no_scan"), "noscan", context.user_data[PENDING]["cycle_id"], ns=NS)]]}))
    return PINDAIAN


async def on_scan(update: Update, context: BotContext) -> int:
    scan = await take_upload(update, context.svc, "scan", "pindaian", SCAN_NAME, hint=reply("incoming_scan_hint"))
    return PINDAIAN if scan is None else await finish(update, context, scan)


async def no_scan(update: Update, context: BotContext) -> int:
    query = query_of(update)
    await query.answer()
    noted = messages.render("incoming_noted", what="tanpa_pindaian")
    await edit_or_ignore(query, f"{pressed_message(update).text_html}\n\n{noted}")
    return await finish(update, context, None)


async def finish(update: Update, context: BotContext, scan: dict[str, Any] | None) -> int:
    pending = context.user_data.pop(PENDING)
    try:
        letter = await call(context.svc.incoming.record, user_id(update), pending["cycle_id"],
                            pending["nomor"], pending["tanggal"], pending["pengirim"], scan)
    except DomainError as exc:
        await reply_refusal(update, str(exc))
        return ConversationHandler.END
    await message_of(update).reply_text(messages.render("incoming_saved", letter=letter))
    await close_offer(update, context, pending, messages.render("incoming_noted", what="tersimpan", letter=letter))
    return ConversationHandler.END


async def close_offer(update: Update, context: BotContext, pending: dict[str, Any], noted: str) -> None:
    """The offer under "Siklus ... dimulai" has been answered: its buttons go, `noted` is added."""
    try:
        await context.bot.edit_message_text(f"{_without_offer(pending['offer_text'])}\n\n{noted}",
                                            chat_id=chat_id(update), message_id=pending["message_id"],
                                            reply_markup=None)
    except BadRequest:
        pass  # deleted or too old to edit: the answer above says it all


async def unexpected(update: Update, context: BotContext) -> None:
    await reply_refusal(update, reply("incoming_unexpected"))


async def skip(update: Update, context: BotContext) -> None:
    if not _shows_button(update):  # the offer's own message only, never another one
        await refuse(update, reply("incoming_not_ours"))
        return
    await query_of(update).answer()
    kept = _without_offer(pressed_message(update).text_html or "")
    await edit_or_ignore(query_of(update), f"{kept}\n\n{messages.render('incoming_noted', what='dilewati')}")


async def closed_form(update: Update, context: BotContext) -> None:
    await refuse(update, reply("incoming_form_closed"))


def build_handlers() -> list[BaseHandler]:
    text = filters.TEXT & ~filters.COMMAND
    other = MessageHandler(~filters.COMMAND, unexpected)
    return [
        form(
            entry_points=[CallbackQueryHandler(open_form, pattern=callbacks.pattern(NS, "add"))],
            states={
                NOMOR: [MessageHandler(text, on_nomor), other],
                TANGGAL: [MessageHandler(text, on_tanggal), other],
                PENGIRIM: [MessageHandler(text, on_pengirim), other],
                PINDAIAN: [MessageHandler(filters.Document.ALL | filters.PHOTO, on_scan),
                           CallbackQueryHandler(no_scan, pattern=callbacks.pattern(NS, "noscan")), other],
            },
            fallbacks=[CommandHandler("batal", cancel_form(PENDING))],
            name="surat_masuk",
            allow_reentry=True,
        ),
        CallbackQueryHandler(skip, pattern=callbacks.pattern(NS, "skip")),
        CallbackQueryHandler(closed_form, pattern=callbacks.pattern(NS, "noscan")),
    ]


def _shows_button(update: Update) -> bool:
    """Whether the pressed message really shows this button (a forged press on another message
    must not edit that message)."""
    query = query_of(update)
    shown = getattr(query.message, "reply_markup", None)
    keyboard = shown.inline_keyboard if shown is not None else ()
    return any(b.callback_data == query.data for row in keyboard for b in row)


def _without_offer(text_html: str) -> str:
    """The "Siklus ... dimulai" message without its last paragraph (the offer to attach)."""
    return text_html.rsplit("\n\n", 1)[0] if "\n\n" in text_html else text_html
