"""A note typed after a press: an arahan with a disposition, a correction, a "tidak sesuai"."""

from __future__ import annotations

from telegram import ForceReply, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot import callbacks, messages
from bot.presentation.keyboards import CODE_ACTION, codes
from bot.presentation.labels import reply
from bot.workflow import ActionKind
from bot.workflow.kinds import Form
from conversations.common import attempt, cancel_form, done_text, edit_message, form, pressed_task, typed_note
from conversations.context import BotContext
from conversations.updates import message_of, pressed, pressed_message, user_id

NOTE = 0
#: The buttons that ask for a note first, and the action each takes (from the kinds registry).
ACTIONS = {code: CODE_ACTION[code] for code in codes(Form.NOTE)}
PENDING = "pending_note"


async def ask_note(update: Update, context: BotContext) -> int:
    view = await pressed_task(update, context.svc)
    if view is None:
        return ConversationHandler.END
    data, message = pressed(update), pressed_message(update)
    action = ACTIONS[data.action]
    context.user_data[PENDING] = {"task_id": data.id, "action": action.value, "chat_id": message.chat_id,
                                  "message_id": message.message_id}
    await message.reply_text(messages.render("ask_note", task=view, action=action.value),
                             reply_markup=ForceReply(selective=True))
    return NOTE


async def receive_note(update: Update, context: BotContext) -> int:
    if (note := await typed_note(update)) is None:
        return NOTE
    pending = context.user_data.pop(PENDING)
    result = await attempt(update, context.svc.cycles.act, user_id(update), pending["task_id"],
                           ActionKind(pending["action"]), note=note)
    if result is None:
        return ConversationHandler.END
    # The task message above says what happened; a copy of it below would say it twice.
    text = done_text(result.task, context.svc.settings.tz)
    if not await edit_message(context.bot, pending["chat_id"], pending["message_id"], text):
        await message_of(update).reply_text(text)  # the task message is gone
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await message_of(update).reply_text(messages.render("refusal", text=reply("note_not_text")))
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
