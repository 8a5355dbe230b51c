"""A note typed after a press: an arahan with a disposition, a correction, a "tidak sesuai"."""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot import callbacks, messages
from bot.presentation.keyboards import CODE_ACTION, codes
from bot.workflow import ActionKind, DomainError
from bot.workflow.kinds import Form
from conversations.common import call, cancel_form, done_text, edit_message, form, note_problem, pressed_task, refuse
from conversations.context import BotContext

NOTE = 0
#: The buttons that ask for a note first, and the action each takes (from the kinds registry).
ACTIONS = {code: CODE_ACTION[code] for code in codes(Form.NOTE)}
PENDING = "pending_note"


async def ask_note(update: Update, context: BotContext) -> int:
    query = update.callback_query
    view = await pressed_task(update, context.svc)
    if view is None:
        return ConversationHandler.END
    data = callbacks.decode(query.data)
    action = ACTIONS[data.action]
    context.user_data[PENDING] = {"task_id": data.id, "action": action.value, "chat_id": query.message.chat_id,
                                  "message_id": query.message.message_id}
    await query.message.reply_text(messages.render("ask_note", task=view, action=action.value),
                                   reply_markup=ForceReply(selective=True))
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    message = update.effective_message
    if problem := note_problem(message.text):
        await message.reply_text(messages.render("refusal", text=problem))
        return NOTE
    pending = context.user_data.pop(PENDING)
    try:
        result = await call(context.svc.cycles.act, update.effective_user.id, pending["task_id"],
                            ActionKind(pending["action"]), note=message.text)
    except DomainError as exc:
        await refuse(update, str(exc))
        return ConversationHandler.END
    # The task message above says what happened; a copy of it below would say it twice.
    if not await edit_message(context.bot, pending["chat_id"], pending["message_id"], done_text(result.task, context.svc.settings.tz)):
        await message.reply_text(done_text(result.task, context.svc.settings.tz))  # the task message is gone
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await update.effective_message.reply_text(messages.render(
        "refusal", text="Mohon kirim catatan berupa teks, atau ketik /batal untuk membatalkan."))
    return NOTE


def build_handler() -> BaseHandler:
    return form(
        entry_points=[CallbackQueryHandler(ask_note, pattern=callbacks.pattern("t", *ACTIONS))],
        states={NOTE: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_note),
                       MessageHandler(~filters.COMMAND, not_text)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))],
        name="catatan",
        allow_reentry=True,
    )
