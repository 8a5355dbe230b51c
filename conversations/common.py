"""What every handler shares: calling a service off the event loop, refusals, task messages, a
typed note, an uploaded file, the cancel tail of a form."""

from __future__ import annotations

import asyncio
import functools
import warnings
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any, Literal, ParamSpec, TypeVar

from telegram import Bot, CallbackQuery, Document, InlineKeyboardMarkup, Message, PhotoSize, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning

from bot import messages
from bot.presentation.keyboards import markup
from bot.presentation.labels import reply
from bot.presentation.tasks import done_text, task_reply_markup, task_text  # noqa: F401 (re-exported)
from bot.services.notes import MAX_NOTE, check_note
from bot.services.uploads import UploadRejected
from bot.services.views import TaskView
from bot.telegram_errors import ApiErrorKind, classify
from bot.workflow import DomainError
from conversations.context import BotContext
from conversations.updates import UnexpectedUpdate, message_of, pressed, query_of, user_id

if TYPE_CHECKING:
    from bot.services.container import Services

P = ParamSpec("P")
R = TypeVar("R")


async def call(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a (synchronous, database-bound) service call without blocking the event loop."""
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


async def read(svc: Services, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """A short read-only service call (a lookup, /tugas, /rekap): on SQLite on the event loop
    itself, elsewhere like `call`. A SQLite read takes well under a millisecond to a few, never
    waits for a writer (WAL) and crosses no network, so handing it to a worker thread cost more
    than the read (docs/BENCHMARKS.md, "2026-12-02 (sessions 7 and 8)"). Writes always go through `call`:
    on SQLite they may wait for the write lock."""
    if svc.db.is_sqlite:
        return func(*args, **kwargs)
    return await call(func, *args, **kwargs)


async def attempt(update: Update, func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R | None:
    """`call` a service that returns a value; a refusal (DomainError) is said where the user is
    looking (`refuse`) and None returned."""
    try:
        return await call(func, *args, **kwargs)
    except DomainError as exc:
        await refuse(update, str(exc))
        return None


async def allows(update: Update, svc: Services, check: Callable[P, None], *args: P.args, **kwargs: P.kwargs) -> bool:
    """`read` a check that refuses with a DomainError; the refusal is said where the user is
    looking (`refuse`) and False returned."""
    try:
        await read(svc, check, *args, **kwargs)
    except DomainError as exc:
        await refuse(update, str(exc))
        return False
    return True


def task_markup(view: TaskView) -> InlineKeyboardMarkup | None:
    return markup(task_reply_markup(view))


async def refuse(update: Update, text: str) -> None:
    """Tell the user why nothing happened, where they are looking."""
    if update.callback_query is not None:
        await update.callback_query.answer(text[:200], show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(messages.render("refusal", text=text))


async def edit_or_ignore(query: CallbackQuery, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Edit the pressed message (a document's caption: the letter an OPD confirms under it); an
    identical edit is not an error, and one the message already shows is not sent."""
    media = query.message is not None and bool(getattr(query.message, "effective_attachment", None))
    if shows_already(query.message, text, reply_markup, media):
        return
    try:
        if media:
            await query.edit_message_caption(text, reply_markup=reply_markup)
        else:
            await query.edit_message_text(text, reply_markup=reply_markup)
    except BadRequest as exc:
        kind = classify(exc)
        if kind is ApiErrorKind.NOT_MODIFIED:
            return
        if kind is ApiErrorKind.MESSAGE_GONE and isinstance(query.message, Message):
            await query.message.reply_text(text, reply_markup=reply_markup)  # the old one is gone
            return
        raise


_ENTITIES = (("&quot;", '"'), ("&#34;", '"'), ("&#x27;", "'"), ("&#39;", "'"))


def _comparable(html: str) -> str:
    for entity, char in _ENTITIES:
        html = html.replace(entity, char)
    return html.strip()


def shows_already(message: object, text: str, reply_markup: InlineKeyboardMarkup | None, media: bool) -> bool:
    """Whether the pressed message already shows `text` and `reply_markup` (a second press of the
    same tick, a page already open): Telegram would answer "message is not modified"."""
    if not isinstance(message, Message):
        return False
    try:
        shown = message.caption_html if media else message.text_html
    except (TypeError, ValueError):
        return False
    markup_now = message.reply_markup
    same_markup = (markup_now.to_dict() if markup_now is not None else None) == (
        reply_markup.to_dict() if isinstance(reply_markup, InlineKeyboardMarkup) else reply_markup)
    return same_markup and shown is not None and _comparable(shown) == _comparable(text)


async def edit_message(bot: Bot, chat_id: int, message_id: int, text: str,
                       reply_markup: InlineKeyboardMarkup | None = None) -> bool:
    """Edit a message the user answered (a form's task message); unchanged is fine. False when
    the message is gone (the caller says it in a new one)."""
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, reply_markup=reply_markup)
    except BadRequest as exc:
        kind = classify(exc)
        if kind is ApiErrorKind.MESSAGE_GONE:
            return False
        if kind is not ApiErrorKind.NOT_MODIFIED:
            raise
    return True


