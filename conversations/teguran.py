"""/teguran [KODE] [HARI]: the Surat Teguran to a late Perangkat Daerah (issue 13 item 8).

Tim SAKIP drafts (a konsep PDF with «Ajukan kepada Kabag»), the Kabag approves or returns with a
note, the Sekda signs; bot/services/teguran.py holds the rules and sends the letter on."""

from __future__ import annotations

from telegram import ForceReply, InputFile, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import markup
from bot.presentation.labels import reply
from bot.roles import Peran
from bot.services.errors import InvalidInput
from bot.services.teguran import Drafted, keyboard
from bot.services.teguran_surat import TeguranView
from bot.telegram_errors import ApiErrorKind, classify
from conversations.common import attempt, cancel_form, edit_or_ignore, form, refuse, typed_note
from conversations.context import BotContext
from conversations.updates import message_of, pressed, pressed_message, query_of, user_id

NOTE = 0
PENDING = "pending_teguran"
BUTTONS = 10  # the late OPDs with a button under the list (the others: /teguran KODE)
#: The presses that act at once: (service method, the teguran_selesai step it reports).
ACTS = {"kirim": ("submit", "diajukan"), "batal": ("cancel", "dibatalkan"), "setuju": ("approve", "disetujui"),
        "ya": ("sign", "ditandatangani")}


async def teguran(update: Update, context: BotContext) -> None:
    """/teguran: the list of late OPDs; /teguran KODE [HARI]: the konsep for one of them."""
    args = list(context.args or [])
    hari = int(args[1]) if len(args) > 1 and args[1].isascii() and args[1].isdigit() else None
    if len(args) > 1 and hari is None:
        return await refuse(update, str(InvalidInput("teguran.hari", kode=args[0][:40])))
    if not args:
        return await send_list(update, context)
    if drafted := await attempt(update, context.svc.teguran.draft, user_id(update), kode=args[0], hari=hari):
        await send_konsep(update, context, drafted)


async def send_list(update: Update, context: BotContext) -> None:
    if (found := await attempt(update, context.svc.teguran.late_opds, user_id(update))) is None:
        return
    batas, items = found
    rows = [[{"text": o.nama[:60], "callback_data": callbacks.encode("tg", "new", o.cycle_opd_id)}]
            for o in [o for o in items if not o.internal][:BUTTONS]]
    parts = messages.split(messages.render("teguran_daftar", tz=context.svc.settings.tz, items=items, batas=batas, tombol=len(rows)))
    for part in parts[:-1]:
        await message_of(update).reply_text(part)
    await message_of(update).reply_text(parts[-1], reply_markup=markup({"inline_keyboard": rows}))


async def send_konsep(update: Update, context: BotContext, drafted: Drafted) -> None:
    buttons = keyboard(("submit", "kirim", drafted.view.id), ("cancel", "batal", drafted.view.id))
    await message_of(update).reply_document(
        InputFile(drafted.pdf, filename=drafted.filename), caption=messages.render("teguran_konsep", tz=context.svc.settings.tz, v=drafted.view),
        reply_markup=markup({"inline_keyboard": buttons}))


async def open_konsep(update: Update, context: BotContext) -> None:
    """«Susun surat teguran» on a late OPD (new), «Susun ulang» on a returned one (ulang), or the
    list of late OPDs from the digest (daftar)."""
    data, svc = pressed(update), context.svc.teguran
    if data.action == "daftar":
        await query_of(update).answer()
        return await send_list(update, context)
    drafted = await (attempt(update, svc.draft, user_id(update), cycle_opd_id=data.id) if data.action == "new"
                     else attempt(update, svc.redraft, user_id(update), data.id))
    if drafted is not None:
        await query_of(update).answer()
        await send_konsep(update, context, drafted)


async def act(update: Update, context: BotContext) -> None:
    """A press that moves the teguran on at once (ajukan, batal, setuju, ya); the message then says so."""
    data = pressed(update)
    method, langkah = ACTS[data.action]
    if (view := await attempt(update, getattr(context.svc.teguran, method), user_id(update), data.id)) is None:
        return
    await query_of(update).answer()
    await edit_or_ignore(query_of(update), done(langkah, view, context))


async def ask_sign(update: Update, context: BotContext) -> None:
    """«Tandatangani» asks once more; «Batal» (tidak) puts the button back."""
    data = pressed(update)
    view = await attempt(update, context.svc.teguran.require, user_id(update), data.id, Peran.SEKDA, "disetujui")
    if view is None:
        return
    await query_of(update).answer()
    rows = (keyboard(("confirm_sign", "ya", view.id), ("cancel", "tidak", view.id)) if data.action == "ttd"
            else keyboard(("sign", "ttd", view.id)))
    await query_of(update).edit_message_reply_markup(markup({"inline_keyboard": rows}))


async def ask_note(update: Update, context: BotContext) -> int:
    data, message = pressed(update), pressed_message(update)
    view = await attempt(update, context.svc.teguran.require, user_id(update), data.id, Peran.KABAG, "diajukan")
    if view is None:
        return ConversationHandler.END
    await query_of(update).answer()
    context.user_data[PENDING] = {"id": view.id, "chat_id": message.chat_id, "message_id": message.message_id}
    await message.reply_text(messages.render("teguran_catatan", tz=context.svc.settings.tz, v=view), reply_markup=ForceReply(selective=True))
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    if (note := await typed_note(update)) is None:
        return NOTE
    pending = context.user_data.pop(PENDING)
    if (view := await attempt(update, context.svc.teguran.return_, user_id(update), pending["id"], note)) is None:
        return ConversationHandler.END
    text = done("dikembalikan", view, context)
    if not await edit_caption(context, pending, text):
        await message_of(update).reply_text(text)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await message_of(update).reply_text(messages.render("refusal", text=reply("note_not_text")))
    return NOTE


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
    return messages.render("teguran_selesai", tz=context.svc.settings.tz, langkah=langkah, v=view, at=context.svc.clock.now())


def build_handlers() -> list[BaseHandler]:
    note_form = form(
        entry_points=[CallbackQueryHandler(ask_note, pattern=callbacks.pattern("tg", "kembali"))],
        states={NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_note),
                       MessageHandler(~filters.COMMAND, not_text)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))], name="teguran_catatan", allow_reentry=True)
    return [CommandHandler("teguran", teguran), note_form,
            CallbackQueryHandler(ask_sign, pattern=callbacks.pattern("tg", "ttd", "tidak")),
            CallbackQueryHandler(open_konsep, pattern=callbacks.pattern("tg", "new", "ulang", "daftar")),
            CallbackQueryHandler(act, pattern=callbacks.pattern("tg", *ACTS))]
