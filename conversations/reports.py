"""/monitoring and /riwayat, the download buttons under them, and what the report handlers share:
who may see a report, and sending a report file."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot import callbacks, messages
from bot.presentation.labels import form_button
from bot.reports import exports
from bot.services.container import Services
from bot.services.recap import VIEWERS
from bot.workflow import DomainError
from conversations.common import call, read, refuse
from conversations.context import BotContext
from conversations.updates import message_of, pressed_message, query_of, user_id

log = logging.getLogger(__name__)

#: Events shown in chat by /riwayat; a longer trail comes as a CSV file as well.
RIWAYAT_SHOWN = 30


def keyboard(ns: str, cycle_id: int, buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    """Download buttons: (label key in labels.yaml `forms`, action)."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(form_button(label), callback_data=callbacks.encode(ns, action, cycle_id))
                                  for label, action in buttons]])


async def allowed(update: Update, svc: Services, report: str) -> bool:
    """Whether the user may see `report`; if not, they are told who may."""
    try:
        if await read(svc, svc.recap.may_view, user_id(update), report):
            return True
    except DomainError as exc:
        await refuse(update, str(exc))
        return False
    text = messages.render("rekap_ditolak", report=report, roles=[p.label for p in VIEWERS[report]])
    if update.callback_query is not None:
        await update.callback_query.answer(html.unescape(text)[:200], show_alert=True)
    else:
        await message_of(update).reply_text(text)
    return False


async def current_cycle(update: Update, svc: Services) -> int | None:
    cycle_id = await read(svc, svc.recap.current_cycle_id)
    if cycle_id is None:
        await message_of(update).reply_text(messages.render("rekap_tanpa_siklus"))
    return cycle_id


async def send_file(message: Message, file: exports.ExportFile, at: datetime, tz: tzinfo, jumlah: int = 0,
                    reply_markup: InlineKeyboardMarkup | None = None) -> None:
    caption = messages.render("rekap_berkas", tz=tz, kind=file.kind, tahun=file.tahun, at=at, jumlah=jumlah)
    if file.filename.endswith(".png"):
        await message.reply_photo(file.content, caption=caption, reply_markup=reply_markup)
    else:
        await message.reply_document(InputFile(file.content, filename=file.filename), caption=caption,
                                     reply_markup=reply_markup)


async def pressed(update: Update, svc: Services, report: str) -> callbacks.Callback | None:
    """The pressed download button, answered, if this user may have the file."""
    if not await allowed(update, svc, report):
        return None
    await query_of(update).answer(messages.render("rekap_disiapkan"))
    return callbacks.decode(query_of(update).data)


async def produce(update: Update, work: Callable[..., exports.ExportFile], *args: Any) -> exports.ExportFile | None:
    """The file for a pressed (already answered) download button; a forged or old cycle id, or
    a file that could not be built, is said in chat, where the user is looking (Telegram would
    refuse the error handler's second answer to the press)."""
    try:
        return await call(work, *args)
    except DomainError as exc:
        await pressed_message(update).reply_text(messages.render("refusal", text=str(exc)))
    except Exception:
        log.exception("a report file could not be built")
        await pressed_message(update).reply_text(messages.render("error"))
    return None


async def monitoring(update: Update, context: BotContext) -> None:
    svc = context.svc
    if not await allowed(update, svc, "monitoring") or (cycle_id := await current_cycle(update, svc)) is None:
        return
    mon = await call(svc.recap.monitoring, cycle_id)
    buttons = keyboard("m", cycle_id, [("download_pdf", "pdf"), ("download_xlsx", "xlsx")])
    await message_of(update).reply_text(messages.render("monitoring", tz=svc.settings.tz, mon=mon), reply_markup=buttons)


async def riwayat(update: Update, context: BotContext) -> None:
    svc, message = context.svc, message_of(update)
    if not await allowed(update, svc, "riwayat") or (cycle_id := await current_cycle(update, svc)) is None:
        return
    trail = await call(svc.recap.audit_trail, cycle_id)
    shown = min(len(trail.events), RIWAYAT_SHOWN)
    parts = messages.split(messages.render("riwayat", tz=svc.settings.tz, t=trail, shown=shown))
    for part in parts[:-1]:
        await message.reply_text(part)
    long = shown < len(trail.events)  # the whole trail follows as a file
    await message.reply_text(parts[-1], reply_markup=None if long else keyboard("h", cycle_id, [("download_csv", "csv")]))
    if long:
        await send_file(message, await call(exports.trail_file, svc.recap, cycle_id), trail.at, svc.settings.tz)


async def monitoring_file(update: Update, context: BotContext) -> None:
    if (data := await pressed(update, context.svc, "monitoring")) is not None:
        if (file := await produce(update, exports.monitoring_file, context.svc.recap, data.id, data.action)):
            await send_file(pressed_message(update), file, context.svc.clock.now(), context.svc.settings.tz)


async def trail_file(update: Update, context: BotContext) -> None:
    if (data := await pressed(update, context.svc, "riwayat")) is not None:
        if (file := await produce(update, exports.trail_file, context.svc.recap, data.id)):
            await send_file(pressed_message(update), file, context.svc.clock.now(), context.svc.settings.tz)


def build_handlers() -> list[BaseHandler]:
    return [CommandHandler("monitoring", monitoring), CommandHandler("riwayat", riwayat),
            CallbackQueryHandler(monitoring_file, pattern=callbacks.pattern("m", "pdf", "xlsx")),
            CallbackQueryHandler(trail_file, pattern=callbacks.pattern("h", "csv"))]