async def remove_buttons(query: CallbackQuery) -> None:
    """Take the buttons off the pressed message (nothing to do when it shows none)."""
    if query.message is None or not getattr(query.message, "reply_markup", None):
        return
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if classify(exc) not in (ApiErrorKind.NOT_MODIFIED, ApiErrorKind.MESSAGE_GONE):
            raise


async def typed_note(update: Update, limit: int = MAX_NOTE) -> str | None:
    """The note typed in this message, if it can be used (bot/services/notes.py); otherwise the
    reason is replied and None returned (the form asks again)."""
    try:
        return check_note(message_of(update).text, limit)
    except DomainError as exc:
        await reply_refusal(update, str(exc))
        return None


async def reply_refusal(update: Update, text: str) -> None:
    """Say in chat, below, why an answer cannot be used (also after a press)."""
    await message_of(update).reply_text(messages.render("refusal", text=text))


async def pressed_task(update: Update, svc: Services) -> TaskView | None:
    """The task whose button was pressed, if this user may act on it now (the press is then
    answered); otherwise the reason is shown and None returned."""
    try:
        view = await read(svc, svc.cycles.require_actionable, user_id(update), pressed(update).id)
    except DomainError as exc:
        await refuse(update, str(exc))
        return None
    await query_of(update).answer()
    return view


async def take_upload(update: Update, svc: Services, policy: str, unnamed: str, photo: str | None = None,
                      hint: str = "") -> dict[str, Any] | None:
    """The file (a document, or the largest size of a photo, named `photo`) sent for a form of
    upload `policy` (bot/services/uploads.py): checked, downloaded, kept; what a service needs to
    record it. Otherwise the reason (and `hint`) is replied and None returned."""
    message = message_of(update)
    file: Document | PhotoSize | None = message.document or (message.photo[-1] if message.photo else None)
    if file is None:
        raise UnexpectedUpdate("a form's upload handler received no file")
    name = (message.document.file_name or unnamed) if message.document else (photo or unnamed)
    try:
        name = svc.uploads.check(name, file.file_size, policy)
        content = bytes(await (await file.get_file()).download_as_bytearray())
        return await call(svc.uploads.store, content, name, policy)
    except UploadRejected as exc:
        await reply_refusal(update, f"{exc} {hint}".strip())
        return None


#: What a cancel does to a pressed form message: edit it to say so, reply below it, take its
#: buttons off (the press is answered "Dibatalkan."), or close it (answered silently, buttons
#: off, the cancel said below: a form's own "Tutup").
Press = Literal["edit", "reply", "remove", "close"]


Callback = Callable[[Update, BotContext], Coroutine[Any, Any, int]]


def cancel_form(*keys: str, kept: bool = False, press: Press = "edit") -> Callback:
    """The /batal (or "Batal" button) tail every form shares: forget the form's `keys` in
    user_data, say it is cancelled (`kept`: what was typed so far is kept), end the form."""
    async def cancel(update: Update, context: BotContext) -> int:
        for key in keys:
            context.user_data.pop(key, None)
        await say_cancelled(update, messages.render("cancelled", kept=kept), press)
        return ConversationHandler.END
    return cancel


async def say_cancelled(update: Update, text: str, press: Press) -> None:
    query = update.callback_query
    if query is None:
        await message_of(update).reply_text(text)
        return
    await query.answer(None if press == "close" else reply("cancelled"))
    if press == "edit":
        await edit_or_ignore(query, text)
    elif press in ("remove", "close"):
        await remove_buttons(query)
    if press in ("reply", "close"):
        await message_of(update).reply_text(text)


def form(**kwargs: Any) -> ConversationHandler:
    """A ConversationHandler for a form that a button opens and typed messages fill.

    Such a form is keyed per chat and user (per_message=False is right: the answers are
    messages, not presses). PTB warns that a CallbackQueryHandler in it is then not tracked per
    message; that is the intended behaviour here, so that one warning is silenced, here only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
        return ConversationHandler(per_chat=True, per_user=True, per_message=False, **kwargs)
