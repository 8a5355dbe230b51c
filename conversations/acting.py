"""/plh: the Sekda or an administrator appoints a Plh./Plt. (role, person, dates, dasar, confirm).
The fields are a cursor in the conversation; the service checks everything again at the end."""

from __future__ import annotations

from datetime import date

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.formatting import parse_tanggal
from bot.presentation.keyboards import markup
from bot.presentation.labels import form_button, reply
from bot.services.acting import ACTABLE
from bot.workflow import DomainError
from conversations.common import call, cancel_form, edit_or_ignore, form, refuse, reply_refusal
from conversations.context import BotContext
from conversations.updates import message_of, pressed, query_of, text_of, user_id

ROLE, PERSON, DATES, DASAR, CONFIRM = range(5)
FORM = "plh_form"


def _keyboard(rows: list[list[tuple[str, str, int]]]) -> InlineKeyboardMarkup | None:
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ph", a, i)}
                                        for t, a, i in row] for row in rows]})


def parse_period(text: str) -> tuple[date | None, date]:
    """'7-12-2026 s.d. 11-12-2026' -> (mulai, sampai); one date -> (None, sampai)."""
    parts = [p for p in text.replace("s/d", "s.d.").replace(" sampai ", " s.d. ").split("s.d.") if p.strip()]
    if len(parts) not in (1, 2):
        raise ValueError(reply("plh_dates_example"))
    dates = [parse_tanggal(p) for p in parts]
    return (None, dates[0]) if len(dates) == 1 else (dates[0], dates[1])


async def start(update: Update, context: BotContext) -> int:
    try:
        await call(context.svc.acting.require_appointer, user_id(update))
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    orders = await call(context.svc.acting.list_orders)
    context.user_data[FORM] = {}
    await message_of(update).reply_text(messages.render("acting/plh_start", orders=orders),
                                        reply_markup=_keyboard([[(p.label, "role", i)] for i, p in enumerate(ACTABLE)]))
    return ROLE


async def choose_role(update: Update, context: BotContext) -> int:
    index = pressed(update).id
    if index >= len(ACTABLE) or FORM not in context.user_data:
        await refuse(update, reply("plh_role_unknown"))
        return ConversationHandler.END
    role = ACTABLE[index]
    people = await call(context.svc.acting.candidates, user_id(update), role.value)
    await query_of(update).answer()
    if not people:
        await edit_or_ignore(query_of(update), messages.render("acting/plh_nobody", role=role.label))
        return ConversationHandler.END
    context.user_data[FORM] = {"peran": role.value, "label": role.label}
    await edit_or_ignore(query_of(update), messages.render("acting/plh_person", role=role.label),
                         _keyboard([[(f"{nama} ({peran})", "to", tid)] for tid, nama, peran in people]))
    return PERSON


async def choose_person(update: Update, context: BotContext) -> int:
    fields, tid = context.user_data.get(FORM) or {}, pressed(update).id
    people = {t: nama for t, nama, _ in await call(context.svc.acting.candidates, user_id(update),
                                                   fields.get("peran", ""))}
    if "peran" not in fields or tid not in people:
        await refuse(update, reply("plh_stale"))
        return ConversationHandler.END
    fields.update(telegram_id=tid, nama=people[tid])
    await query_of(update).answer()
    await edit_or_ignore(query_of(update), messages.render("acting/plh_dates", fields=fields))
    return DATES


async def receive_dates(update: Update, context: BotContext) -> int:
    try:
        mulai, sampai = parse_period(text_of(update))
    except ValueError as exc:
        await reply_refusal(update, reply("plh_dates_unknown", reason=exc))
        return DATES
    context.user_data[FORM].update(mulai=mulai, sampai=sampai)
    await message_of(update).reply_text(messages.render("acting/plh_dasar"),
                                        reply_markup=_keyboard([[(form_button("skip"), "skip", 0)]]))
    return DASAR


async def receive_dasar(update: Update, context: BotContext) -> int:
    fields = context.user_data[FORM]
    if update.callback_query is not None:
        await update.callback_query.answer()
    fields["dasar"] = None if update.callback_query is not None else text_of(update)
    await message_of(update).reply_text(messages.render("acting/plh_confirm", fields=fields), reply_markup=_keyboard(
        [[(form_button("appoint_plh"), "plh", 0), (form_button("appoint_plt"), "plt", 0)],
         [(form_button("cancel"), "no", 0)]]))
    return CONFIRM


async def confirm(update: Update, context: BotContext) -> int:
    fields, query = context.user_data.pop(FORM, None), query_of(update)
    if not fields or "sampai" not in fields:
        await refuse(update, reply("plh_form_stale"))
        return ConversationHandler.END
    try:
        info = await call(context.svc.acting.add, fields["peran"], fields["telegram_id"], fields["sampai"],
                          fields["mulai"], pressed(update).action, fields["dasar"], by_telegram_id=user_id(update))
    except DomainError as exc:
        await refuse(update, str(exc))
        await edit_or_ignore(query, messages.render("refusal", text=reply("plh_again", reason=exc)))
        return ConversationHandler.END
    await query.answer(reply("recorded"))
    await edit_or_ignore(query, messages.render("acting/plh_done", info=info))
    return ConversationHandler.END


def build_handler() -> BaseHandler:
    text = filters.TEXT & ~filters.COMMAND
    return form(
        entry_points=[CommandHandler("plh", start)],
        states={ROLE: [CallbackQueryHandler(choose_role, pattern=callbacks.pattern("ph", "role"))],
                PERSON: [CallbackQueryHandler(choose_person, pattern=callbacks.pattern("ph", "to"))],
                DATES: [MessageHandler(text, receive_dates)],
                DASAR: [MessageHandler(text, receive_dasar),
                        CallbackQueryHandler(receive_dasar, pattern=callbacks.pattern("ph", "skip"))],
                CONFIRM: [CallbackQueryHandler(confirm, pattern=callbacks.pattern("ph", "plh", "plt")),
                          CallbackQueryHandler(cancel_form(FORM), pattern=callbacks.pattern("ph", "no"))]},
        fallbacks=[CommandHandler("batal", cancel_form(FORM))],
        name="plh",
        allow_reentry=True,
    )
