"""Reassigning a task from the Kabag's /tugas: choose the task, the person, type the reason.
Every step asks the service again (a forged or stale button is refused with its reason)."""

from __future__ import annotations

from telegram import ForceReply, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import callbacks, messages
from bot.presentation.keyboards import markup
from bot.presentation.labels import form_button, reply
from bot.services.container import Services
from bot.services.reassign import REASSIGNERS
from bot.workflow import DomainError
from conversations.common import attempt, call, cancel_form, edit_or_ignore, form, refuse, typed_note
from conversations.context import BotContext
from conversations.updates import message_of, pressed, query_of, user_id

PERSON, REASON = range(2)
FORM = "reassign_form"


def _keyboard(rows: list[tuple[str, str, int]]) -> InlineKeyboardMarkup | None:
    return markup({"inline_keyboard": [[{"text": t, "callback_data": callbacks.encode("ra", a, i)}]
                                       for t, a, i in rows]})


async def offer(update: Update, svc: Services) -> None:
    """After /tugas of the Kabag or an administrator: the open tasks they may hand over."""
    peran = svc.directory.known_peran(user_id(update))  # the guard just looked (no query)
    if peran is None:
        user = await call(svc.directory.find_user, user_id(update))
        peran = user.peran if user is not None else None
    if peran not in REASSIGNERS:
        return
    try:  # the service checks the user again: a role changed meanwhile elsewhere is refused there
        tasks = await call(svc.reassign.reassignable, user_id(update))
    except DomainError:
        return
    if tasks:
        await message_of(update).reply_text(
            messages.render("acting/reassign_offer", tasks=tasks),
            reply_markup=_keyboard([(form_button("reassign", step=t.step, opd=f" ({t.opd_nama})" if t.opd_nama else ""),
                                     "pick", t.task_id) for t in tasks]))


async def pick_task(update: Update, context: BotContext) -> int:
    task_id = pressed(update).id
    if (people := await attempt(update, context.svc.reassign.candidates, user_id(update), task_id)) is None:
        return ConversationHandler.END
    await query_of(update).answer()
    context.user_data[FORM] = {"task_id": task_id}
    await message_of(update).reply_text(messages.render("acting/reassign_person", task_id=task_id),
                                        reply_markup=_keyboard([(n, "to", t) for t, n in people]))
    return PERSON


async def pick_person(update: Update, context: BotContext) -> int:
    fields, tid = context.user_data.get(FORM), pressed(update).id
    found = await attempt(update, context.svc.reassign.candidates, user_id(update), fields["task_id"] if fields else 0)
    if found is None:
        return ConversationHandler.END
    people = dict(found)
    if fields is None or tid not in people:
        await refuse(update, reply("reassign_not_candidate"))
        return ConversationHandler.END
    fields.update(telegram_id=tid, nama=people[tid])
    await query_of(update).answer()
    await edit_or_ignore(query_of(update), messages.render("acting/reassign_reason", nama=people[tid]))
    await message_of(update).reply_text(reply("reassign_reason"), reply_markup=ForceReply(selective=True))
    return REASON


async def receive_reason(update: Update, context: BotContext) -> int:
    if (reason := await typed_note(update)) is None:
        return REASON
    fields = context.user_data.pop(FORM)
    if (result := await attempt(update, context.svc.reassign.reassign, user_id(update), fields["task_id"],
                                fields["telegram_id"], reason)) is not None:
        await message_of(update).reply_text(messages.render("acting/reassign_done", result=result))
    return ConversationHandler.END


def build_handler() -> BaseHandler:
    return form(
        entry_points=[CallbackQueryHandler(pick_task, pattern=callbacks.pattern("ra", "pick"))],
        states={PERSON: [CallbackQueryHandler(pick_person, pattern=callbacks.pattern("ra", "to"))],
                REASON: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_reason)]},
        fallbacks=[CommandHandler("batal", cancel_form(FORM))],
        name="alihkan",
        allow_reentry=True,
    )
