"""Reassigning a task from the Kabag's /tugas: choose the task, the person, type the reason.
Every step asks the service again (a forged or stale button is refused with its reason)."""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.services.reassign import REASSIGNERS
from bot.workflow import DomainError
from conversations.common import call, edit_or_ignore, form, note_problem, refuse
from scheduler.dispatch import markup

PERSON, REASON = range(2)
FORM = "reassign_form"


def _keyboard(rows: list[tuple[str, str, int]]):  # type: ignore[no-untyped-def]
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ra", a, i)}]
                                       for t, a, i in rows]})


async def offer(update: Update, svc: Services) -> None:
    """After /tugas of the Kabag or an administrator: the open tasks they may hand over."""
    peran = svc.directory.known_peran(update.effective_user.id)  # the guard just looked (no query)
    if peran is None:
        user = await call(svc.directory.find_user, update.effective_user.id)
        peran = user.peran if user is not None else None
    if peran not in REASSIGNERS:
        return
    try:  # the service checks the user again: a role changed meanwhile elsewhere is refused there
        tasks = await call(svc.reassign.reassignable, update.effective_user.id)
    except DomainError:
        return
    if tasks:
        await update.effective_message.reply_text(
            messages.render("acting/reassign_offer", tasks=tasks),
            reply_markup=_keyboard([(f"Alihkan: Langkah {t.step}" + (f" ({t.opd_nama})" if t.opd_nama else ""),
                                     "pick", t.task_id) for t in tasks]))


def build_handler(svc: Services) -> BaseHandler:
    async def pick_task(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        task_id = callbacks.decode(update.callback_query.data).id
        try:
            people = await call(svc.reassign.candidates, update.effective_user.id, task_id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        await update.callback_query.answer()
        context.user_data[FORM] = {"task_id": task_id}
        await update.effective_message.reply_text(messages.render("acting/reassign_person", task_id=task_id),
                                                  reply_markup=_keyboard([(n, "to", t) for t, n in people]))
        return PERSON

    async def pick_person(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        fields = context.user_data.get(FORM)
        tid = callbacks.decode(update.callback_query.data).id
        try:
            people = dict(await call(svc.reassign.candidates, update.effective_user.id,
                                     fields["task_id"] if fields else 0))
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        if tid not in people:
            await refuse(update, "Orang ini tidak dapat menerima tugas tersebut. Ketik /tugas untuk memulai lagi.")
            return ConversationHandler.END
        fields.update(telegram_id=tid, nama=people[tid])
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, messages.render("acting/reassign_reason", nama=people[tid]))
        await update.effective_message.reply_text("Alasan pengalihan:", reply_markup=ForceReply(selective=True))
        return REASON

    async def receive_reason(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        problem = note_problem(update.effective_message.text)
        if problem:
            await update.effective_message.reply_text(messages.render("refusal", text=problem))
            return REASON
        fields = context.user_data.pop(FORM)
        try:
            result = await call(svc.reassign.reassign, update.effective_user.id, fields["task_id"],
                                fields["telegram_id"], update.effective_message.text)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        await update.effective_message.reply_text(messages.render("acting/reassign_done", result=result))
        return ConversationHandler.END

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(FORM, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    return form(
        entry_points=[CallbackQueryHandler(pick_task, pattern=callbacks.pattern("ra", "pick"))],
        states={PERSON: [CallbackQueryHandler(pick_person, pattern=callbacks.pattern("ra", "to"))],
                REASON: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_reason)]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="alihkan",
        allow_reentry=True,
    )

