"""A note typed after a press: an arahan with a disposition, a correction, a "tidak sesuai"."""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes,
                          ConversationHandler, MessageHandler, filters)

from bot import callbacks, messages
from bot.services.container import Services
from bot.presentation.keyboards import CODE_ACTION, codes
from bot.workflow import ActionKind, DomainError
from bot.workflow.kinds import Form
from conversations.common import call, done_text, edit_message, form, note_problem, pressed_task, refuse

NOTE = 0
#: The buttons that ask for a note first, and the action each takes (from the kinds registry).
ACTIONS = {code: CODE_ACTION[code] for code in codes(Form.NOTE)}
PENDING = "pending_note"


def build_handler(svc: Services) -> BaseHandler:
    async def ask_note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        view = await pressed_task(update, svc)
        if view is None:
            return ConversationHandler.END
        data = callbacks.decode(query.data)
        action = ACTIONS[data.action]
        context.user_data[PENDING] = {"task_id": data.id, "action": action.value,
                                      "chat_id": query.message.chat_id,
                                      "message_id": query.message.message_id}
        await query.message.reply_text(messages.render("ask_note", task=view, action=action.value),
                                       reply_markup=ForceReply(selective=True))
        return NOTE

    async def receive_note(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        message = update.effective_message
        problem = note_problem(message.text)
        if problem:
            await message.reply_text(messages.render("refusal", text=problem))
            return NOTE
        pending = context.user_data.pop(PENDING)
        try:
            result = await call(svc.cycles.act, update.effective_user.id, pending["task_id"],
                                ActionKind(pending["action"]), note=message.text)
        except DomainError as exc:
            await refuse(update, str(exc))
            return ConversationHandler.END
        # The task message above says what happened; a copy of it below would say it twice.
        if not await edit_message(context.bot, pending["chat_id"], pending["message_id"], done_text(result.task)):
            await message.reply_text(done_text(result.task))  # the task message is gone
        return ConversationHandler.END

    async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        await update.effective_message.reply_text(messages.render(
            "refusal", text="Mohon kirim catatan berupa teks, atau ketik /batal untuk membatalkan."))
        return NOTE

    async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        context.user_data.pop(PENDING, None)
        await update.effective_message.reply_text(messages.render("cancelled", kept=False))
        return ConversationHandler.END

    return form(
        entry_points=[CallbackQueryHandler(ask_note, pattern=callbacks.pattern("t", *ACTIONS))],
        states={NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_note),
                       MessageHandler(~filters.COMMAND, not_text)]},
        fallbacks=[CommandHandler("batal", cancel)],
        name="catatan",
        allow_reentry=True,
    )
