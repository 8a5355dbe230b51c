"""Step 10 by checklist: Tim SAKIP ticks each item on the task message itself (edited in place),
gives the reason of an item found tidak sesuai (a standard one, or typed), then finishes.

The sheet lives in the database (bot/services/checklist.py); these handlers parse the press,
call the service and re-render the one message (bot/presentation/checklist.py). A refusal is
answered on the press; when the task is done, the outbox has already closed every copy of it."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import ForceReply, InlineKeyboardMarkup, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot import callbacks, messages
from bot.presentation import checklist as sheet
from bot.presentation.keyboards import markup
from bot.presentation.labels import reply
from bot.services.errors import InvalidInput
from bot.services.views import TaskView
from bot.workflow import DomainError
from conversations.common import attempt, call, cancel_form, done_text, edit_message, edit_or_ignore, form
from conversations.context import BotContext
from conversations.updates import message_of, pressed_message, query_of, text_of, user_id

TYPING = 0
PENDING = "pending_checklist"


def sheet_markup(view: TaskView, asking: int | None = None) -> InlineKeyboardMarkup | None:
    rows = sheet.keyboard(view) if asking is None else sheet.reasons_keyboard(view, asking)
    return markup({"inline_keyboard": rows})


def press_of(update: Update) -> sheet.Press:
    return sheet.decode(query_of(update).data)


async def show(update: Update, context: BotContext, view: TaskView, asking: int | None = None) -> None:
    """The pressed message becomes the sheet, or (`asking`) that item's reasons."""
    line = view.checklist.lines[asking] if asking is not None and view.checklist is not None else None
    await query_of(update).answer()
    await edit_or_ignore(query_of(update), sheet.text(view, context.svc.settings.tz, asking=line),
                         sheet_markup(view, asking))


async def tick(update: Update, context: BotContext) -> None:
    """✅ on an item, or one of the standard reasons of an item found tidak sesuai."""
    data = press_of(update)
    view = await attempt(update, context.svc.checklist.tick, user_id(update), data.task_id, data.item or 0,
                         data.action == sheet.OK, alasan=data.reason)
    if view is not None:
        await show(update, context, view)


async def ask_reason(update: Update, context: BotContext) -> None:
    """❌ on an item: the message offers the standard reasons (nothing is recorded yet)."""
    data = press_of(update)
    view = await attempt(update, context.svc.checklist.item, user_id(update), data.task_id, data.item or 0)
    if view is not None:
        await show(update, context, view, asking=data.item)


async def back(update: Update, context: BotContext) -> None:
    view = await attempt(update, context.svc.checklist.sheet, user_id(update), press_of(update).task_id)
    if view is not None:
        await show(update, context, view)


async def finish(update: Update, context: BotContext) -> None:
    """"Selesai verifikasi": sesuai, or the return with the items that failed."""
    result = await attempt(update, context.svc.checklist.finish, user_id(update), press_of(update).task_id)
    if result is not None:
        await query_of(update).answer(reply("checklist_recorded"))
        await edit_or_ignore(query_of(update), done_text(result.task, context.svc.settings.tz))


async def ask_typed(update: Update, context: BotContext) -> int:
    data = press_of(update)
    view = await attempt(update, context.svc.checklist.item, user_id(update), data.task_id, data.item or 0)
    if view is None or view.checklist is None:
        return ConversationHandler.END
    await query_of(update).answer()
    message = pressed_message(update)
    context.user_data[PENDING] = {"task_id": data.task_id, "item": data.item, "chat_id": message.chat_id,
                                  "message_id": message.message_id}
    await message.reply_text(messages.render("checklist_ask", task=view, line=view.checklist.lines[data.item or 0]),
                             reply_markup=ForceReply(selective=True))
    return TYPING


async def receive_typed(update: Update, context: BotContext) -> int:
    """The typed reason: the item is tidak sesuai with it, and the sheet's message shows it."""
    pending = context.user_data[PENDING]
    try:
        view = await call(context.svc.checklist.tick, user_id(update), pending["task_id"], pending["item"],
                          False, catatan=text_of(update))
    except DomainError as exc:  # too long: asked again; the task gone: the form ends
        await message_of(update).reply_text(messages.render("refusal", text=str(exc)))
        return TYPING if isinstance(exc, InvalidInput) else forget(context)
    forget(context)
    text, keyboard = sheet.text(view, context.svc.settings.tz), sheet_markup(view)
    if not await edit_message(context.bot, pending["chat_id"], pending["message_id"], text, keyboard):
        await message_of(update).reply_text(text, reply_markup=keyboard)  # the sheet's message is gone
    return ConversationHandler.END


def forget(context: BotContext) -> int:
    context.user_data.pop(PENDING, None)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await message_of(update).reply_text(messages.render("refusal", text=reply("checklist_not_text")))
    return TYPING


def _on(handler: Callable[[Update, BotContext], Coroutine[Any, Any, Any]], *actions: str) -> CallbackQueryHandler[Any, Any]:
    return CallbackQueryHandler(handler, pattern=callbacks.pattern(sheet.NS, *actions))


def build_handlers() -> list[BaseHandler[Any, Any, Any]]:
    typed = form(
        entry_points=[_on(ask_typed, sheet.TYPED)],
        states={TYPING: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_typed),
                         MessageHandler(~filters.COMMAND, not_text)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))],
        name="alasan_butir",
        allow_reentry=True,
    )
    return [typed, _on(tick, sheet.OK, sheet.WHY), _on(ask_reason, sheet.FAIL), _on(back, sheet.BACK),
            _on(finish, sheet.FINISH)]
