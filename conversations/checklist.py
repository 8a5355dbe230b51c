"""Step 10 by checklist: Tim SAKIP ticks each item on the task message itself (edited in place),
gives the reason of an item found tidak sesuai (a standard one, or typed), then finishes.

The sheet lives in the database (bot/services/checklist.py); these handlers parse the press,
call the service and re-render the one message (bot/presentation/checklist.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from telegram import ForceReply, Update
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler,
                          filters)

from bot import callbacks, messages
from bot.presentation import checklist as sheet
from bot.services.errors import InvalidInput
from bot.services.views import TaskView
from bot.workflow import DomainError
from conversations.common import call, cancel_form, done_text, edit_message, edit_or_ignore, form, refuse
from conversations.context import BotContext
from scheduler.dispatch import markup

TYPING = 0
PENDING = "pending_checklist"


def sheet_markup(view: TaskView, asking: int | None = None) -> Any:
    rows = sheet.keyboard(view) if asking is None else sheet.reasons_keyboard(view, asking)
    return markup({"inline_keyboard": rows})


async def pressed(update: Update, context: BotContext, use: Callable[..., Any], *args: Any,
                  **kwargs: Any) -> Any | None:
    """Call the service for this press; on a refusal say why and return None. (When the task is
    done, the outbox has already closed every copy of its message.)"""
    data = sheet.decode(update.callback_query.data)
    try:
        return await call(use, update.effective_user.id, data.task_id, *args, **kwargs)
    except DomainError as exc:
        await refuse(update, str(exc))
        return None


async def tick(update: Update, context: BotContext) -> None:
    """✅ on an item, or one of the standard reasons of an item found tidak sesuai."""
    data = sheet.decode(update.callback_query.data)
    view = await pressed(update, context, context.svc.checklist.tick, data.item, data.action == sheet.OK,
                         alasan=data.reason)
    if view is not None:
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, sheet.text(view), sheet_markup(view))


async def ask_reason(update: Update, context: BotContext) -> None:
    """❌ on an item: the message offers the standard reasons (nothing is recorded yet)."""
    data = sheet.decode(update.callback_query.data)
    view = await pressed(update, context, context.svc.checklist.item, data.item)
    if view is not None:
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, sheet.text(view, asking=view.checklist.lines[data.item]),
                             sheet_markup(view, asking=data.item))


async def back(update: Update, context: BotContext) -> None:
    view = await pressed(update, context, context.svc.checklist.sheet)
    if view is not None:
        await update.callback_query.answer()
        await edit_or_ignore(update.callback_query, sheet.text(view), sheet_markup(view))


async def finish(update: Update, context: BotContext) -> None:
    """"Selesai verifikasi": sesuai, or the return with the items that failed."""
    result = await pressed(update, context, context.svc.checklist.finish)
    if result is not None:
        await update.callback_query.answer("Hasil verifikasi tercatat. Terima kasih.")
        await edit_or_ignore(update.callback_query, done_text(result.task))


async def ask_typed(update: Update, context: BotContext) -> int:
    query, data = update.callback_query, sheet.decode(update.callback_query.data)
    view = await pressed(update, context, context.svc.checklist.item, data.item)
    if view is None:
        return ConversationHandler.END
    await query.answer()
    context.user_data[PENDING] = {"task_id": data.task_id, "item": data.item, "chat_id": query.message.chat_id,
                                  "message_id": query.message.message_id}
    await query.message.reply_text(messages.render("checklist_ask", task=view, line=view.checklist.lines[data.item]),
                                   reply_markup=ForceReply(selective=True))
    return TYPING


async def receive_typed(update: Update, context: BotContext) -> int:
    """The typed reason: the item is tidak sesuai with it, and the sheet's message shows it."""
    message, pending = update.effective_message, context.user_data[PENDING]
    try:
        view = await call(context.svc.checklist.tick, update.effective_user.id, pending["task_id"], pending["item"],
                          False, catatan=message.text)
    except DomainError as exc:  # too long: asked again; the task gone: the form ends
        await message.reply_text(messages.render("refusal", text=str(exc)))
        return TYPING if isinstance(exc, InvalidInput) else cancel_typed(context)
    cancel_typed(context)
    if not await edit_message(context.bot, pending["chat_id"], pending["message_id"], sheet.text(view),
                              sheet_markup(view)):  # the sheet's message is gone: show it here
        await message.reply_text(sheet.text(view), reply_markup=sheet_markup(view))
    return ConversationHandler.END


def cancel_typed(context: BotContext) -> int:
    context.user_data.pop(PENDING, None)
    return ConversationHandler.END


async def not_text(update: Update, context: BotContext) -> int:
    await update.effective_message.reply_text(messages.render(
        "refusal", text="Mohon kirim alasan berupa teks, atau ketik /batal untuk membatalkan."))
    return TYPING


def _on(action: str | tuple[str, ...], handler: Callable[[Update, BotContext], Awaitable[Any]]) -> BaseHandler:
    actions = (action,) if isinstance(action, str) else action
    return CallbackQueryHandler(handler, pattern=callbacks.pattern(sheet.NS, *actions))


def build_handlers() -> list[BaseHandler]:
    typed = form(
        entry_points=[_on(sheet.TYPED, ask_typed)],
        states={TYPING: [MessageHandler(filters.TEXT & ~filters.COMMAND, receive_typed),
                         MessageHandler(~filters.COMMAND, not_text)]},
        fallbacks=[CommandHandler("batal", cancel_form(PENDING))],
        name="alasan_butir",
        allow_reentry=True,
    )
    return [typed, _on((sheet.OK, sheet.WHY), tick), _on(sheet.FAIL, ask_reason), _on(sheet.BACK, back),
            _on(sheet.FINISH, finish)]
