"""/tugas and the approval buttons: standalone callback handlers whose truth is the database."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import callbacks, messages
from bot.services.container import Services
from bot.presentation.tasks import tugas_replies
from bot.presentation.keyboards import CANCEL, CODE_ACTION, CONFIRM_SIGN, codes, confirm_sign_keyboard
from bot.workflow import DomainError
from bot.workflow.kinds import Form
from conversations import reassign
from conversations.common import call, done_text, edit_or_ignore, pressed_task, refuse, task_markup, task_text
from scheduler.dispatch import markup

#: Buttons that act at once (the others open a form or ask for a confirmation): every kind's,
#: from the registry (bot/workflow/kinds.py).
DIRECT = codes(None)
#: Buttons that ask "Ya, ..." first (a signature).
CONFIRMED = codes(Form.CONFIRM)
#: What "Ya, ..." takes (one kind asks for a confirmation: the signature).
CONFIRMED_ACTION = next(CODE_ACTION[code] for code in CONFIRMED)
MAX_LISTED = 10


def build_handlers(svc: Services) -> list[BaseHandler]:
    async def act_now(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        data = callbacks.decode(query.data)
        await act(update, data.id, CODE_ACTION[data.action])

    async def act(update: Update, task_id: int, action: ActionKind) -> None:
        query = update.callback_query
        try:
            result = await call(svc.cycles.act, update.effective_user.id, task_id, action)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await query.answer("Tercatat. Terima kasih.")
        await edit_or_ignore(query, done_text(result.task))

    async def ask_sign(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        view = await pressed_task(update, svc)
        if view is not None:
            missing = await call(svc.letters.signer_warning, update.effective_user.id)
            await edit_or_ignore(update.callback_query, messages.render("sign_confirm", task=view, missing=missing),
                                 markup({"inline_keyboard": confirm_sign_keyboard(view.id)}))

    async def confirm_sign(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await act(update, callbacks.decode(update.callback_query.data).id, CONFIRMED_ACTION)

    async def cancel_confirmation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        try:
            view = await call(svc.cycles.own_task, update.effective_user.id, callbacks.decode(query.data).id)
        except DomainError as exc:
            await refuse(update, str(exc))
            return
        await query.answer("Dibatalkan.")
        if view.is_open:
            await edit_or_ignore(query, task_text(view), task_markup(view))
        else:
            await edit_or_ignore(query, done_text(view))

    async def tugas(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        tasks = await call(svc.cycles.open_tasks_for, update.effective_user.id)
        for text, view in tugas_replies(tasks, MAX_LISTED):
            await update.effective_message.reply_text(text, reply_markup=task_markup(view) if view else None)
        await reassign.offer(update, svc)  # the Kabag and the admin may hand a task over

    return [
        CommandHandler("tugas", tugas),
        CallbackQueryHandler(act_now, pattern=callbacks.pattern("t", *DIRECT)),
        CallbackQueryHandler(ask_sign, pattern=callbacks.pattern("t", *CONFIRMED)),
        CallbackQueryHandler(confirm_sign, pattern=callbacks.pattern("t", CONFIRM_SIGN)),
        CallbackQueryHandler(cancel_confirmation, pattern=callbacks.pattern("t", CANCEL)),
    ]

