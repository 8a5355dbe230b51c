"""/teguran [KODE] [HARI]: the Surat Teguran to a late Perangkat Daerah (issue 13 item 8).

Tim SAKIP drafts (a konsep PDF with «Ajukan kepada Kabag»), the Kabag approves or returns with a
note, the Sekda signs; bot/services/teguran.py holds the rules and sends the letter on."""

from __future__ import annotations

from telegram import ForceReply, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.roles import Peran
from bot.services.teguran import Drafted, keyboard
from bot.services.errors import InvalidInput
from bot.services.teguran_surat import TeguranView
from bot.telegram_errors import ApiErrorKind, classify
from bot.workflow import DomainError
from conversations.common import call, cancel_form, edit_or_ignore, form, note_problem, refuse
from conversations.context import BotContext
from scheduler.dispatch import markup

NOTE = 0
BUTTONS = 10  # the late OPDs with a button under the list (the others: /teguran KODE)
PENDING = "pending_teguran"
#: The presses that act at once: (service method, the teguran_selesai step it reports).
ACTS = {"kirim": ("submit", "diajukan"), "batal": ("cancel", "dibatalkan"), "setuju": ("approve", "disetujui"),
        "ya": ("sign", "ditandatangani")}


async def teguran(update: Update, context: BotContext) -> None:
    args = list(context.args or [])
    hari = int(args[1]) if len(args) > 1 and args[1].isascii() and args[1].isdigit() else None
    if len(args) > 1 and hari is None:
        return await refuse(update, str(InvalidInput("teguran.hari", kode=args[0][:40])))
    try:
        if args:
            return await send_konsep(update, await call(context.svc.teguran.draft, update.effective_user.id,
                                                        kode=args[0], hari=hari))
        await send_list(update, context)
    except DomainError as exc:
        await refuse(update, str(exc))


async def send_list(update: Update, context: BotContext) -> None:
    batas, items = await call(context.svc.teguran.late_opds, update.effective_user.id)
    rows = [[{"text": o.nama[:60], "callback_data": callbacks.encode("tg", "new", o.cycle_opd_id)}]
            for o in [o for o in items if not o.internal][:BUTTONS]]
    parts = messages.split(messages.render("teguran_daftar", items=items, batas=batas, tombol=len(rows)))
    for part in parts[:-1]:
        await update.effective_message.reply_text(part)
    await update.effective_message.reply_text(parts[-1], reply_markup=markup({"inline_keyboard": rows}))


async def send_konsep(update: Update, drafted: Drafted) -> None:
    buttons = keyboard(("submit", "kirim", drafted.view.id), ("cancel", "batal", drafted.view.id))
    await update.effective_message.reply_document(
        InputFile(drafted.pdf, filename=drafted.filename), caption=messages.render("teguran_konsep", v=drafted.view),
        reply_markup=markup({"inline_keyboard": buttons}))


async def open_konsep(update: Update, context: BotContext) -> None:
    """«Susun surat teguran» on a late OPD (new), «Susun ulang» on a returned one (ulang), or the
    list of late OPDs from the digest (daftar)."""
    query, data = update.callback_query, callbacks.decode(update.callback_query.data)
    svc, who = context.svc.teguran, update.effective_user.id
    try:
        if data.action == "daftar":
            await query.answer()
            return await send_list(update, context)
        drafted = await call(svc.draft, who, cycle_opd_id=data.id) if data.action == "new" else \
            await call(svc.redraft, who, data.id)
    except DomainError as exc:
        return await refuse(update, str(exc))
    await query.answer()
    await send_konsep(update, drafted)


async def act(update: Update, context: BotContext) -> None:
    """A press that moves the teguran on at once (ajukan, batal, setuju, ya); the message then says so."""
    query, data = update.callback_query, callbacks.decode(update.callback_query.data)
    method, langkah = ACTS[data.action]
    try:
        view = await call(getattr(context.svc.teguran, method), update.effective_user.id, data.id)
    except DomainError as exc:
        return await refuse(update, str(exc))
    await query.answer()
    await edit_or_ignore(query, done(langkah, view, context))


async def ask_sign(update: Update, context: BotContext) -> None:
    """«Tandatangani» asks once more; «Batal» (tidak) puts the button back."""
    query, data = update.callback_query, callbacks.decode(update.callback_query.data)
    try:
        view = await call(context.svc.teguran.require, update.effective_user.id, data.id, Peran.SEKDA, "disetujui")
    except DomainError as exc:
        return await refuse(update, str(exc))
    await query.answer()
    rows = (keyboard(("confirm_sign", "ya", view.id), ("cancel", "tidak", view.id)) if data.action == "ttd"
            else keyboard(("sign", "ttd", view.id)))
    await query.edit_message_reply_markup(markup({"inline_keyboard": rows}))


async def ask_note(update: Update, context: BotContext) -> int:
    query, data = update.callback_query, callbacks.decode(update.callback_query.data)
    try:
        view = await call(context.svc.teguran.require, update.effective_user.id, data.id, Peran.KABAG, "diajukan")
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    await query.answer()
    context.user_data[PENDING] = {"id": view.id, "chat_id": query.message.chat_id,
                                  "message_id": query.message.message_id}
    await query.message.reply_text(messages.render("teguran_catatan", v=view), reply_markup=ForceReply(selective=True))
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    message = update.effective_message
    if problem := note_problem(message.text):
        await refuse(update, problem)
        return NOTE
    pending = context.user_data.pop(PENDING)
    try:
        view = await call(context.svc.teguran.return_, update.effective_user.id, pending["id"], message.text)
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    text = done("dikembalikan", view, context)
    if not await edit_caption(context, pending, text):
        await message.reply_text(text)
    return ConversationHandler.END


async def edit_caption(context: BotContext, pending: dict, text: str) -> bool:
    """The konsep the Kabag answered is a document: its caption says what happened."""
    try:
        await context.bot.edit_message_caption(chat_id=pending["chat_id"], message_id=pending["message_id"],
                                               caption=text, reply_markup=None)
    except BadRequest as exc:
        if classify(exc) is ApiErrorKind.MESSAGE_GONE:
            return False
        if classify(exc) is not ApiErrorKind.NOT_MODIFIED:
            raise
    return True


def done(langkah: str, view: TeguranView, context: BotContext) -> str:
    return messages.render("teguran_selesai", langkah=langkah, v=view, at=context.svc.clock.now())


def build_handlers() -> list[BaseHandler]:
    note_form = form(
        entry_points=[CallbackQueryHandler(ask_note, pattern=callbacks.pattern("tg", "kembali"))],
        states={NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_note)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))], name="teguran_catatan", allow_reentry=True)
    return [CommandHandler("teguran", teguran), note_form,
            CallbackQueryHandler(ask_sign, pattern=callbacks.pattern("tg", "ttd", "tidak")),
            CallbackQueryHandler(open_konsep, pattern=callbacks.pattern("tg", "new", "ulang", "daftar")),
            CallbackQueryHandler(act, pattern=callbacks.pattern("tg", *ACTS))]
