"""What every handler shares: calling a service off the event loop, refusals, task messages."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import warnings
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler
from telegram.warnings import PTBUserWarning

from bot import callbacks, messages
from bot.config import Settings
from bot.filenames import safe_filename
from bot.telegram_errors import ApiErrorKind, classify
from bot.workflow import DomainError
from bot.presentation.tasks import done_text, task_reply_markup, task_text  # noqa: F401 (re-exported)
from bot.services.views import TaskView
from scheduler.dispatch import markup

if TYPE_CHECKING:
    from bot.services.container import Services

P = ParamSpec("P")
R = TypeVar("R")

#: Longest note (arahan, catatan koreksi) accepted; keeps every message under Telegram's limit.
MAX_NOTE = 1000

UNKNOWN_BUTTON = "Tombol ini tidak dikenal atau sudah tidak berlaku. Ketik /tugas untuk melihat tugas terbaru."


async def call(func: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """Run a (synchronous, database-bound) service call without blocking the event loop."""
    return await asyncio.to_thread(functools.partial(func, *args, **kwargs))


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
    identical edit is not an error."""
    media = query.message is not None and bool(getattr(query.message, "effective_attachment", None))
    try:
        if media:
            await query.edit_message_caption(text, reply_markup=reply_markup)
        else:
            await query.edit_message_text(text, reply_markup=reply_markup)
    except BadRequest as exc:
        kind = classify(exc)
        if kind is ApiErrorKind.NOT_MODIFIED:
            return
        if kind is ApiErrorKind.MESSAGE_GONE and query.message is not None:
            await query.message.reply_text(text, reply_markup=reply_markup)  # the old one is gone
            return
        raise


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


def note_problem(text: str | None) -> str | None:
    """Why a typed note cannot be used, or None when it can."""
    if text is None or not text.strip():
        return "Catatan tidak boleh kosong. Mohon tuliskan catatannya, atau ketik /batal."
    if len(text) > MAX_NOTE:
        return (f"Catatan terlalu panjang ({len(text)} karakter; paling banyak {MAX_NOTE}). "
                "Mohon ringkas catatannya, atau ketik /batal.")
    return None


async def pressed_task(update: Update, svc: Services) -> TaskView | None:
    """The task whose button was pressed, if this user may act on it now (the press is then
    answered); otherwise the reason is shown and None returned."""
    query = update.callback_query
    try:
        view = await call(svc.cycles.require_actionable, update.effective_user.id,
                          callbacks.decode(query.data).id)
    except DomainError as exc:
        await refuse(update, str(exc))
        return None
    await query.answer()
    return view


class UploadRejected(Exception):
    """Why an uploaded file cannot be taken; the message is for the user."""


async def save_upload(file: Any, name: str, allowed: Mapping[str, str], settings: Settings) -> dict[str, Any]:
    """Check an uploaded file's type and size, download it and keep it under the data folder.

    `allowed` maps a suffix to its mime type. Returns what a service needs to record it; the
    user's file name is made safe here, once, for everywhere it goes (archive, documents, audit)."""
    name = safe_filename(name, fallback="lampiran")
    suffix = Path(name).suffix.lower()
    if suffix not in allowed:
        raise UploadRejected(f"Jenis berkas {suffix or '(tanpa ekstensi)'} tidak dapat diterima. "
                             f"Jenis yang diterima: {', '.join(s.lstrip('.').upper() for s in allowed)}.")
    limit = int(settings.max_upload_mb * 1024 * 1024)
    too_big = (f"Ukuran berkas melebihi batas {settings.max_upload_mb:g} MB. "
               "Mohon perkecil berkas atau unggah bagian ringkasannya.")
    if (file.file_size or 0) > limit:
        raise UploadRejected(too_big)
    content = bytes(await (await file.get_file()).download_as_bytearray())
    if len(content) > limit:
        raise UploadRejected(too_big)
    digest = hashlib.sha256(content).hexdigest()
    folder = Path(settings.data_dir) / "unggahan"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}{suffix}"
    path.write_bytes(content)
    return {"path": str(path), "filename": name, "mime_type": allowed[suffix],
            "size": len(content), "sha256": digest}


def cancel_form(*keys: str, kept: bool = False) -> Callable[[Update, Any], Awaitable[int]]:
    """The /batal (or "Batal" button) tail every form shares: forget the form's `keys` in
    user_data, say it is cancelled (`kept`: what was typed so far is kept), end the form."""
    async def cancel(update: Update, context: Any) -> int:
        for key in keys:
            context.user_data.pop(key, None)
        text = messages.render("cancelled", kept=kept)
        if update.callback_query is not None:
            await update.callback_query.answer("Dibatalkan.")
            await edit_or_ignore(update.callback_query, text)
        else:
            await update.effective_message.reply_text(text)
        return ConversationHandler.END
    return cancel


def form(**kwargs: Any) -> ConversationHandler:
    """A ConversationHandler for a form that a button opens and typed messages fill.

    Such a form is keyed per chat and user (per_message=False is right: the answers are
    messages, not presses). PTB warns that a CallbackQueryHandler in it is then not tracked per
    message; that is the intended behaviour here, so that one warning is silenced, here only.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message=False.*", category=PTBUserWarning)
        return ConversationHandler(per_chat=True, per_user=True, per_message=False, **kwargs)
