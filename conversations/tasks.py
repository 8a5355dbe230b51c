"""/tugas and the approval buttons: standalone callback handlers whose truth is the database."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.presentation.tasks import tugas_replies
from bot.services.antrian import split_tugas
from bot.presentation.keyboards import CANCEL, CODE_ACTION, CONFIRM_SIGN, codes, confirm_sign_keyboard, markup
from bot.presentation.labels import reply
from bot.workflow import ActionKind
from bot.workflow.kinds import Form
from conversations import reassign
from conversations.common import (allows, attempt, call, done_text, edit_or_ignore, pressed_task, read, task_markup,
                                  task_text)
from conversations.context import BotContext
from conversations.updates import message_of, pressed, query_of, user_id

#: Buttons that act at once (the others open a form or ask for a confirmation): every kind's,
#: from the registry (bot/workflow/kinds.py).
DIRECT = codes(None)
#: Buttons that ask "Ya, ..." first (a signature).
CONFIRMED = codes(Form.CONFIRM)
#: What "Ya, ..." takes (one kind asks for a confirmation: the signature).
CONFIRMED_ACTION = next(CODE_ACTION[code] for code in CONFIRMED)
MAX_LISTED = 10


async def act_now(update: Update, context: BotContext) -> None:
    data = pressed(update)
    await act(update, context, data.id, CODE_ACTION[data.action])


async def act(update: Update, context: BotContext, task_id: int, action: ActionKind) -> None:
    svc = context.svc  # most presses of an old button are answered by the read, not the write
    if not await allows(update, svc, svc.cycles.refuse_if_done, user_id(update), task_id):
        return
    if (result := await attempt(update, svc.cycles.act, user_id(update), task_id, action)) is None:
        return
    await query_of(update).answer(reply("acted"))
    await edit_or_ignore(query_of(update), done_text(result.task, context.svc.settings.tz))


async def ask_sign(update: Update, context: BotContext) -> None:
    view = await pressed_task(update, context.svc)
    if view is not None:
        missing = await call(context.svc.letters.signer_warning, user_id(update))
        await edit_or_ignore(query_of(update), messages.render("sign_confirm", task=view, missing=missing),
                             markup({"inline_keyboard": confirm_sign_keyboard(view.id)}))


async def confirm_sign(update: Update, context: BotContext) -> None:
    await act(update, context, pressed(update).id, CONFIRMED_ACTION)


async def cancel_confirmation(update: Update, context: BotContext) -> None:
    if (view := await attempt(update, context.svc.cycles.own_task, user_id(update), pressed(update).id)) is None:
        return
    await query_of(update).answer(reply("cancelled"))
    if view.is_open:
        await edit_or_ignore(query_of(update), task_text(view, context.svc.settings.tz), task_markup(view))
    else:
        await edit_or_ignore(query_of(update), done_text(view, context.svc.settings.tz))


async def tugas(update: Update, context: BotContext) -> None:
    tasks, queued = split_tugas(await read(context.svc, context.svc.cycles.open_tasks_for, user_id(update)))
    for text, view in tugas_replies(tasks, MAX_LISTED, context.svc.settings.tz, queued=len(queued)):
        await message_of(update).reply_text(text, reply_markup=task_markup(view) if view else None)
    await reassign.offer(update, context.svc)  # the Kabag and the admin may hand a task over


def build_handlers() -> list[BaseHandler]:
    return [
        CommandHandler("tugas", tugas),
        CallbackQueryHandler(act_now, pattern=callbacks.pattern("t", *DIRECT)),
        CallbackQueryHandler(ask_sign, pattern=callbacks.pattern("t", *CONFIRMED)),
        CallbackQueryHandler(confirm_sign, pattern=callbacks.pattern("t", CONFIRM_SIGN)),
        CallbackQueryHandler(cancel_confirmation, pattern=callbacks.pattern("t", CANCEL)),
    ]
