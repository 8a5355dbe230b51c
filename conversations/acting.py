"""/plh: the Sekda or an administrator appoints a Plh./Plt. (role, person, dates, dasar, confirm).
The fields are a cursor in the conversation; the service checks everything again at the end."""

from __future__ import annotations

from telegram import Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.formatting import parse_tanggal
from bot.services.acting import ACTABLE
from bot.services.container import Services
from bot.workflow import DomainError
from conversations.common import call, edit_or_ignore, form, refuse
from scheduler.dispatch import markup

ROLE, PERSON, DATES, DASAR, CONFIRM = range(5)
FORM = "plh_form"


def _keyboard(rows: list[list[tuple[str, str, int]]]):  # type: ignore[no-untyped-def]
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ph", a, i)}
                                        for t, a, i in row] for row in rows]})


def parse_period(text: str):  # type: ignore[no-untyped-def]
    """'7-12-2026 s.d. 11-12-2026' -> (mulai, sampai); one date -> (None, sampai)."""
    parts = [p for p in text.replace("s/d", "s.d.").replace(" sampai ", " s.d. ").split("s.d.") if p.strip()]
    if len(parts) not in (1, 2):
        raise ValueError("tulis misalnya 7-12-2026 s.d. 11-12-2026")
    dates = [parse_tanggal(p) for p in parts]
    return (None, dates[0]) if len(dates) == 1 else (dates[0], dates[1])


def build_handler(svc: Services) -> BaseHandler:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            await call(svc.acting.require_appointer, update.effective_user.id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        orders = await call(svc.acting.list_orders)
        context.user_data[FORM] = {}
        await update.effective_message.reply_text(
            messages.render("acting/plh_start", orders=orders),
            reply_markup=_keyboard([[(p.label, "role", i)] for i, p in enumerate(ACTABLE)]))
        return ROLE

    async def choose_role(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        index = callbacks.decode(update.callback_query.data).id
        if index >= len(ACTABLE) or FORM not in context.user_data:
            await refuse(update, "Pilihan jabatan tidak dikenal. Ketik /plh untuk memulai lagi.")
            return ConversationHandler.END
        role = ACTABLE[index]
        people = await call(svc.acting.candidates, update.effective_user.id, role.value)
        await update.callback_query.answer()
        if not people:
            await edit_or_ignore(update.callback_query, messages.render("acting/plh_nobody", role=role.label))
            return ConversationHandler.END
        context.user_data[FORM] = {"peran": role.value, "label": role.label}
        await edit_or_ignore(update.callback_query, messages.render("acting/plh_person", role=role.label),
                             _keyboard([[(f"{nama} ({peran})", "to", tid)] for tid, nama, peran in people]))
        return PERSON

    async def choose_person(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        fields = context.user_data.get(FORM) or {}
        tid = callbacks.decode(update.callback_query.data).id
        people = {t: nama for t, nama, _ in await call(svc.acting.candidates, update.effective_user.id,
                                                       fields.get("peran", ""))}
        if "peran" not in fields or tid not in people:
            await refuse(update, "Pilihan ini sudah tidak berlaku. Ketik /plh untuk memulai lagi.")
            return ConversationHandler.END
        fields.update(telegram_id=tid, nama=people[tid])
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, messages.render("acting/plh_dates", fields=fields))
        return DATES

    async def receive_dates(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        try:
            mulai, sampai = parse_period(update.effective_message.text)
        except ValueError as exc:
            await update.effective_message.reply_text(messages.render("refusal", text=f"Tanggal tidak dikenali: {exc}."))
            return DATES
        context.user_data[FORM].update(mulai=mulai, sampai=sampai)
        await update.effective_message.reply_text(messages.render("acting/plh_dasar"),
                                                  reply_markup=_keyboard([[("Lewati", "skip", 0)]]))
        return DASAR

    async def receive_dasar(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        fields = context.user_data[FORM]
        if update.callback_query is not None:
            await update.callback_query.answer()
            fields["dasar"] = None
        else:
            fields["dasar"] = update.effective_message.text
        await update.effective_message.reply_text(
            messages.render("acting/plh_confirm", fields=fields),
            reply_markup=_keyboard([[("Tetapkan sebagai Plh.", "plh", 0), ("Tetapkan sebagai Plt.", "plt", 0)],
                                    [("Batal", "no", 0)]]))
        return CONFIRM

    async def confirm(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        fields = context.user_data.pop(FORM, None)
        if not fields or "sampai" not in fields:
            await refuse(update, "Isian ini sudah tidak berlaku. Ketik /plh untuk memulai lagi.")
            return ConversationHandler.END
        try:
            info = await call(svc.acting.add, fields["peran"], fields["telegram_id"], fields["sampai"],
                              fields["mulai"], callbacks.decode(query.data).action, fields["dasar"],
                              by_telegram_id=update.effective_user.id)
        except DomainError as exc:
            await refuse(update, str(exc))
            await edit_or_ignore(query, messages.render("refusal", text=f"{exc} Ketik /plh untuk mengulang."))
            return ConversationHandler.END
        await query.answer("Tercatat.")
        await edit_or_ignore(query, messages.render("acting/plh_done", info=info))
        return ConversationHandler.END

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(FORM, None)
        if update.callback_query is not None:
            await update.callback_query.answer("Dibatalkan.")
            await edit_or_ignore(update.callback_query, messages.render("cancelled", kept=False))
        else:
            await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    text = filters.TEXT & ~filters.COMMAND
    return form(
        entry_points=[CommandHandler("plh", start)],
        states={ROLE: [CallbackQueryHandler(choose_role, pattern=callbacks.pattern("ph", "role"))],
                PERSON: [CallbackQueryHandler(choose_person, pattern=callbacks.pattern("ph", "to"))],
                DATES: [MessageHandler(text, receive_dates)],
                DASAR: [MessageHandler(text, receive_dasar),
                        CallbackQueryHandler(receive_dasar, pattern=callbacks.pattern("ph", "skip"))],
                CONFIRM: [CallbackQueryHandler(confirm, pattern=callbacks.pattern("ph", "plh", "plt")),
                          CallbackQueryHandler(cancel, pattern=callbacks.pattern("ph", "no"))]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="plh",
        allow_reentry=True,
    )
